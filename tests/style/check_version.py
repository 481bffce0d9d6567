#!/usr/bin/env python3
"""The version agrees everywhere: version.h, the CMake project, the tool,
and CHANGELOG.md's newest release. Usage: check_version.py SRC CMAKE_VERSION LOGTREE_BIN"""
import pathlib
import re
import subprocess
import sys

src, cmake_version, tool = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
h = (src / "include/logtree/version.h").read_text()
parts = [re.search(rf"#define LT_VERSION_{p} (\d+)", h).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
header = ".".join(parts)
problems = []
if header != cmake_version:
    problems.append(f"version.h says {header}, CMake says {cmake_version}")
out = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()
if out != f"logtree {header}":
    problems.append(f"logtree --version says {out!r}")
log = (src / "CHANGELOG.md").read_text()
m = re.search(r"^## \[?(\d+\.\d+\.\d+)", log, re.M)
if not m or m.group(1) != header:
    problems.append(f"CHANGELOG.md's newest version is {m.group(1) if m else None}, not {header}")
for p in problems:
    print(p)
print(f"version: {header}" if not problems else "version: disagreement")
sys.exit(1 if problems else 0)
