#!/usr/bin/env python3
"""Benchmark: airlock's downloader against aria2c, curl --parallel and pip download on the same
nginx, under three server profiles:

  uncapped   loopback, no limits
  throttled  a CDN that caps each connection: limit_rate 4m
  busy       a busy mirror: limit_rate 4m + limit_conn 16 per client (503 beyond)

The data set is torch-like: a few 100-300 MB wheels plus many small ones (~700 MB in all;
`--quick` uses ~70 MB). The wheels are real (stored zip files with random payloads) so pip can
download them from a PEP 503 page. For each tool it prints wall time, bytes of correct files and
peak RSS, then ratios against airlock (defaults, cold cache, sha256 verified).

    python3 tests/bench/fetch_bench.py [--quick] [--profiles uncapped,throttled,busy] [--skip-pip]
                                       [--repeat 3] [--only airlock,curl]
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fetch"))
from fetch_support import Nginx, airlock_build, clean_env  # noqa: E402

MB = 1_000_000
PROFILES = {
    "uncapped": dict(),
    "throttled": dict(limit_rate="4m"),
    "busy": dict(limit_rate="4m", limit_conn=16),
}


# -- the data set ---------------------------------------------------------------------------------
def make_wheel(path: Path, name: str, payload: int, seed: int):
    """A valid, installable-looking wheel whose payload is `payload` random bytes (stored)."""
    dist = f"{name}-1.0.dist-info"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        with z.open(f"{name}/payload.bin", "w", force_zip64=True) as f:
            left = payload
            while left:
                n = min(left, 1 << 20)
                f.write(os.urandom(n))
                left -= n
        z.writestr(f"{name}/__init__.py", "")
        z.writestr(f"{dist}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        z.writestr(f"{dist}/WHEEL", "Wheel-Version: 1.0\nGenerator: airlock-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        z.writestr(f"{dist}/RECORD", "")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def build_dataset(root: Path, quick: bool):
    """Returns [(project, filename, size, sha256)]; reuses a previous build of the same kind."""
    marker = root / ("DONE-quick" if quick else "DONE-full")
    files = root / "files"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        files.mkdir(parents=True)
        scale = 10 if quick else 1
        big = [("torch", 300 * MB), ("nvidia_cudnn_cu12", 200 * MB), ("nvidia_cublas_cu12", 100 * MB)]
        small = []
        sizes = [3 * MB, 2 * MB, 1 * MB, 600_000, 250_000, 90_000]
        for i in range(60):
            small.append((f"dep{i:02d}", sizes[i % len(sizes)] + 1000 * i))
        print(f"building the {'quick' if quick else 'full'} data set in {root} ...", flush=True)
        for i, (name, size) in enumerate(big + small):
            make_wheel(files / f"{name}-1.0-py3-none-any.whl", name, max(1000, size // scale), i)
        marker.touch()
    out = []
    for path in sorted(files.glob("*.whl")):
        project = path.name.split("-")[0]
        out.append((project, path.name, path.stat().st_size, sha256_file(path)))
    # A PEP 503 index for pip.
    simple = root / "simple"
    shutil.rmtree(simple, ignore_errors=True)
    simple.mkdir()
    for project, name, size, digest in out:
        d = simple / project.replace("_", "-")
        d.mkdir(exist_ok=True)
        (d / "index.html").write_text(
            f'<!DOCTYPE html><html><body><a href="/files/{name}#sha256={digest}">{name}</a></body></html>\n')
    return out


# -- running a tool -------------------------------------------------------------------------------
def run_measured(cmd, env=None, cwd=None, timeout=1800):
    """Runs `cmd`; returns (exit code, seconds, peak RSS in MiB of the process tree's largest)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except KeyboardInterrupt:
        proc.kill()
        raise
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    children = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN).ru_maxrss
    rss = max(usage.ru_maxrss, 0) / 1024
    return proc.returncode, seconds, rss, err, children


def correct_bytes(out: Path, dataset, check_hash=False):
    total = 0
    for _, name, size, digest in dataset:
        p = out / name
        if p.exists() and p.stat().st_size == size and (not check_hash or sha256_file(p) == digest):
            total += size
    return total


