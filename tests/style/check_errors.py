#!/usr/bin/env python3
"""Every LT_E* code has a distinct name, value and message (house style)."""
import pathlib
import re
import sys

text = (pathlib.Path(sys.argv[1]) / "include/logtree/common.h").read_text()
rows = re.findall(r'X\((\w+), (-?\w+|-\d+), "([^"]+)"\)', text)
problems = []
for i, field in enumerate(("name", "value", "message")):
    seen = {}
    for row in rows:
        if row[i] in seen:
            problems.append(f"{field} {row[i]!r} used by {seen[row[i]]} and {row[0]}")
        seen[row[i]] = row[0]
for p in problems:
    print(p)
print(f"errors: {len(rows)} codes" + ("" if not problems else ", duplicates"))
sys.exit(1 if problems or len(rows) < 10 else 0)
