#!/usr/bin/env python3
"""Read a log the way its consumer would, for tests/test_injection.c.

    read.py plain FILE         lines of a plain (percent-format) log
    read.py json FILE KEY...   JSON Lines: the values of the KEYs each line has
    read.py access FILE        access-log lines '%h "%r" %>s "%{User-Agent}i"'
    read.py rfc5424 FILE       RFC 5424 messages, one per line: MSG, then
                               each SD-PARAM value of the one SD-ELEMENT

It prints the number of records, then one line per value read back: the hex
of its bytes (UTF-8), so that the C test compares bytes it wrote down by
hand. It fails (exit 1, a reason on stderr) when the file is not what such a
reader takes: not strict UTF-8, a line the grammar does not match, a control
character other than TAB inside a plain line, no newline after the last
line. Nothing here comes from logtree: json is Python's, the access and
syslog grammars are Apache's and RFC 5424's."""
import json
import re
import sys


def fail(why):
    print(why, file=sys.stderr)
    sys.exit(1)


def lines_of(path):
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")  # strict: invalid UTF-8 fails the reader
    except UnicodeDecodeError as e:
        fail(f"not UTF-8: {e}")
    if not text.endswith("\n"):
        fail("no newline after the last line")
    # split on "\n" only: a CR left in a line is caught below, not hidden
    return text[:-1].split("\n")


def out(values, count):
    print(count)
    for v in values:
        print(v.encode("utf-8").hex())


def plain(path):
    lines = lines_of(path)
    for i, line in enumerate(lines, 1):
        bad = [c for c in line if (ord(c) < 32 and c != "\t") or 0x7F <= ord(c) <= 0x9F]
        if bad:
            fail(f"line {i}: control characters {bad!r} in {line!r}")
    out(lines, len(lines))


def json_lines(path, keys):
    lines, values = lines_of(path), []
    for i, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            fail(f"line {i}: not JSON: {e}: {line!r}")
        for k in keys:
            if k not in obj:
                continue
            if not isinstance(obj[k], str):
                fail(f"line {i}: {k!r} is not a string in {obj!r}")
            values.append(obj[k])
    out(values, len(lines))


# Apache's ap_escape_logitem(), undone: \" \\ \b \n \r \t \v and \xhh.
APACHE = {'"': b'"', "\\": b"\\", "b": b"\b", "n": b"\n", "r": b"\r", "t": b"\t", "v": b"\v"}
QUOTED = r'"((?:[^"\\]|\\.)*)"'


def apache_unescape(s):
    b, i = bytearray(), 0
    while i < len(s):
        if s[i] != "\\":
            b += s[i].encode()
            i += 1
        elif s[i + 1] == "x":
            b.append(int(s[i + 2:i + 4], 16))
            i += 4
        else:
            b += APACHE[s[i + 1]]
            i += 2
    return b.decode("utf-8", "surrogateescape")


def access(path):
    lines, values = lines_of(path), []
    pattern = re.compile(r"^(\S+) " + QUOTED + r" (\d{3}) " + QUOTED + "$")
    for i, line in enumerate(lines, 1):
        m = pattern.match(line)
        if not m:
            fail(f"line {i}: not an access line: {line!r}")
        values += [apache_unescape(m.group(2)), apache_unescape(m.group(4))]
    # bytes that are not UTF-8 come back as surrogates: print them as bytes
    print(len(lines))
    for v in values:
        print(v.encode("utf-8", "surrogateescape").hex())


# RFC 5424 section 6: HEADER SP STRUCTURED-DATA [SP MSG]
HEADER = r"<\d{1,3}>1 \S+ \S+ \S+ \S+ \S+ "
SD_PARAM = r'([^= \]"]{1,32})="((?:[^"\\\]]|\\.)*)"'


def rfc5424(path):
    lines, values = lines_of(path), []
    for i, line in enumerate(lines, 1):
        m = re.match(HEADER + r"(-|\[[^ \]]+((?: " + SD_PARAM + r")*)\]) (.*)$", line)
        if not m:
            fail(f"line {i}: not RFC 5424 with one SD-ELEMENT: {line!r}")
        values.append(m.group(5))
        # PARAM-VALUE: only \" \\ \] are escapes; any other backslash stays
        for _, v in re.findall(SD_PARAM, m.group(2) or ""):
            values.append(re.sub(r'\\(["\\\]])', r"\1", v))
    out(values, len(lines))


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "plain":
        plain(path)
    elif mode == "json":
        json_lines(path, sys.argv[3:])
    elif mode == "access":
        access(path)
    elif mode == "rfc5424":
        rfc5424(path)
    else:
        fail(f"unknown mode {mode}")


main()
