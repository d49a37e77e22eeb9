"""Conda benchmark: index a channel subdir of conda-forge's size the way airlock-build does.

    python3 tests/bench/conda_bench.py [--records 450000] [--runs 3] [--lookups 20] [--seed 7]

Generates (once; reused from --dir if present) a linux-64 `repodata.json` of about 300 MB with
~450k records: realistic names, versions, builds, depends (`python >=3.12,<3.13.0a0`,
`python_abi 3.12.* *_cp312`, `libgcc-ng >=12`), constrains, track_features, both `packages`
(.tar.bz2) and `packages.conda` sections with overlapping builds, written as conda-index
writes it (sorted keys, indent 1), plus a `repodata.json.zst` of it. Then measures, in this
one run:

  - cold parse: a fresh `conda_probe` process (build/bin) reads the file, indexes every entry
    by name, and parses the records of --lookups names (the biggest ones, like a solve would
    touch); wall time, the probe's own index/lookup times, and its peak RSS;
  - the same from repodata.json.zst;
  - `python3 -c 'json.load(...)'` of the same file: wall time and peak RSS.

Targets (issue 11): cold parse < 1.5 s and < 1 GB peak RSS on a 2-core machine.
  - warm `airlock-build lock` (one target, cache warm, revalidated with nginx): a small spec and
    the torch-like spec on the torch-like fixture channels, and an exact spec on the generated
    channel served by nginx (what a 300 MB channel costs a warm lock).

Target (issue 11): warm lock of the torch-like spec < 0.2 s.
Sections are functions returning rows, listed in SECTIONS at the bottom; they get the generated
channel (see `Channel`).
A benchmark script, not a test: it is excluded from ctest.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("AIRLOCK_BIN_DIR", ROOT / "build" / "bin"))

REAL_NAMES = [
    "python", "numpy", "pytorch", "libgcc-ng", "libstdcxx-ng", "openssl", "ca-certificates",
    "libzlib", "zlib", "cuda-version", "cuda-cudart", "cuda-nvrtc", "libcublas", "libcufft",
    "cudnn", "nccl", "pytorch-cuda", "pytorch-mutex", "cpuonly", "torchvision", "torchaudio",
    "scipy", "pandas", "matplotlib-base", "libblas", "libcblas", "liblapack", "openblas",
    "mkl", "intel-openmp", "llvm-openmp", "_openmp_mutex", "_libgcc_mutex", "python_abi",
    "pip", "setuptools", "wheel", "tk", "xz", "bzip2", "libffi", "ncurses", "readline",
    "sqlite", "libsqlite", "libuuid", "ld_impl_linux-64", "tzdata", "pyyaml", "requests",
    "urllib3", "certifi", "idna", "charset-normalizer", "sympy", "networkx", "jinja2",
    "markupsafe", "filelock", "fsspec", "typing_extensions", "pillow", "libjpeg-turbo",
    "libpng", "libtiff", "libwebp", "freetype", "fontconfig", "icu", "libxml2", "libiconv",
    "arrow-cpp", "pyarrow", "libprotobuf", "grpcio", "abseil-cpp", "re2", "libcurl",
    "krb5", "libssh2", "libnghttp2", "c-ares", "zstd", "lz4-c", "snappy", "boost-cpp",
]
PREFIXES = ["", "", "", "lib", "py", "r-", "ros-humble-", "perl-", "jupyter", "napari-", "pytest-", "sphinx-", "font-", "xorg-", "go-", "rust-"]
SYLLABLES = ["ar", "bo", "cy", "da", "el", "fo", "gi", "ha", "io", "ju", "ka", "lo", "mi", "no", "ox", "pa", "qu", "ro", "si", "tu", "ul", "vi", "wa", "xe", "yo", "ze", "net", "lib", "core", "kit", "viz", "data", "geo", "bio", "sql", "http", "json", "xml", "gpu", "cl", "async", "fast", "tiny", "stat", "plot", "math"]
LICENSES = [("MIT", "MIT"), ("BSD-3-Clause", "BSD"), ("Apache-2.0", "APACHE"), ("GPL-3.0-or-later", "GPL3"), ("LGPL-2.1-or-later", "LGPL"), ("MPL-2.0", "OTHER"), ("PSF-2.0", "PSF")]
PYTHONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]
SYSTEM_DEPS = ["libgcc-ng >=12", "libstdcxx-ng >=12", "libzlib >=1.2.13,<2.0.0a0", "openssl >=3.2.1,<4.0a0", "libblas >=3.9.0,<4.0a0", "libcblas >=3.9.0,<4.0a0", "liblapack >=3.9.0,<4.0a0", "_openmp_mutex >=4.5", "libffi >=3.4,<4.0a0", "xz >=5.2.6,<6.0a0", "bzip2 >=1.0.8,<2.0a0", "libcurl >=8.5.0,<9.0a0", "zstd >=1.5.5,<1.6.0a0"]


def make_names(rng, count):
    names = list(REAL_NAMES)
    seen = set(names)
    while len(names) < count:
        name = rng.choice(PREFIXES) + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if rng.random() < 0.15:
            name += rng.choice(["-core", "-base", "-cpp", "-devel", "-python", "-tools", "-plugin"])
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def versions_for(rng, n):
    major = rng.randint(0, 5)
    minor = rng.randint(0, 30)
    out = []
    patch = 0
    for _ in range(n):
        r = rng.random()
        if r < 0.08:
            major += 1
            minor, patch = 0, 0
        elif r < 0.35:
            minor += 1
            patch = 0
        else:
            patch += 1
        v = "%d.%d.%d" % (major, minor, patch)
        s = rng.random()
        if s < 0.03:
            v += "rc%d" % rng.randint(1, 3)
        elif s < 0.05:
            v = "%d.%d" % (major, minor)
        elif s < 0.06:
            v += ".post%d" % rng.randint(1, 2)
        out.append(v)
    return out


def hexdigits(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def record(rng, name, version, names, is_python, py, build_number):
    deps = []
    if is_python:
        major, minor = py.split(".")
        deps += ["python >=%s,<%s.%d.0a0" % (py, major, int(minor) + 1),
                 "python_abi %s.* *_cp%s%s" % (py, major, minor)]
    deps += rng.sample(SYSTEM_DEPS, rng.randint(0, 4))
    for _ in range(rng.randint(0, 6)):
        dep = rng.choice(names[:3000] if rng.random() < 0.7 else names)
        if dep == name:
            continue
        form = rng.random()
        if form < 0.4:
            deps.append(dep)
        elif form < 0.8:
            a, b = rng.randint(0, 5), rng.randint(0, 20)
            deps.append("%s >=%d.%d,<%d.0a0" % (dep, a, b, a + 1))
        else:
            deps.append("%s %d.%d.*" % (dep, rng.randint(0, 5), rng.randint(0, 20)))
    h = hexdigits(rng, 7)
    if is_python:
        build = "py%sh%s_%d" % (py.replace(".", ""), h, build_number)
    else:
        build = "h%s_%d" % (h, build_number)
    lic, fam = rng.choice(LICENSES)
    rec = {
        "build": build,
        "build_number": build_number,
        "depends": sorted(deps),
        "license": lic,
        "license_family": fam,
        "md5": hexdigits(rng, 32),
        "name": name,
        "sha256": hexdigits(rng, 64),
        "size": rng.randint(5_000, 80_000_000),
        "subdir": "linux-64",
        "timestamp": rng.randint(1_500_000_000_000, 1_730_000_000_000),
        "version": version,
    }
    if rng.random() < 0.12:
        rec["constrains"] = sorted("%s >=%d.%d" % (rng.choice(names), rng.randint(0, 3), rng.randint(0, 9)) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.01:
        rec["track_features"] = rng.choice(["cpuonly", "blas_openblas", "pypy"])
    if rng.random() < 0.5:
        rec["purls"] = ["pkg:pypi/%s" % name]
    return build, rec


@dataclass
class Channel:
    dir: Path  # <dir>/linux-64/repodata.json (+ .zst): a valid local channel layout
    repodata: Path
    repodata_zst: Path
    records: int
    lookups: list  # names with the most records, most first


def generate(dir, records, seed):
    rng = random.Random(seed)
    names = make_names(rng, max(200, records // 18))
    # Zipf-like: a few names carry thousands of builds, most carry a handful.
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(names))]
    counts = [max(1, int(w * records / sum(weights))) for w in weights]
    packages, packages_conda = {}, {}
    total = 0
    for name, count in zip(names, counts):
        if total >= records:
            break
        count = min(count, records - total)
        is_python = name.startswith("py") or name in ("numpy", "scipy", "pandas", "pytorch", "torchvision", "torchaudio", "pyarrow", "grpcio")
        nversions = max(1, count // (len(PYTHONS) * 2 if is_python else 2))
        produced = 0
        for version in versions_for(rng, 4 * nversions):
            for build_number in range(rng.randint(1, 2)):
                for py in (PYTHONS if is_python else [None]):
                    if produced >= count:
                        break
                    build, rec = record(rng, name, version, names, is_python, py, build_number)
                    stem = "%s-%s-%s" % (name, version, build)
                    r = rng.random()
                    if r < 0.45:
                        packages[stem + ".tar.bz2"] = rec
                    else:
                        packages_conda[stem + ".conda"] = rec
                        if r > 0.95:  # published in both formats
                            packages[stem + ".tar.bz2"] = dict(rec, md5=hexdigits(rng, 32), sha256=hexdigits(rng, 64))
                    produced += 1
            if produced >= count:
                break
        total += produced
    doc = {"info": {"subdir": "linux-64"}, "packages": packages, "packages.conda": packages_conda,
           "removed": [], "repodata_version": 1}
    sub = dir / "linux-64"
    sub.mkdir(parents=True, exist_ok=True)
    tmp = sub / "repodata.json.tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    os.replace(tmp, sub / "repodata.json")
    subprocess.run(["zstd", "-q", "-f", "-T2", "-3", str(sub / "repodata.json"), "-o", str(sub / "repodata.json.zst")], check=True)
    by_count = {}
    for key, rec in list(packages.items()) + list(packages_conda.items()):
        by_count[rec["name"]] = by_count.get(rec["name"], 0) + 1
    meta = {"records": len(packages) + len(packages_conda), "lookups": sorted(by_count, key=lambda n: -by_count[n])[:200]}
    (dir / "meta.json").write_text(json.dumps(meta))


def channel(args):
    key = hashlib.sha256(("v2 %d %d" % (args.records, args.seed)).encode()).hexdigest()[:12]
    dir = Path(args.dir) / ("conda-channel-" + key)
    if not (dir / "meta.json").exists():
        print("generating %d records in %s (once) ..." % (args.records, dir), flush=True)
        start = time.perf_counter()
        generate(dir, args.records, args.seed)
        print("  generated in %.0f s" % (time.perf_counter() - start), flush=True)
    meta = json.loads((dir / "meta.json").read_text())
    return Channel(dir, dir / "linux-64" / "repodata.json", dir / "linux-64" / "repodata.json.zst", meta["records"], meta["lookups"])


def run_json(cmd):
    start = time.perf_counter()
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - start
    if r.returncode != 0:
        raise SystemExit("command failed (exit %d): %s\n%s%s" % (r.returncode, " ".join(map(str, cmd)), r.stdout, r.stderr))
    return wall, json.loads(r.stdout.strip().splitlines()[-1])


def median_run(runs, cmd):
    results = [run_json(cmd) for _ in range(runs)]
    results.sort(key=lambda x: x[0])
    return results[len(results) // 2]


def parse_rows(args, ch):
    probe = BIN / "conda_probe"
    if not probe.exists():
        raise SystemExit("%s not found: build first (cmake --build build --target conda_probe)" % probe)
    names = ch.lookups[: args.lookups]
    rows = []
    for label, path in (("airlock index repodata.json", ch.repodata), ("airlock index repodata.json.zst", ch.repodata_zst)):
        wall, out = median_run(args.runs, [probe, path] + names)
        rows.append((label, wall, out["peak_rss_kib"], out["index_cpu_s"],
                     "index %.2f s (CPU %.2f s); %d names' records -> %d records in %.2f s (CPU %.2f s); %d entries, %d names, %d rejected"
                     % (out["index_s"], out["index_cpu_s"], out["looked_up"], out["records"], out["lookup_s"], out["lookup_cpu_s"],
                        out["entries"], out["names"], out["rejected"])))
    code = ("import json, resource, sys, time\n"
            "t = time.perf_counter(); c = time.process_time(); d = json.load(open(sys.argv[1]))\n"
            "t = time.perf_counter() - t; c = time.process_time() - c\n"
            "print(json.dumps({'load_s': t, 'load_cpu_s': c, 'peak_rss_kib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))")
    wall, out = median_run(args.runs, [sys.executable, "-c", code, ch.repodata])
    rows.append(("python3 json.load", wall, out["peak_rss_kib"], out["load_cpu_s"], "load %.2f s (CPU %.2f s)" % (out["load_s"], out["load_cpu_s"])))
    return rows


def lock_command(build, manifest, out, cache):
    return [build, "lock", manifest, "-o", out, "--cache-dir", cache]


def warm_lock(args, d, name, manifest_text):
    """Median wall time and child CPU time of `lock` with a warm cache (one run warms it); the
    peak RSS is the largest of the runs'. Revalidation with the server is part of every run."""
    build = BIN / "airlock-build"
    work = d / name
    work.mkdir()
    manifest = work / "manifest.toml"
    manifest.write_text(manifest_text)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    cmd = [str(c) for c in lock_command(build, manifest, work / "out", work / "cache")]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    samples = []
    for _ in range(max(args.runs, 5)):
        start = time.perf_counter()
        with open(work / "stdout", "w") as out, open(work / "stderr", "w") as err:
            child = subprocess.Popen(cmd, env=env, stdout=out, stderr=err)
            _, status, usage = os.wait4(child.pid, 0)  # this child's own CPU time and peak RSS
            child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        if child.returncode != 0:
            raise SystemExit("lock failed (exit %d): %s\n%s%s" % (child.returncode, " ".join(cmd),
                                                                  (work / "stdout").read_text(), (work / "stderr").read_text()))
        samples.append((wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss))
    samples.sort()
    wall, cpu, _ = samples[len(samples) // 2]
    return wall, max(s[2] for s in samples), cpu


def lock_rows(args, ch):
    """Warm `airlock-build lock` of one target: a small spec and the torch-like spec on the
    torch-like fixture channels (pytorch, nvidia, conda-forge, made by cph), and one exact spec
    on the generated conda-forge-sized channel (the cost of a 300 MB channel in a warm lock)."""
    sys.path.insert(0, str(ROOT / "tests" / "support"))
    from airlock_testing import conda  # noqa: E402
    from airlock_testing.nginx import Nginx  # noqa: E402

    d = Path(tempfile.mkdtemp(prefix="airlock-conda-lock-bench-"))
    try:
        root = d / "srv"
        conda.torch_channels(root)
        big = root / "big"
        (big / "linux-64").mkdir(parents=True)
        (big / "noarch").mkdir()
        (big / "noarch" / "repodata.json").write_text('{"info": {"subdir": "noarch"}, "packages": {}, "packages.conda": {}}')
        for f in (ch.repodata, ch.repodata_zst):
            os.symlink(f, big / "linux-64" / f.name)
        # In a child: json.load's 1.1 GB would otherwise show in every later child's peak RSS
        # (Linux carries a parent's high-water mark into its children).
        code = ("import json, sys\n"
                "doc = json.load(open(sys.argv[1])); names = set(json.loads(sys.argv[2]))\n"
                "print(json.dumps(next(r for r in list(doc['packages.conda'].values()) + list(doc['packages'].values())"
                " if not r['depends'] and r['name'] in names)))")
        leaf = json.loads(subprocess.run([sys.executable, "-c", code, str(ch.repodata), json.dumps(ch.lookups[:50])],
                                         check=True, capture_output=True, text=True).stdout)
        target = {"linux-py312-cu124": conda.TORCH_TARGETS["linux-py312-cu124"]}
        rows = []
        with Nginx(root) as server:
            for label, text in (
                ("warm lock, small spec (python=3.12), torch-like channels",
                 conda.torch_manifest(server.url, specs=["python=3.12"], targets=target)),
                ("warm lock, torch-like spec (pytorch=2.3.1, numpy<2)",
                 conda.torch_manifest(server.url, targets=target)),
                ("warm lock, %s==%s=%s on the generated channel" % (leaf["name"], leaf["version"], leaf["build"]),
                 conda.torch_manifest(server.url, specs=["%s==%s=%s" % (leaf["name"], leaf["version"], leaf["build"])],
                                      targets=target).replace('channels = ["pytorch", "nvidia", "conda-forge"]',
                                                              'channels = ["big"]')),
            ):
                wall, rss, cpu = warm_lock(args, d, "lock-%d" % len(rows), text)
                rows.append((label, wall, rss, cpu, "CPU %.3f s" % cpu))
        return rows
    finally:
        shutil.rmtree(d, ignore_errors=True)


# Each section: f(args, channel) -> [(label, wall seconds, peak RSS KiB, CPU seconds, note)].
SECTIONS = [parse_rows, lock_rows]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=450_000)
    ap.add_argument("--runs", type=int, default=3, help="median of this many runs per row")
    ap.add_argument("--lookups", type=int, default=20, help="names whose records are parsed after indexing")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "airlock-conda-bench"), help="where the generated channel is kept")
    args = ap.parse_args()

    ch = channel(args)
    load = os.getloadavg()[0]
    if load > os.cpu_count():
        print("note: load average %.1f on %d CPUs: wall times are inflated; CPU times are the steadier figure" % (load, os.cpu_count()))
    size = ch.repodata.stat().st_size
    print("channel: %s  (%.0f MB repodata.json, %.0f MB .zst, %d records)" % (ch.dir, size / 1e6, ch.repodata_zst.stat().st_size / 1e6, ch.records))
    rows = []
    for section in SECTIONS:
        rows += section(args, ch)
    width = max(len(r[0]) for r in rows)
    print("%-*s  %8s  %9s  %s" % (width, "", "wall", "peak RSS", ""))
    for label, wall, rss, cpu, note in rows:
        print("%-*s  %7.2fs  %6.0f MB  %s" % (width, label, wall, rss / 1024, note))
    base = next((r for r in rows if r[0] == "airlock index repodata.json"), None)
    py = next((r for r in rows if r[0] == "python3 json.load"), None)
    if base and py:
        print("json.load / airlock: %.1fx time, %.1fx memory" % (py[1] / base[1], py[2] / base[2]))
        rss_ok = base[2] < 1024 * 1024
        print("targets (cold parse < 1.5 s, < 1 GB peak RSS): wall %.2f s %s, index CPU %.2f s %s, RSS %s"
              % (base[1], "met" if base[1] < 1.5 else "NOT met", base[3], "met" if base[3] < 1.5 else "NOT met",
                 "met" if rss_ok else "NOT met"))
    torch = next((r for r in rows if r[0].startswith("warm lock, torch-like spec")), None)
    if torch:
        print("target (warm lock of the torch-like spec < 0.2 s): %.3f s %s"
              % (torch[1], "met" if torch[1] < 0.2 else "NOT met"))


if __name__ == "__main__":
    main()
