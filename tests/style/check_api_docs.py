#!/usr/bin/env python3
"""Every LT_API declaration in include/logtree/ has a comment above it that
states its contract with Returns:, Threads: and Since: lines (house style,
curl's test1119 idea). Prints each offender; exit 1 if any."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
bad = []
for header in sorted((root / "include" / "logtree").glob("*.h")):
    text = header.read_text()
    for m in re.finditer(r"^LT_API [^;]*?\b(lt_\w+)\s*\(", text, re.M):
        before = text[: m.start()].rstrip()
        if not before.endswith("*/"):
            bad.append(f"{header.name}: {m.group(1)} has no comment")
            continue
        comment = before[before.rfind("/*"):]
        for word in ("Returns:", "Threads:", "Since:"):
            if word not in comment:
                bad.append(f"{header.name}: {m.group(1)}: comment lacks '{word}'")
for line in bad:
    print(line)
print(f"api docs: {len(bad)} problems")
sys.exit(1 if bad else 0)
