#!/usr/bin/env python3
"""Benchmark of the offline side (issue 6):

  verify          `airlock-install verify BUNDLE --key PUB`  vs  `sha256sum BUNDLE` (same bytes)
                  target: within 1.2x
  verify+install  `airlock-install install BUNDLE --venv V`  vs  plain `pip install --no-index
                  --find-links WHEELS --require-hashes -r REQS` on the already-unpacked wheels,
                  both into a fresh, already-created venv   target: within 1.3x

The bundle is built by airlock-build from the torch_like fixture index (target linux-py312,
payloads scaled by --scale-mib). Each timing is the best of --repeat runs with a warm page cache.

    python3 tests/bench/install_bench.py [--scale-mib 80] [--repeat 3]
    (AIRLOCK_BIN_DIR: where airlock-build and airlock-install are; default build/bin)
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "support")]

from airlock_testing import catalog, programs, pythons, venv as venv_mod  # noqa: E402


def timed(cmd, env, **kw) -> float:
    start = time.perf_counter()
    r = subprocess.run([str(c) for c in cmd], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    elapsed = time.perf_counter() - start
    if r.returncode != 0:
        raise SystemExit("failed (%d): %s\n%s%s" % (r.returncode, " ".join(map(str, cmd)), r.stdout, r.stderr))
    return elapsed


def best(n, fn) -> float:
    return min(fn() for _ in range(n))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale-mib", type=int, default=80, help="torch wheel payload in MiB (closure ~2.35x)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--python", default="3.12")
    args = ap.parse_args()

    python = pythons.find_python(args.python)
    if python is None:
        raise SystemExit("Python %s not found" % args.python)
    installer = programs.airlock_install()
    work = programs.TempDir(prefix="airlock-install-bench-")
    try:
        w = work.path
        fx = catalog.torch_like(scale=args.scale_mib * 1024 * 1024)
        builder = programs.airlock_build()
        build_env = venv_mod.clean_env({"SOURCE_DATE_EPOCH": "1700000000"})
        # The bundle comes from the real builder; the same verified wheels, already unpacked,
        # are what pip alone installs from.
        unpacked = w / "unpacked"
        with fx.serve() as server:
            manifest = w / "manifest.toml"
            manifest.write_text(fx.manifest(server.url, targets=["linux-py312"], bundle="bench"))
            cache, lock = w / "cache", w / "lock"
            for cmd in ([builder, "keygen", "--no-password", "--out", w / "k"],
                        [builder, "lock", manifest, "-o", lock, "--cache-dir", cache],
                        [builder, "fetch", manifest, "--lock", lock, "-o", unpacked / "wheels",
                         "--cache-dir", cache, "--quiet"],
                        [builder, "build", manifest, "--lock", lock, "--cache-dir", cache,
                         "--key", w / "k.key", "-o", w / "bench.airlock", "--quiet"]):
                timed(cmd, build_env)
        pub, bundle = w / "k.pub", w / "bench.airlock"
        size = bundle.stat().st_size
        wheels = sorted((unpacked / "wheels").iterdir())
        reqs = lock / "requirements.linux-py312.txt"

        env = venv_mod.clean_env({"AIRLOCK_STATE_DIR": str(w / "state")})
        env.pop("PIP_DISABLE_PIP_VERSION_CHECK", None)
        env.pop("PIP_NO_INPUT", None)
        subprocess.run(["cat", str(bundle)], stdout=subprocess.DEVNULL)  # warm the page cache

        t_sha = best(args.repeat, lambda: timed(["sha256sum", bundle], env))
        t_verify = best(args.repeat, lambda: timed([installer, "verify", bundle, "--key", pub], env))

        counter = [0]

        def fresh_venv() -> Path:
            counter[0] += 1
            v = w / ("venv%d" % counter[0])
            venv_mod.make_venv(python, v)
            # Write back what earlier runs left dirty (an install writes ~2x the bundle), so that
            # no run pays for another's disk writes.
            os.sync()
            return v

        def pip_alone() -> float:
            v = fresh_venv()
            t = timed([v / "bin" / "python", "-m", "pip", "install", "--isolated", "--no-index", "--find-links",
                       unpacked / "wheels", "--require-hashes", "-r", reqs, "--disable-pip-version-check",
                       "--no-input", "--no-cache-dir"], env)
            shutil.rmtree(v)
            return t

        def airlock_install() -> float:
            v = fresh_venv()
            t = timed([installer, "install", bundle, "--key", pub, "--venv", v], env)
            shutil.rmtree(v)
            return t

        t_pip = best(args.repeat, pip_alone)
        t_install = best(args.repeat, airlock_install)

        mb = size / 1e6
        rows = [
            ("verify (airlock-install verify)", t_verify, "sha256sum", t_sha, 1.2),
            ("verify+install (airlock-install install)", t_install, "pip install --no-index (unpacked)", t_pip, 1.3),
        ]
        print("bundle: %d wheels, %.1f MB; best of %d; Python %s" % (len(wheels), mb, args.repeat, args.python))
        print("| measure | airlock | baseline | ratio | target |")
        print("|---|---|---|---|---|")
        ok = True
        for name, t, base_name, base, goal in rows:
            ratio = t / base
            ok &= ratio <= goal
            print("| %s | %.2f s (%.0f MB/s) | %s %.2f s | %.2fx | <= %.1fx %s |"
                  % (name, t, mb / t, base_name, base, ratio, goal, "ok" if ratio <= goal else "MISSED"))
        return 0 if ok else 1
    finally:
        work.cleanup()


if __name__ == "__main__":
    sys.exit(main())
