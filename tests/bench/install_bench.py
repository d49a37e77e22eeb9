#!/usr/bin/env python3
"""Benchmark of the offline side (issue 6):

  verify          `airlock-install verify BUNDLE --key PUB`  vs  `sha256sum BUNDLE` (same bytes)
                  target: within 1.2x
  verify+install  `airlock-install install BUNDLE --venv V`  vs  plain `pip install --no-index
                  --find-links WHEELS --require-hashes -r REQS` on the already-unpacked wheels,
                  both into a fresh, already-created venv   target: within 1.3x

  conda           `airlock-install install BUNDLE --prefix P` (verify, unpack, every file checked
                  against info/paths.json, placeholders, conda-meta) vs a plain `tar -x` of the
                  same packages' payloads (`unzip -p | zstd -d | tar -x` for .conda, `tar -xjf`
                  for .tar.bz2) into a fresh directory       target: within 1.5x

The pip bundle is built by airlock-build from the torch_like fixture index (target linux-py312,
payloads scaled by --scale-mib). The conda bundle holds the torch-like conda environment of target
linux-py312-cu124 from airlock_testing/conda.py's torch_channels (real cph-built packages; the
pytorch package carries an extra --conda-scale-mib MiB library), written by
tests/install/bundlemaker.py as bundle format 2. Each timing is the best of --repeat runs with a
warm page cache.

    python3 tests/bench/install_bench.py [--scale-mib 80] [--conda-scale-mib 64] [--repeat 3]
                                         [--only pip|conda]
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

from airlock_testing import catalog, conda, programs, pythons, venv as venv_mod  # noqa: E402


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
    ap.add_argument("--conda-scale-mib", type=int, default=64, help="extra library in the pytorch conda package")
    ap.add_argument("--only", choices=("pip", "conda"), help="run one half")
    args = ap.parse_args()
    ok = True
    if args.only != "conda":
        ok &= pip_bench(args)
    if args.only != "pip":
        ok &= conda_bench(args)
    return 0 if ok else 1


def conda_bench(args) -> bool:
    sys.path.insert(0, str(HERE.parent / "install"))
    import bundlemaker as bm

    installer = programs.airlock_install()
    work = programs.TempDir(prefix="airlock-conda-bench-")
    work_dirs = []
    try:
        w = work.path
        # The torch-like channels, with pytorch (linux-64, py3.12, CUDA 12.1) made heavy.
        heavy = ("pytorch", "2.3.1", "py3.12_cuda12.1_cudnn8_0", "linux-64")
        rng = __import__("random").Random(0)
        big = rng.randbytes(args.conda_scale_mib * 1024 * 1024 // 2) + bytes(args.conda_scale_mib * 1024 * 1024 // 2)
        channels = {"pytorch": conda.pytorch_channel(), "nvidia": conda.nvidia_channel(),
                    "conda-forge": conda.conda_forge_channel()}
        for p in channels["pytorch"]:
            if (p.name, p.version, p.build, p.subdir) == heavy:
                p.files = conda._contents(p) + [("lib/libtorch_cuda_big.so", big)]
                p.formats = (".tar.bz2", ".conda")
        fx = conda.build_channels(w / "channels", channels, zst=["conda-forge"])
        expected = conda.TORCH_EXPECTED["linux-py312-cu124"]
        order = ["python"] + sorted(n for n in expected if n != "python")
        target = bm.CondaTarget("linux-py312-cu124", "3.12", "manylinux_2_28_x86_64", "linux-64",
                                specs=("pytorch=2.3.1", "numpy<2"), cuda="12.4")
        pub, sec = bm.keypair(w)
        env = venv_mod.clean_env({"AIRLOCK_STATE_DIR": str(w / "state")})
        counter = [0]
        # Short: the fixture's binary placeholder (32 bytes) must fit the prefix.
        short = Path(__import__("tempfile").mkdtemp(prefix="acb", dir="/tmp"))
        work_dirs.append(short)

        def fresh(name) -> Path:
            counter[0] += 1
            os.sync()
            return short / ("%s%d" % (name, counter[0]))

        rows = []
        for heavy_format in (".tar.bz2", ".conda"):
            files = []
            for name in order:
                version, build, channel, subdir = expected[name]
                if (name, version, build, subdir) == heavy:
                    f = next(f for f in fx.find(*heavy) if f.filename.endswith(heavy_format))
                else:
                    f = fx.preferred(name, version, build, subdir)
                files.append(bm.CondaFile(f.path, subdir, "https://conda.anaconda.org/" + channel,
                                          dict(f.record, fn=f.filename)))
            bundle = bm.make_conda_bundle(w / ("torch%s.airlock" % heavy_format), {target: (files, [])},
                                          secret_key=sec, name="torch")
            subprocess.run(["cat", str(bundle)] + [str(f.path) for f in files], stdout=subprocess.DEVNULL)
            script = []
            for f in files:
                if f.filename.endswith(".conda"):
                    script.append("unzip -p '%s' 'pkg-*.tar.zst' | zstd -dc | tar -x -C \"$1\"" % f.path)
                else:
                    script.append("tar -xjf '%s' -C \"$1\"" % f.path)

            def tar_alone() -> float:
                d = fresh("tar")
                d.mkdir()
                t = timed(["sh", "-e", "-c", "\n".join(script), "sh", d], env)
                shutil.rmtree(d)
                return t

            def airlock_prefix() -> float:
                d = fresh("env")
                t = timed([installer, "install", bundle, "--key", pub, "--prefix", d], env)
                shutil.rmtree(d)
                return t

            t_tar = best(args.repeat, tar_alone)
            t_airlock = best(args.repeat, airlock_prefix)
            rows.append((heavy_format, len(files), bundle.stat().st_size / 1e6, t_airlock, t_tar))
        print("conda: torch-like environment of target linux-py312-cu124 (%d packages), pytorch carrying "
              "%d MiB more; best of %d" % (len(order), args.conda_scale_mib, args.repeat))
        print("| measure | airlock | baseline | ratio | target |")
        print("|---|---|---|---|---|")
        ok = True
        for fmt, n, mb, t_airlock, t_tar in rows:
            ratio = t_airlock / t_tar
            ok &= ratio <= 1.5
            print("| conda prefix, pytorch as %s (%.1f MB bundle) | %.2f s (%.0f MB/s) | tar -x of the payloads "
                  "%.2f s | %.2fx | <= 1.5x %s |" % (fmt, mb, t_airlock, mb / t_airlock, t_tar, ratio,
                                                   "ok" if ratio <= 1.5 else "MISSED"))
        return ok
    finally:
        work.cleanup()
        for d in work_dirs:
            shutil.rmtree(d, ignore_errors=True)


def pip_bench(args) -> bool:

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
        return ok
    finally:
        work.cleanup()


if __name__ == "__main__":
    sys.exit(main())
