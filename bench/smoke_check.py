#!/usr/bin/env python3
"""bench/smoke_check.py - the CI smoke test of logtree-bench (ctest bench_smoke).

    smoke_check.py LOGTREE_BENCH WORKDIR

Runs every scenario with 1,000 records, one run, two threads, then checks
what users rely on, and no timing: the tool exits 0; the JSON holds the
machine, versions and git revision, every scenario, every library of the
run and every figure's key (median, _min, _max); each output file held
exactly the records logged (lines_ok); the latency histogram counts every
call, at 1 thread and at 2 (each thread times its own calls); the table has
"== latency" then "== latency, 2 threads"; the SVG charts are well-formed SVG, both gnuplot's (when it is
installed) and those the tool draws itself (LT_BENCH_GNUPLOT=0). The peers (spdlog, log4c, glog)
must be there unless LT_ALLOW_MISSING_PARSERS=1, when a missing one is
only reported.
"""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

COUNT = 1000
ALWAYS = ["logtree-sync", "logtree-async", "floor", "fprintf", "snprintf+write", "python"]
PEERS = ["spdlog-sync", "spdlog-async", "log4c", "glog"]
FIG = ["ns_per_call", "p50_ns", "p90_ns", "p99_ns", "p99.9_ns", "p99.99_ns", "max_ns",
       "mean_ns", "records_per_s", "producer_records_per_s", "drain_ms", "peak_rss_kib"]
NEEDS = {
    "disabled": ["ns_per_call", "peak_rss_kib"],
    "latency": ["p50_ns", "p90_ns", "p99_ns", "p99.9_ns", "p99.99_ns", "max_ns", "mean_ns",
                "records_per_s", "producer_records_per_s", "drain_ms", "peak_rss_kib"],
    "throughput": ["records_per_s", "producer_records_per_s", "drain_ms", "peak_rss_kib"],
    "formatters": ["ns_per_call", "records_per_s", "peak_rss_kib"],
    "handlers": ["ns_per_call", "records_per_s", "producer_records_per_s", "drain_ms",
                 "peak_rss_kib"],
}
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def check_svgs(plots, libraries, dashed=None):
    """Both charts parse as SVG with a line per library: latency.svg one for
    1 thread and one for 2, throughput.svg one for each library that writes
    a file (not the floor); the tool's own drawing (where the dashes are
    known) exactly @dashed dashed ones."""
    svg_ns = "{http://www.w3.org/2000/svg}"
    with_file = [l for l in libraries if l != "floor"]
    for svg, want in [("latency.svg", 2 * len(libraries)), ("throughput.svg", len(with_file))]:
        path = os.path.join(plots, svg)
        try:
            root = ET.parse(path).getroot()
            check(root.tag.endswith("svg"), f"{svg} is not SVG")
            paths = root.findall(f".//{svg_ns}path")
            check(len(paths) >= want, f"{svg}: {len(paths)} lines, fewer than {want}")
            if dashed is not None and svg == "latency.svg":
                n = sum(1 for p in paths if p.get("stroke-dasharray"))
                check(n == dashed, f"{svg}: {n} dashed lines (2 threads), not {dashed}")
        except (OSError, ET.ParseError) as e:
            check(False, f"{svg}: {e}")


def check_ratios(r, name, ref):
    """Each xR is over logtree's figure in the same scenario, variant and
    thread count (so the 2-thread latency is over logtree's at 2 threads)."""
    for key in [k for k in r if k.endswith("_vs_logtree")]:
        fig = key.removesuffix("_vs_logtree")
        if ref is None or not ref.get(fig):
            check(False, f"{name}: {key} without logtree's {fig}")
            continue
        want = r[fig] / ref[fig]
        # The figures and the ratio are each printed to 6 significant digits
        # (relative error up to 5e-6 apiece), so the quotient of the printed
        # figures may stray from the printed ratio by up to 1.5e-5 of it.
        check(abs(r[key] - want) <= 2e-5 * max(abs(want), 1e-9),
              f"{name}: {key} is {r[key]}, not {fig} over logtree's ({want:.6g})")


def check_headings(table):
    """The latency tables come in the order throughput's do: 1 thread, then 2."""
    heads = [line for line in table.splitlines() if line.startswith("== ")]
    for h in ["== latency", "== latency, 2 threads", "== throughput, 1 thread",
              "== throughput, 2 threads"]:
        check(h in heads, f"table heading {h!r} missing")
    if "== latency" in heads and "== latency, 2 threads" in heads:
        check(heads.index("== latency, 2 threads") == heads.index("== latency") + 1,
              "'== latency, 2 threads' does not follow '== latency'")