def tools(args, ng, dataset, work: Path):
    """Yields (label, command, env) for each tool."""
    base = f"http://127.0.0.1:{ng.port}"
    urls = [f"{base}/files/{name}" for _, name, _, _ in dataset]
    airlock_list = work / "airlock.txt"
    airlock_list.write_text("".join(f"{u} sha256={d} size={s}\n" for u, (_, _, s, d) in zip(urls, dataset)))
    aria_list = work / "aria2.txt"
    aria_list.write_text("".join(f"{u}\n" for u in urls))
    curl_cfg = work / "curl.cfg"
    curl_cfg.write_text("".join(f'url = "{u}"\noutput = "{name}"\n' for u, (_, name, _, _) in zip(urls, dataset)))
    env = clean_env()
    yield ("airlock (defaults)",
           lambda out: [airlock_build(), "download", str(airlock_list), "-o", str(out),
                        "--cache-dir", str(out) + ".cache", "--quiet"], env)
    aria_common = ["aria2c", "-i", str(aria_list), "--allow-overwrite=true", "--auto-file-renaming=false",
                   "--console-log-level=error", "--summary-interval=0", "--file-allocation=none"]
    for flags in (["-x16", "-s16", "-k1M", "-j5"], ["-x16", "-s16", "-k1M", "-j1"], ["-x16", "-s16", "-k1M", "-j16"]):
        yield ("aria2c " + " ".join(flags), lambda out, flags=flags: aria_common + flags + ["-d", str(out)], env)
    yield ("curl --parallel --parallel-max 16",
           lambda out: ["curl", "-s", "-S", "--fail", "--parallel", "--parallel-max", "16", "-K", str(curl_cfg)], env)
    # What a user must do to get the guarantee airlock gives: download, then check every hash.
    yield ("curl --parallel, then sha256sum",
           lambda out: ["sh", "-c", 'curl -s -S --fail --parallel --parallel-max 16 -K "$1" && sha256sum -- *.whl >/dev/null',
                        "sh", str(curl_cfg)], env)
    if not args.skip_pip:
        pip_env = {k: v for k, v in env.items() if not k.startswith("PIP_")}
        pip_env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        projects = sorted({p.replace("_", "-") + "==1.0" for p, _, _, _ in dataset})
        yield ("pip download",
               lambda out: [sys.executable, "-m", "pip", "download", "--isolated", "--no-deps",
                            "--no-cache-dir", "--only-binary=:all:", "--progress-bar", "off", "-q",
                            "--index-url", f"{base}/simple/", "-d", str(out), *projects], pip_env)


