"""Resolve benchmark: `airlock-build lock` against `pip install --dry-run --report` and
`pip download` for the torch-like graph, on the same nginx index, with a cold and a warm cache.

    python3 tests/bench/resolve_bench.py [--runs 5] [--scale BYTES] [--python 3.12]

pip resolves for the host only, so the comparison row for airlock locks the one target that
matches the host (linux-py312); the last rows lock all three targets in one run. pip gets both
indexes (`--index-url` + `--extra-index-url`), as users do. Cold: an empty cache directory per
run; warm: the cache of a previous run (airlock revalidates pages with ETags; `--prefer-cache`
skips revalidation). Prints medians and the pip/airlock ratios (targets: >=10x cold, >=50x warm).
A benchmark script, not a test: it is excluded from ctest.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import catalog, programs, pythons, venv  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402


def timed(cmd, env):
    start = time.perf_counter()
    r = subprocess.run([str(c) for c in cmd], env=env, capture_output=True, text=True, timeout=900)
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        raise SystemExit("command failed (exit %d): %s\n%s%s" % (r.returncode, " ".join(map(str, cmd)), r.stdout, r.stderr))
    return elapsed


def measure(label, runs, make_cmd, prepare=None):
    times = []
    for i in range(runs):
        if prepare:
            prepare(i)
        # Flush what earlier runs (and venv creation) left to write back, so that no run pays
        # for another's disk writes.
        os.sync()
        times.append(timed(*make_cmd(i)))
    return label, statistics.median(times), min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scale", type=int, default=catalog.DEFAULT_SCALE, help="payload bytes of the big wheels")
    ap.add_argument("--python", default="3.12", help="the Python pip runs on (its target)")
    args = ap.parse_args()

    python = pythons.find_python(args.python)
    if python is None:
        raise SystemExit("Python %s not found (pyenv install %s)" % (args.python, args.python))
    fx = catalog.torch_like(scale=args.scale)
    build = programs.airlock_build()
    env = venv.clean_env()
    tmp = TempDir(prefix="airlock-resolve-bench-")
    d = tmp.path
    try:
        with fx.serve() as server:
            manifest = d / "manifest.toml"
            manifest.write_text(fx.manifest(server.url))
            pypi = fx.index_url(server.url, "pypi")
            cu124 = fx.index_url(server.url, "pytorch-cu124")
            pip_env = venv.make_venv(python, d / "pip-venv")
            pip = [venv.venv_python(pip_env), "-m", "pip", "--isolated", "--disable-pip-version-check", "--no-input"]
            pip_index = ["--index-url", pypi, "--extra-index-url", cu124]
            reqs = fx.requirements
            target = "linux-py%s" % args.python.replace(".", "")

            def airlock(cache, *extra, targets=(target,)):
                cmd = [build, "lock", manifest, "-o", d / "out", "--cache-dir", cache]
                for t in targets:
                    cmd += ["--target", t]
                return cmd + list(extra), env

            def pip_report(cache):
                return pip + ["install", "--dry-run", "--ignore-installed", "--quiet", "--report", d / "report.json",
                              "--cache-dir", cache] + pip_index + reqs, env

            def pip_download(cache, i):
                dest = d / ("dl-%d" % i)
                shutil.rmtree(dest, ignore_errors=True)
                return pip + ["download", "--quiet", "-d", dest, "--cache-dir", cache] + pip_index + reqs, env

            # Warm caches once.
            timed(*airlock(d / "airlock-warm"))
            timed(*airlock(d / "airlock-warm-all", targets=()))
            timed(*pip_report(d / "pip-warm"))
            timed(*pip_download(d / "pip-dl-warm", 0))

            n = args.runs
            rows = [
                measure("airlock lock (1 target), cold", n, lambda i: airlock(d / ("a-cold-%d" % i))),
                measure("airlock lock (1 target), warm", n, lambda i: airlock(d / "airlock-warm")),
                measure("airlock lock (1 target), warm --prefer-cache", n,
                        lambda i: airlock(d / "airlock-warm", "--prefer-cache")),
                measure("airlock lock (3 targets), cold", n, lambda i: airlock(d / ("a3-cold-%d" % i), targets=())),
                measure("airlock lock (3 targets), warm", n, lambda i: airlock(d / "airlock-warm-all", targets=())),
                measure("pip install --dry-run --report, cold", n, lambda i: pip_report(d / ("p-cold-%d" % i))),
                measure("pip install --dry-run --report, warm", n, lambda i: pip_report(d / "pip-warm")),
                measure("pip download, cold", n, lambda i: pip_download(d / ("pd-cold-%d" % i), i)),
                measure("pip download, warm", n, lambda i: pip_download(d / "pip-dl-warm", i)),
            ]
    finally:
        tmp.cleanup()

    t = {label: med for label, med, _ in rows}
    print("\ntorch-like graph (%d packages for %s), nginx on loopback, %d runs, median (min)" % (
        len(fx.expected[target]), target, args.runs))
    width = max(len(r[0]) for r in rows)
    for label, med, best in rows:
        print("  %-*s  %8.3f s  (%.3f)" % (width, label, med, best))
    ac, aw = t["airlock lock (1 target), cold"], t["airlock lock (1 target), warm"]
    pc, pw = t["pip install --dry-run --report, cold"], t["pip install --dry-run --report, warm"]
    dc, dw = t["pip download, cold"], t["pip download, warm"]
    print("\nratios (pip / airlock, one target):")
    print("  cold: pip --dry-run %.1fx (target >=10x)   pip download %.1fx" % (pc / ac, dc / ac))
    print("  warm: pip --dry-run %.1fx (target >=50x)   pip download %.1fx" % (pw / aw, dw / aw))
    print("  warm --prefer-cache: pip --dry-run %.1fx" % (pw / t["airlock lock (1 target), warm --prefer-cache"]))
    print("  three targets in one airlock run vs one pip run per target (cold): %.1fx" % (
        3 * pc / t["airlock lock (3 targets), cold"]))


if __name__ == "__main__":
    main()
