#!/usr/bin/env python3
"""Benchmark of bundle writing (issue 5):

  build   `airlock-build build MANIFEST --lock L -o B --key K` with a warm cache (every wheel
          already downloaded and verified), i.e. pack + sign + stream every byte again through
          sha256   vs   `tar cf` of the same wheel files          target: within 1.2x
  memory  peak RSS of that build                                   target: < 64 MB

The build re-hashes each big file on a second thread while it writes it (issue 15), so on an idle
2-core machine its time is tar's plus little; on a busy one, where the second core is not free,
the time ratio moves toward the CPU ratio, printed beside it (CPU = user + system seconds).
Peak RSS is the child's ru_maxrss, which counts the forked Python (about 20 MB) before exec: an
upper bound.

The closure is the torch_like fixture for target linux-py312, big wheels scaled by --scale-mib
(300 gives about 700 MB). Each timing is the best of --repeat runs with a warm page cache.

    python3 tests/bench/bundle_bench.py [--scale-mib 300] [--repeat 3]
    (AIRLOCK_BIN_DIR: where airlock-build is; default build/bin)
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "support")]

from airlock_testing import catalog, programs, venv as venv_mod  # noqa: E402


def run(cmd, env):
    """(seconds, peak RSS in bytes, CPU seconds) of one child; raises with its output on
    failure."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(c) for c in cmd], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix all children).
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit("failed (%d): %s\n%s%s" % (proc.returncode, " ".join(map(str, cmd)),
                                                    out.decode(), err.decode()))
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale-mib", type=int, default=300,
                    help="torch wheel payload in MiB (closure about 2.35x)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    builder = programs.airlock_build()
    work = programs.TempDir(prefix="airlock-bundle-bench-")
    env = venv_mod.clean_env()
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        w = work.path
        fx = catalog.torch_like(scale=args.scale_mib * 1024 * 1024)
        with fx.serve() as server:
            manifest = w / "manifest.toml"
            manifest.write_text(fx.manifest(server.url, targets=["linux-py312"], bundle="bench"))
            cache, lock, wheels = w / "cache", w / "lock", w / "wheels"
            run([builder, "keygen", "--no-password", "--out", w / "k"], env)
            run([builder, "lock", manifest, "-o", lock, "--cache-dir", cache], env)
            run([builder, "fetch", manifest, "--lock", lock, "-o", wheels, "--cache-dir", cache,
                 "--quiet"], env)
        # nginx is stopped: a build that still touched the network would fail here.
        files = sorted(p.name for p in wheels.iterdir())
        size = sum((wheels / f).stat().st_size for f in files)

        builds, tars = [], []
        for i in range(args.repeat):
            bundle = w / ("b%d.airlock" % i)
            builds.append(run([builder, "build", manifest, "--lock", lock, "--cache-dir", cache,
                               "--key", w / "k.key", "-o", bundle, "--quiet"], env))
            tar = w / ("t%d.tar" % i)
            tars.append(run(["tar", "cf", tar, "-C", wheels] + files, env))
            bundle.unlink()
            tar.unlink()

        build_s, _, build_cpu = min(builds)
        build_rss = max(m for _, m, _ in builds)
        tar_s, _, tar_cpu = min(tars)
        mb = 1e6
        print("bundle build, %d files, %.0f MB, warm cache, best of %d" % (len(files), size / mb,
                                                                           args.repeat))
        print("  %-34s %7.2f s  %7.0f MB/s  CPU %5.2f s  peak RSS %5.1f MB" % (
            "airlock-build build (signed)", build_s, size / mb / build_s, build_cpu,
            build_rss / mb))
        print("  %-34s %7.2f s  %7.0f MB/s  CPU %5.2f s" % ("tar cf (same files)", tar_s,
                                                             size / mb / tar_s, tar_cpu))
        ratio = build_s / tar_s
        ok_time = ratio <= 1.2
        ok_mem = build_rss < 64 * mb
        print("  ratio build / tar cf: %.2fx (target <= 1.2x) %s; CPU ratio %.2fx" % (
            ratio, "ok" if ok_time else "MISSED", build_cpu / tar_cpu))
        print("  peak memory: %.1f MB (target < 64 MB) %s" % (build_rss / mb,
                                                              "ok" if ok_mem else "MISSED"))
        return 0 if ok_time and ok_mem else 1
    finally:
        work.cleanup()


if __name__ == "__main__":
    sys.exit(main())
