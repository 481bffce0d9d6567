#!/usr/bin/env python3
"""ini2json: write, for each INI case of the oracle, the equivalent dictConfig
case as cases/json_NAME/config.json (plus the case's input files).

    python3 ini2json.py [CASE ...]      # default: every convertible case

The INI file is read as fileConfig reads it (ConfigParser, raw formats,
interpolated args), args are evaluated in logging's namespace as fileConfig
evaluates them, and bound to the class's signature, so the JSON gives every
argument by keyword: {"class": "logging.FileHandler", "filename": "app.log",
"mode": "w"}. sys.stdout and sys.stderr become "ext://sys.stdout" and
"ext://sys.stderr". Python's dictConfig then runs the JSON as the reference,
and logtree must match it (differences between fileConfig and dictConfig,
such as the order handlers are created and closed in, come out of Python).

Not converted: err_* cases (their faults are INI syntax), network_* (classes
not in logtree yet), and cases whose args are not plain data.
"""

import configparser
import inspect
import json
import logging
import logging.config
import logging.handlers
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
SKIP_PREFIXES = ("err_", "network_", "json_")


class Unconvertible(Exception):
    pass


def to_json_value(v):
    if v is sys.stdout:
        return "ext://sys.stdout"
    if v is sys.stderr:
        return "ext://sys.stderr"
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (tuple, list)):
        return [to_json_value(x) for x in v]
    if isinstance(v, dict):
        return {k: to_json_value(x) for k, x in v.items()}
    raise Unconvertible("value %r" % (v,))


def convert(path):
    cp = configparser.ConfigParser(interpolation=configparser.BasicInterpolation())
    cp.read(path, encoding="utf-8")
    out = {"version": 1, "disable_existing_loggers": True}

    formatters = {}
    for key in [k.strip() for k in cp["formatters"]["keys"].split(",") if k.strip()]:
        sec = cp["formatter_" + key]
        f = {}
        for opt in ("format", "datefmt", "style"):
            v = sec.get(opt, raw=True, fallback=None)
            if v is not None:
                f[opt] = v
        cls = sec.get("class", fallback=None)
        if cls:
            f["class"] = cls
        formatters[key] = f
    if formatters:
        out["formatters"] = formatters

    handlers = {}
    for key in [k.strip() for k in cp["handlers"]["keys"].split(",") if k.strip()]:
        sec = cp["handler_" + key]
        cname = sec["class"]
        try:
            klass = eval(cname, vars(logging))
        except (AttributeError, NameError):
            klass = logging.config._resolve(cname)
        args = eval(sec.get("args", "()"), vars(logging))
        kwargs = eval(sec.get("kwargs", "{}"), vars(logging))
        params = list(inspect.signature(klass).parameters)
        # dictConfig imports the class by its full dotted path.
        h = {"class": "%s.%s" % (klass.__module__, klass.__qualname__)}
        for name, value in zip(params, args):
            h[name] = to_json_value(value)
        for name, value in kwargs.items():
            h[name] = to_json_value(value)
        if sec.get("level", fallback=None):
            h["level"] = sec["level"]
        if sec.get("formatter", fallback=""):
            h["formatter"] = sec["formatter"]
        if sec.get("target", fallback=""):
            h["target"] = sec["target"]
        handlers[key] = h
    if handlers:
        out["handlers"] = handlers

    loggers = {}
    keys = [k.strip() for k in cp["loggers"]["keys"].split(",") if k.strip()]
    keys.remove("root")
    for key in keys:
        sec = cp["logger_" + key]
        lg = {}
        if "level" in sec:
            lg["level"] = sec["level"]
        hs = [h.strip() for h in sec["handlers"].split(",") if h.strip()]
        if hs:
            lg["handlers"] = hs
        lg["propagate"] = bool(int(sec.get("propagate", "1")))
        loggers[sec["qualname"]] = lg
    if loggers:
        out["loggers"] = loggers
    sec = cp["logger_root"]
    root = {}
    if "level" in sec:
        root["level"] = sec["level"]
    hs = [h.strip() for h in sec["handlers"].split(",") if h.strip()]
    if hs:
        root["handlers"] = hs
    # dictConfig skips an empty root ("if root:"), which leaves root as it
    # is: the same as fileConfig's root without level or handlers.
    if root:
        out["root"] = root
    return out


def main(argv):
    names = argv or sorted(os.listdir(CASES))
    for name in names:
        src = os.path.join(CASES, name)
        if name.startswith(SKIP_PREFIXES) or not os.path.isfile(
                os.path.join(src, "config.ini")):
            continue
        try:
            config = convert(os.path.join(src, "config.ini"))
        except (Unconvertible, configparser.Error, KeyError, SyntaxError) as e:
            print("skipped %s: %s" % (name, e))
            continue
        dst = os.path.join(CASES, "json_" + name)
        os.makedirs(dst, exist_ok=True)
        with open(os.path.join(dst, "config.json"), "w", encoding="utf-8") as f:
            json.dump(config, f, indent=2, ensure_ascii=False)
            f.write("\n")
        for extra in ("input.tsv", "input.txt", "args"):
            if os.path.exists(os.path.join(src, extra)):
                shutil.copyfile(os.path.join(src, extra), os.path.join(dst, extra))


if __name__ == "__main__":
    main(sys.argv[1:])