def main():
    tool, work = sys.argv[1:3]
    os.makedirs(work, exist_ok=True)
    out, plots = os.path.join(work, "bench.json"), os.path.join(work, "plots")
    run = subprocess.run([tool, "--count", str(COUNT), "--runs", "1", "--threads", "2",
                          "--json", out, "--plot", plots, "--dir", work],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(run.stdout)
    check(run.returncode == 0, f"logtree-bench exited {run.returncode}")
    check_headings(run.stdout)
    with open(out) as f:
        doc = json.load(f)
    for key in ["git_revision", "cpu_model", "cores", "count", "runs", "threads", "timer",
                "versions", "results", "harness_rss_kib"]:
        check(key in doc, f"top-level key {key} missing")
    check(doc.get("count") == COUNT, "count is not the one asked for")
    check(doc.get("cores", 0) >= 1 and doc.get("cpu_model"), "no CPU model or core count")
    check(len(doc.get("git_revision", "")) >= 7, "no git revision")
    for lib in ["logtree", "python"]:
        check(lib in doc.get("versions", {}), f"no version of {lib}")

    results = doc.get("results", [])
    libraries = {r["library"] for r in results}
    missing = [p for p in PEERS if p not in libraries]
    if missing:
        if os.environ.get("LT_ALLOW_MISSING_PARSERS") == "1":
            print("peers not built, allowed by LT_ALLOW_MISSING_PARSERS=1:", *missing)
        else:
            check(False, "peers not built (install libspdlog-dev liblog4c-dev "
                         "libgoogle-glog-dev, or set LT_ALLOW_MISSING_PARSERS=1): "
                  + " ".join(missing))
    expected = ALWAYS + [p for p in PEERS if p in libraries]
    for lib in ["libc"] + sorted({p.split("-")[0] for p in PEERS if p in libraries}):
        check(doc.get("versions", {}).get(lib), f"no version of {lib}")

    def find(scenario, library, variant="", threads=1):
        for r in results:
            if (r["scenario"], r["library"], r["variant"], r["threads"]) == \
                    (scenario, library, variant, threads):
                return r
        check(False, f"no result for {scenario}/{library}/{variant or '-'}/{threads} threads")
        return None

    wanted = []
    for lib in expected:
        wanted += [("disabled", lib, "", 1), ("latency", lib, "", 1), ("latency", lib, "", 2),
                   ("throughput", lib, "", 1), ("throughput", lib, "", 2)]
    wanted += [("formatters", "logtree-sync", v, 1)
               for v in ["percent", "brace", "json", "logfmt", "access"]]
    wanted += [("handlers", lib, v, 1) for v in ["null", "file", "rotating", "syslog"]
               for lib in ["logtree-sync", "logtree-async"]]
    for scenario, lib, variant, threads in wanted:
        r = find(scenario, lib, variant, threads)
        if r is None:
            continue
        name = f"{scenario}/{lib}/{variant or '-'}/{threads}"
        check(not r["failed"], f"{name} failed")
        check(r["runs"] == 1, f"{name}: runs is {r['runs']}")
        for key in NEEDS[scenario]:
            if lib == "floor" and key in ("records_per_s", "drain_ms"):
                check(key not in r, f"{name}: the floor writes no file, yet has {key}")
                continue
            for k in (key, key + "_min", key + "_max"):
                check(isinstance(r.get(k), (int, float)), f"{name}: key {k} missing")
        check("compared_with" in r, f"{name}: no compared_with")
        if r.get("compared_with") and r["compared_with"] != lib:
            check(any(k.endswith("_vs_logtree") for k in r), f"{name}: no ratio to logtree")
        if r.get("compared_with"):
            check_ratios(r, name, find(scenario, r["compared_with"], variant, threads))
        if "lines_expected" in r:
            want = 0 if scenario == "disabled" else COUNT
            check(r["lines_expected"] == want, f"{name}: expects {r['lines_expected']} lines")
            check(r["lines_written"] == want and r["lines_ok"],
                  f"{name}: file holds {r['lines_written']} records, not {want}")
        elif lib not in ("floor",) and scenario not in ("formatters",) and variant != "null":
            check(False, f"{name}: output file not checked")
        if scenario == "latency":
            total = sum(b["count"] for b in r.get("histogram", []))
            check(total == COUNT, f"{name}: histogram counts {total} calls, not {COUNT}")
            check(r["p50_ns"] <= r["p99_ns"] <= r["p99.9_ns"] <= r["max_ns"],
                  f"{name}: percentiles out of order")
    unknown = {k for r in results for k in r if k.rsplit("_vs_logtree", 1)[0]
               .removesuffix("_min").removesuffix("_max") not in FIG
               and k not in ("scenario", "library", "variant", "threads", "runs", "failed",
                             "lines_expected", "lines_written", "lines_ok", "compared_with",
                             "histogram")}
    check(not unknown, f"keys the README does not document: {sorted(unknown)}")

    check_svgs(plots, expected)
    # the charts the tool draws itself, where gnuplot (used when found) is not
    own = os.path.join(work, "own-plots")
    run = subprocess.run([tool, "--count", "100", "--runs", "1", "--scenario", "latency",
                          "--scenario", "throughput", "--library", "logtree-sync",
                          "--library", "fprintf", "--threads", "2", "--plot", own,
                          "--dir", work],
                         stdout=subprocess.DEVNULL, env=dict(os.environ, LT_BENCH_GNUPLOT="0"))
    check(run.returncode == 0, f"logtree-bench --plot (built-in) exited {run.returncode}")
    check_svgs(own, ["logtree-sync", "fprintf"], dashed=2)
    for f in os.listdir(work):
        check(not f.startswith("logtree-bench-"), f"output file {f} left behind")

    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