def bench_profile(args, profile, dataset, root: Path, work: Path):
    results = []
    total = sum(s for _, _, s, _ in dataset)
    with Nginx(root, workers=2, **PROFILES[profile]) as ng:
        for label, make_cmd, env in tools(args, ng, dataset, work):
            if args.only and not any(o in label for o in args.only.split(",")):
                continue
            if "sha256sum" in label and profile != "uncapped":
                continue  # only the uncapped link is fast enough for hashing to matter
            out = work / "out"
            runs = []
            # Short runs are noisy: repeat them and keep the median (of wall time).
            while len(runs) < args.repeat and (not runs or runs[-1][1] < 10):
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(str(out) + ".cache", ignore_errors=True)
                out.mkdir()
                subprocess.run(["sync"])
                code, seconds, rss, err, _ = run_measured(make_cmd(out), env=env, cwd=out)
                got = correct_bytes(out, dataset, check_hash=label.startswith("airlock"))
                runs.append((code, seconds, rss, err, got))
                if code != 0 or got != total:
                    break
            code, seconds, rss, err, got = sorted(runs, key=lambda r: r[1])[len(runs) // 2]
            if any(r[0] != 0 or r[4] != total for r in runs):
                code, seconds, rss, err, got = next(r for r in runs if r[0] != 0 or r[4] != total)
            rss = max(r[2] for r in runs)
            ok = code == 0 and got == total
            results.append(dict(tool=label, seconds=seconds, bytes=got, rss=rss, ok=ok, code=code))
            status = "ok" if ok else f"FAILED (exit {code}, {got / MB:.0f} of {total / MB:.0f} MB)"
            print(f"  {profile:9s} {label:38s} {seconds:7.2f} s  {got / MB:7.1f} MB  {rss:6.1f} MiB  {status}",
                  flush=True)
            if not ok and err.strip():
                print("    " + err.strip().splitlines()[-1][:200], flush=True)
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(str(out) + ".cache", ignore_errors=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="~70 MB instead of ~700 MB")
    parser.add_argument("--profiles", default="uncapped,throttled,busy")
    parser.add_argument("--skip-pip", action="store_true", help="pip takes minutes on throttled profiles")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per tool when a run takes under 10 s (the median is shown)")
    parser.add_argument("--only", default="", help="comma-separated substrings of tool labels to run")
    parser.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "airlock-fetch-bench"))
    args = parser.parse_args()

    root = Path(args.data) / ("quick" if args.quick else "full")
    dataset = build_dataset(root, args.quick)
    total = sum(s for _, _, s, _ in dataset)
    print(f"{len(dataset)} files, {total / MB:.0f} MB; airlock = {airlock_build()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="airlock-bench-", dir=args.data))
    table = {}
    try:
        for profile in args.profiles.split(","):
            table[profile] = bench_profile(args, profile, dataset, root, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"{'profile':10s} {'tool':38s} {'time s':>8s} {'MB':>8s} {'RSS MiB':>8s} {'vs airlock':>10s}")
    verdicts = []
    for profile, rows in table.items():
        mine = next((r for r in rows if r["tool"].startswith("airlock")), None)
        for r in rows:
            ratio = ""
            if mine and mine["ok"] and r["ok"]:
                ratio = f"{r['seconds'] / mine['seconds']:.2f}x"
            elif not r["ok"]:
                ratio = "failed"
            print(f"{profile:10s} {r['tool']:38s} {r['seconds']:8.2f} {r['bytes'] / MB:8.1f} {r['rss']:8.1f} {ratio:>10s}")
        if not mine:
            continue
        arias = [r for r in rows if r["tool"].startswith("aria2c") and r["ok"]]
        peers = [r for r in rows if not r["tool"].startswith("airlock") and r["ok"]]
        if not mine["ok"]:
            verdicts.append(f"{profile}: airlock FAILED")
            continue
        if arias:
            best = min(arias, key=lambda r: r["seconds"])
            ratio = mine["seconds"] / best["seconds"]
            verdicts.append(f"{profile}: airlock / best aria2c ({best['tool']}) = {ratio:.2f} "
                            f"({'ok' if ratio <= 1.05 else 'MISSED'}, target <= 1.05)")
        if profile == "uncapped" and peers:
            fastest = min(peers, key=lambda r: r["seconds"])
            ratio = mine["seconds"] / fastest["seconds"]
            verdicts.append(f"{profile}: airlock / fastest peer ({fastest['tool']}) = {ratio:.2f} "
                            f"({'ok' if ratio <= 1.1 else 'MISSED'}, target <= 1.1)")
        verified = next((r for r in peers if "sha256sum" in r["tool"]), None)
        if verified:
            verdicts.append(f"{profile}: airlock / {verified['tool']} (the same guarantee) = "
                            f"{mine['seconds'] / verified['seconds']:.2f}")
        pip = next((r for r in rows if r["tool"] == "pip download" and r["ok"]), None)
        if pip and profile != "uncapped":
            speedup = pip["seconds"] / mine["seconds"]
            verdicts.append(f"{profile}: pip / airlock = {speedup:.1f}x ({'ok' if speedup >= 10 else 'MISSED'}, target >= 10)")
        verdicts.append(f"{profile}: airlock peak RSS {mine['rss']:.1f} MiB "
                        f"({'ok' if mine['rss'] < 64 else 'MISSED'}, target < 64)")
    print()
    for v in verdicts:
        print(v)


if __name__ == "__main__":
    main()
