"""Real conda packages and channels, built with Debian's conda-package-handling (`cph`).

    fx = conda.torch_channels(tmp)          # pytorch, nvidia and conda-forge channels under tmp
    with Nginx(fx.root) as server:
        fx.channel_url(server.url, "pytorch")   # http://127.0.0.1:PORT/pytorch

Every package is a real `.tar.bz2` or `.conda` (v2: a zip holding metadata.json and
info-/pkg- tar.zst members) with `info/index.json`, `info/paths.json` (sha256, size, path_type,
file_mode, prefix_placeholder), `info/files` and, for `noarch: python`, `info/link.json`. Each
channel has `<subdir>/repodata.json` for every subdir it serves plus `noarch` (conda-forge's also
as `repodata.json.zst`, like the real one). Packages are a few small files each: text files that
carry the prefix placeholder, one binary file with it (libtorch), and symlinks, so an installer
has every case to handle.

The set follows the real channels: `pytorch` 2.3.1 builds `py3.12_cuda12.1_cudnn8_0` /
`py3.11_cuda11.8_cudnn8_0` / `py3.12_cpu_0` for linux-64 and win-64, `pytorch-mutex` 1.0 `cuda`
and `cpu`, `pytorch-cuda` 11.8 and 12.1 depending on `cuda-cudart >=12.1,<12.2` etc., `cpuonly`
(track_features), nvidia's `cuda-version` whose `constrains` bind `__cuda`, conda-forge's python
3.11/3.12 with `python_abi`, numpy 1.26/2.1, `sysroot_linux-64` (constrains `__glibc`) and the
linux-only `nccl`. Like conda-forge's GPU builds, `pytorch-cuda` depends on `__cuda`, so a target
without CUDA gets the CPU builds. Same inputs give the same bytes (fixed mtimes and timestamps).
"""

import bz2
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

PLACEHOLDER = "/opt/anaconda1anaconda2anaconda3"
MTIME = 1700000000  # every file in every package (deterministic archives)
SUBDIRS = ("linux-64", "win-64")


@dataclass
class Package:
    name: str
    version: str
    build: str
    subdir: str  # linux-64, win-64 or noarch
    build_number: int = 0
    depends: Sequence[str] = ()
    constrains: Sequence[str] = ()
    track_features: str = ""
    noarch: Optional[str] = None  # "python" or "generic"
    formats: Sequence[str] = (".tar.bz2",)
    timestamp: int = 1717000000000  # milliseconds, as repodata has it
    license: str = "BSD-3-Clause"
    # Own contents instead of the generated ones: (path, bytes | ("link", target) |
    # ("text" | "binary", data[, placeholder])); files under bin/ and python-scripts/ are executable.
    files: Optional[Sequence[Tuple[str, object]]] = None
    entry_points: Sequence[str] = ()  # noarch: python console scripts, "cmd = module:function"

    @property
    def stem(self) -> str:
        return "%s-%s-%s" % (self.name, self.version, self.build)


@dataclass
class BuiltFile:
    package: Package
    channel: str
    filename: str
    path: Path
    sha256: str
    md5: str
    size: int
    record: dict  # the repodata record


@dataclass
class Channels:
    root: Path
    files: List[BuiltFile] = field(default_factory=list)

    def channel_url(self, server_url: str, channel: str) -> str:
        return "%s/%s" % (server_url, channel)

    def file(self, channel: str, subdir: str, filename: str) -> BuiltFile:
        for f in self.files:
            if (f.channel, f.package.subdir, f.filename) == (channel, subdir, filename):
                return f
        raise KeyError("%s/%s/%s" % (channel, subdir, filename))

    def find(self, name: str, version: str, build: str, subdir: str) -> List[BuiltFile]:
        return [f for f in self.files if (f.package.name, f.package.version, f.package.build, f.package.subdir)
                == (name, version, build, subdir)]

    def preferred(self, name: str, version: str, build: str, subdir: str) -> BuiltFile:
        """The file a client should take for a build: `.conda` over `.tar.bz2`."""
        found = sorted(self.find(name, version, build, subdir), key=lambda f: not f.filename.endswith(".conda"))
        if not found:
            raise KeyError("%s %s %s (%s)" % (name, version, build, subdir))
        return found[0]


def cph_python() -> str:
    """The interpreter that runs Debian's `cph` (its shebang), which can import
    conda_package_handling; raises with the install command when cph is missing."""
    cph = shutil.which("cph")
    if not cph:
        raise FileNotFoundError("cph not found: apt-get install conda-package-handling (packaging/setup.sh does)")
    with open(cph, "rb") as f:
        first = f.readline().decode().strip()
    if not first.startswith("#!"):
        raise RuntimeError("%s has no shebang line" % cph)
    return first[2:].strip().split()[0]


# ------------------------------------------------------------------ package contents

def _site_packages(pkg: Package, python: str) -> str:
    if pkg.noarch == "python":
        return "site-packages"
    if pkg.subdir.startswith("win"):
        return "Lib/site-packages"
    return "lib/python%s/site-packages" % python


def _python_of(pkg: Package) -> str:
    for d in pkg.depends:
        parts = d.split()
        if parts[0] == "python" and len(parts) > 1 and parts[1].startswith(">=3."):
            return parts[1][2:].split(",")[0]
    if pkg.name == "python":
        return ".".join(pkg.version.split(".")[:2])
    return "3.12"


def _contents(pkg: Package) -> List[Tuple[str, object]]:
    """(relative path, bytes | ("link", target) | ("text", str with placeholder) | ("binary", bytes))."""
    win = pkg.subdir.startswith("win")
    ident = "%s %s %s\n" % (pkg.name, pkg.version, pkg.build)
    module = pkg.name.replace("-", "_")
    if pkg.files is not None:
        return list(pkg.files)
    out: List[Tuple[str, object]] = []
    if pkg.name == "python":
        short = ".".join(pkg.version.split(".")[:2])
        if win:
            out.append(("python.exe", ("binary", b"MZ fixture python.exe " + ident.encode() + PLACEHOLDER.encode() + b"\0")))
            out.append(("Lib/os.py", ("text", "# fixture stdlib\nPREFIX = '%s'\n" % PLACEHOLDER)))
        else:
            out.append(("bin/python" + short, ("text", "#!/bin/sh\n# %sPREFIX=%s\necho Python %s\n"
                                                 % (ident, PLACEHOLDER, pkg.version))))
            out.append(("bin/python3", ("link", "python" + short)))
            out.append(("lib/python%s/os.py" % short, ("text", "# fixture stdlib\nPREFIX = '%s'\n" % PLACEHOLDER)))
        return out
    if pkg.noarch == "python" or pkg.name in ("pytorch", "numpy"):
        site = _site_packages(pkg, _python_of(pkg))
        top = "torch" if pkg.name == "pytorch" else module
        out.append(("%s/%s/__init__.py" % (site, top),
                    ("%s__version__ = %r\n__build__ = %r\n" % ("# " + ident, pkg.version, pkg.build)).encode()))
        if pkg.name == "pytorch":
            lib = "Library/bin/torch_cpu.dll" if win else "lib/libtorch_cpu.so"
            out.append((lib, ("binary", b"\x7fELF fixture libtorch " + ident.encode() + PLACEHOLDER.encode() + b"\0" * 16)))
        return out
    if pkg.noarch == "generic":
        out.append(("share/%s/README" % pkg.name, ident.encode()))
        return out
    if win:
        out.append(("Library/bin/%s.dll" % module, ("MZ fixture " + ident).encode()))
    else:
        soname = "lib/lib%s.so.%s" % (module, pkg.version.split(".")[0])
        out.append((soname, ("text", "# fixture library %sPREFIX=%s\n" % (ident, PLACEHOLDER))))
        out.append(("lib/lib%s.so" % module, ("link", os.path.basename(soname))))
    return out


def index_json(pkg: Package) -> dict:
    arch = {"linux-64": "x86_64", "win-64": "x86_64", "noarch": None}[pkg.subdir]
    platform = {"linux-64": "linux", "win-64": "win", "noarch": None}[pkg.subdir]
    d = {
        "arch": arch,
        "build": pkg.build,
        "build_number": pkg.build_number,
        "depends": list(pkg.depends),
        "license": pkg.license,
        "name": pkg.name,
        "platform": platform,
        "subdir": pkg.subdir,
        "timestamp": pkg.timestamp,
        "version": pkg.version,
    }
    if pkg.constrains:
        d["constrains"] = list(pkg.constrains)
    if pkg.track_features:
        d["track_features"] = pkg.track_features
    if pkg.noarch:
        d["noarch"] = pkg.noarch
    return d


def _write_prefix(pkg: Package, prefix: Path) -> List[str]:
    """Writes the package tree (payload + info/) under `prefix`; returns every file, info last."""
    paths = []
    for rel, content in _contents(pkg):
        p = prefix / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        entry = {"_path": rel}
        if isinstance(content, tuple) and content[0] == "link":
            os.symlink(content[1], p)
            entry.update(path_type="softlink", sha256=hashlib.sha256(content[1].encode()).hexdigest(),
                         size_in_bytes=len(content[1].encode()))
        else:
            if isinstance(content, tuple):
                mode, data = content[0], content[1]
                data = data.encode() if isinstance(data, str) else data
                entry.update(file_mode=mode, prefix_placeholder=content[2] if len(content) > 2 else PLACEHOLDER)
            else:
                data = content
            p.write_bytes(data)
            if rel.startswith(("bin/", "python-scripts/")):
                p.chmod(0o755)
            entry.update(path_type="hardlink", sha256=hashlib.sha256(data).hexdigest(), size_in_bytes=len(data))
        paths.append(entry)
    paths.sort(key=lambda e: e["_path"])
    info = prefix / "info"
    info.mkdir()
    files = [e["_path"] for e in paths]
    (info / "files").write_text("".join(f + "\n" for f in files))
    (info / "paths.json").write_text(json.dumps({"paths": paths, "paths_version": 1}, indent=2, sort_keys=True) + "\n")
    (info / "index.json").write_text(json.dumps(index_json(pkg), indent=2, sort_keys=True) + "\n")
    (info / "about.json").write_text(json.dumps({"summary": "airlock test fixture " + pkg.name}, sort_keys=True) + "\n")
    extra = ["info/about.json", "info/files", "info/index.json", "info/paths.json"]
    if pkg.noarch == "python":
        noarch = {"type": "python"}
        if pkg.entry_points:
            noarch["entry_points"] = list(pkg.entry_points)
        (info / "link.json").write_text(json.dumps({"noarch": noarch, "package_metadata_version": 1},
                                                   indent=2, sort_keys=True) + "\n")
        extra.append("info/link.json")
    for dirpath, dirnames, filenames in os.walk(prefix):
        for n in dirnames + filenames:
            os.utime(os.path.join(dirpath, n), (MTIME, MTIME), follow_symlinks=False)
    return files + extra


# cph's own default is zstd level 21 with a huge window (gigabytes of memory per package); the
# clock is pinned so zip entries in .conda files get fixed times too.
_CREATE = r"""
import json, sys, time
time.time = lambda: %d.0
import zstandard
from conda_package_handling import api
for job in json.load(sys.stdin):
    kw = {"compressor": lambda: zstandard.ZstdCompressor(level=9)} if job["out"].endswith(".conda") else {}
    api.create(job["prefix"], job["files"], job["out"], out_folder=job["folder"], **kw)
""" % MTIME


def build_packages(jobs: Sequence[Tuple[Package, str, Path]], workdir: Path) -> List[Path]:
    """Builds each (package, format, out folder) with conda-package-handling in one process."""
    requests = []
    outs = []
    for i, (pkg, fmt, folder) in enumerate(jobs):
        prefix = workdir / ("p%d" % i)
        prefix.mkdir(parents=True)
        files = _write_prefix(pkg, prefix)
        folder.mkdir(parents=True, exist_ok=True)
        requests.append({"prefix": str(prefix), "files": files, "out": pkg.stem + fmt, "folder": str(folder)})
        outs.append(folder / (pkg.stem + fmt))
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["TZ"] = "UTC"
    # cph 2.0 puts a .conda's payload files in a set (utils.filter_files) and writes them in set
    # order, which follows Python's per-process string hash seed: pin it, or the same inputs give
    # two different pkg-*.tar.zst whenever a package has two or more payload files.
    env["PYTHONHASHSEED"] = "0"
    r = subprocess.run([cph_python(), "-c", _CREATE], input=json.dumps(requests), text=True,
                       capture_output=True, env=env, cwd=str(workdir))
    if r.returncode != 0:
        raise RuntimeError("conda-package-handling failed:\n" + r.stderr)
    for out in outs:
        if not out.is_file():
            raise RuntimeError("conda-package-handling did not write %s" % out)
    return outs



def flip_byte_in_inner_tar(src: Path, dest_dir: Path) -> Path:
    """A copy of the .conda `src` in dest_dir with one bit flipped in the middle of its stored
    pkg-*.tar.zst member (the zip itself stays valid: only the inner archive is damaged)."""
    dest = Path(dest_dir) / Path(src).name
    dest.parent.mkdir(parents=True, exist_ok=True)
    data = bytearray(Path(src).read_bytes())
    with zipfile.ZipFile(src) as z:
        member = next(i for i in z.infolist() if i.filename.startswith("pkg-"))
    # Local header: 30 bytes + name + extra; the member is stored (not compressed).
    name_len = int.from_bytes(data[member.header_offset + 26:member.header_offset + 28], "little")
    extra_len = int.from_bytes(data[member.header_offset + 28:member.header_offset + 30], "little")
    start = member.header_offset + 30 + name_len + extra_len
    data[start + member.compress_size // 2] ^= 0x01
    dest.write_bytes(bytes(data))
    return dest

def digest(path: Path) -> Tuple[str, str, int]:
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest(), len(data)


def build_channels(root: Path, channels: Dict[str, Sequence[Package]], *, zst: Sequence[str] = (),
                   subdirs: Sequence[str] = SUBDIRS) -> Channels:
    """Builds every package of every channel under root/<channel>/<subdir>/ and writes the
    repodata.json of each subdir (+ noarch, even when empty), and repodata.json.zst for the
    channels in `zst`."""
    root = Path(root)
    jobs = []
    owners = []
    for channel, packages in channels.items():
        for pkg in packages:
            for fmt in pkg.formats:
                jobs.append((pkg, fmt, root / channel / pkg.subdir))
                owners.append(channel)
    work = Path(tempfile.mkdtemp(prefix="airlock-conda-"))
    try:
        paths = build_packages(jobs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = Channels(root=root)
    for (pkg, fmt, _), channel, path in zip(jobs, owners, paths):
        sha, md5, size = digest(path)
        record = index_json(pkg)
        record.update(md5=md5, sha256=sha, size=size)
        if record.get("arch") is None:
            record.pop("arch")
            record.pop("platform")
        out.files.append(BuiltFile(pkg, channel, path.name, path, sha, md5, size, record))
    for channel in channels:
        for subdir in list(subdirs) + ["noarch"]:
            repodata = {"info": {"subdir": subdir}, "packages": {}, "packages.conda": {}, "removed": [],
                        "repodata_version": 1}
            for f in out.files:
                if f.channel == channel and f.package.subdir == subdir:
                    key = "packages.conda" if f.filename.endswith(".conda") else "packages"
                    repodata[key][f.filename] = f.record
            d = root / channel / subdir
            d.mkdir(parents=True, exist_ok=True)
            text = json.dumps(repodata, indent=1, sort_keys=True).encode()
            (d / "repodata.json").write_bytes(text)
            if channel in zst:
                subprocess.run(["zstd", "-q", "-f", "-19", str(d / "repodata.json"), "-o", str(d / "repodata.json.zst")],
                               check=True)
    return out


# ------------------------------------------------------------------ the torch-like channels

def _py(short: str) -> List[str]:
    major, minor = short.split(".")
    return ["python >=%s,<%s.%d.0a0" % (short, major, int(minor) + 1), "python_abi %s.* *_cp%s%s" % (short, major, minor)]


GLIBC = "__glibc >=2.17,<3.0.a0"


def pytorch_channel() -> List[Package]:
    pkgs: List[Package] = []
    t = 1717000000000
    for subdir in SUBDIRS:
        linux = subdir == "linux-64"
        for cuda, pc_build, cudart, cublas in (("11.8", "h7e8668a_6", ">=11.8,<12.0", ">=11.11.3.6,<12.0"),
                                               ("12.1", "ha16c6d3_6", ">=12.1,<12.2", ">=12.1.0.26,<12.1.3.1")):
            pkgs.append(Package("pytorch-cuda", cuda, pc_build if linux else pc_build.replace("h", "h0", 1), subdir,
                                build_number=6, timestamp=t,
                                depends=["__cuda", "cuda-cudart " + cudart, "libcublas " + cublas]))
        for py in ("3.11", "3.12"):
            base = _py(py)[:1] + ["numpy >=1.24", "filelock", "typing_extensions", "pytorch-mutex 1.0 cuda"]
            for cuda, extra in (("11.8", 0), ("12.1", 1)):
                pkgs.append(Package("pytorch", "2.3.1", "py%s_cuda%s_cudnn8_0" % (py, cuda), subdir,
                                    timestamp=t + 1000 * extra,
                                    depends=base + ["pytorch-cuda >=%s,<%s" % (cuda, "12.0" if cuda == "11.8" else "12.2")]
                                    + ([GLIBC] if linux else [])))
            cpu = [d.replace("1.0 cuda", "1.0 cpu") for d in base] + ([GLIBC] if linux else [])
            pkgs.append(Package("pytorch", "2.3.1", "py%s_cpu_0" % py, subdir, timestamp=t, depends=cpu,
                                track_features="cpuonly"))
            if linux:  # an older release, so "newest first" has something to skip
                pkgs.append(Package("pytorch", "2.2.2", "py%s_cuda12.1_cudnn8_0" % py, subdir, timestamp=t - 10**9,
                                    depends=base + ["pytorch-cuda >=12.1,<12.2", GLIBC]))
    pkgs.append(Package("pytorch-mutex", "1.0", "cuda", "noarch", noarch="generic", timestamp=t))
    pkgs.append(Package("pytorch-mutex", "1.0", "cpu", "noarch", noarch="generic", timestamp=t, track_features="cpuonly"))
    pkgs.append(Package("cpuonly", "2.0", "0", "noarch", noarch="generic", timestamp=t,
                        depends=["pytorch-mutex 1.0 cpu"], track_features="cpuonly"))
    return pkgs


def nvidia_channel() -> List[Package]:
    pkgs: List[Package] = []
    t = 1716000000000
    versions = (("11.8", "11.8.89", "11.11.3.6", "h70ddcb2_3"), ("12.1", "12.1.105", "12.1.0.26", "h1d6eff3_3"),
                ("12.4", "12.4.127", "12.4.5.8", "h3060b56_3"))
    for short, cudart, cublas, vbuild in versions:
        major, minor = short.split(".")
        pin = "cuda-version >=%s,<%s.%d.0a0" % (short, major, int(minor) + 1)
        pkgs.append(Package("cuda-version", short, vbuild, "noarch", build_number=3, noarch="generic", timestamp=t,
                            constrains=["__cuda >=%s" % short, "cudatoolkit %s|%s.*" % (short, short)],
                            formats=(".conda",)))
        for subdir in SUBDIRS:
            linux = subdir == "linux-64"
            pkgs.append(Package("cuda-cudart", cudart, "0", subdir, timestamp=t, formats=(".conda",),
                                depends=[pin] + ([GLIBC] if linux else [])))
            pkgs.append(Package("libcublas", cublas, "0", subdir, timestamp=t, formats=(".conda",),
                                depends=[pin, "cuda-cudart >=%s" % short]))
    return pkgs


def conda_forge_channel() -> List[Package]:
    pkgs: List[Package] = []
    t = 1718000000000
    both = (".tar.bz2", ".conda")
    for subdir in SUBDIRS:
        linux = subdir == "linux-64"
        zlib = ["libzlib >=1.3.1,<2.0a0"]
        for version, build in (("3.11.9", "hb806964_0_cpython"), ("3.12.7", "hc5c86c4_0_cpython"),
                               ("3.12.4", "h194c7f8_0_cpython")):
            short = version.rsplit(".", 1)[0]
            pkgs.append(Package("python", version, build if linux else build.replace("h", "hce54", 1), subdir,
                                timestamp=t if version != "3.12.4" else t - 10**9, formats=both,
                                depends=zlib + ([GLIBC] if linux else ["ucrt >=10.0.20348.0"]),
                                constrains=["python_abi %s.* *_cp%s" % (short, short.replace(".", ""))]))
        for short in ("3.11", "3.12"):
            nodot = short.replace(".", "")
            pkgs.append(Package("python_abi", short, "5_cp" + nodot, subdir, build_number=5, timestamp=t,
                                constrains=["python %s.* *_cpython" % short]))
            for version, build in (("1.26.4", "py%sh%s_0"), ("2.1.3", "py%sh%s_1")):
                pkgs.append(Package("numpy", version, build % (nodot, "8753c53" if linux else "a5c4c9"), subdir,
                                    build_number=int(build[-1]), timestamp=t, formats=both,
                                    depends=_py(short) + ([GLIBC] if linux else ["ucrt >=10.0.20348.0"])))
        pkgs.append(Package("libzlib", "1.3.1", "h4ab18f5_1" if linux else "h2466b09_1", subdir, build_number=1,
                            timestamp=t, formats=(".conda",), depends=[GLIBC] if linux else ["ucrt >=10.0.20348.0"]))
        if not linux:
            pkgs.append(Package("ucrt", "10.0.22621.0", "h57928b3_0", subdir, timestamp=t, formats=(".conda",)))
        else:
            pkgs.append(Package("nccl", "2.21.5.1", "h6103f9b_0", subdir, timestamp=t, formats=(".conda",),
                                depends=["cuda-version >=12.0,<13.0a0", GLIBC]))
        # Newer than the pytorch channel's, so strict channel priority has something to refuse.
        pkgs.append(Package("pytorch", "2.4.1", "cpu_generic_py312h2b4c2a1_0", subdir, timestamp=t, formats=(".conda",),
                            depends=_py("3.12") + ["numpy >=1.19,<3", "filelock", "typing_extensions"]
                            + ([GLIBC] if linux else [])))
    for glibc, build in (("2.17", "h0157908_18"), ("2.28", "h0157908_18")):
        pkgs.append(Package("sysroot_linux-64", glibc, build, "noarch", build_number=18, noarch="generic", timestamp=t,
                            constrains=["__glibc >=%s" % glibc], license="LGPL-2.0-or-later"))
    pkgs.append(Package("typing_extensions", "4.12.2", "pyha770c72_0", "noarch", noarch="python", timestamp=t,
                        depends=["python >=3.8"], formats=both))
    pkgs.append(Package("filelock", "3.16.1", "pyhd8ed1ab_0", "noarch", noarch="python", timestamp=t,
                        depends=["python >=3.7"], formats=(".tar.bz2",)))
    return pkgs


def torch_channels(root: Path) -> Channels:
    """The three channels under root/pytorch, root/nvidia, root/conda-forge."""
    return build_channels(root, {"pytorch": pytorch_channel(), "nvidia": nvidia_channel(),
                                 "conda-forge": conda_forge_channel()}, zst=["conda-forge"])


# What `lock` must choose for the torch-like manifest (specs: pytorch=2.3.1, numpy <2), per
# target: name -> (version, build, channel, subdir).
def _expected(py: str, cuda: Optional[str], subdir: str) -> Dict[str, Tuple[str, str, str, str]]:
    linux = subdir == "linux-64"
    nodot = py.replace(".", "")
    python = {"3.11": ("3.11.9", "hb806964_0_cpython"), "3.12": ("3.12.7", "hc5c86c4_0_cpython")}[py]
    out = {
        "python": (python[0], python[1] if linux else python[1].replace("h", "hce54", 1), "conda-forge", subdir),
        "python_abi": (py, "5_cp" + nodot, "conda-forge", subdir),
        "numpy": ("1.26.4", "py%sh%s_0" % (nodot, "8753c53" if linux else "a5c4c9"), "conda-forge", subdir),
        "libzlib": ("1.3.1", "h4ab18f5_1" if linux else "h2466b09_1", "conda-forge", subdir),
        "filelock": ("3.16.1", "pyhd8ed1ab_0", "conda-forge", "noarch"),
        "typing_extensions": ("4.12.2", "pyha770c72_0", "conda-forge", "noarch"),
    }
    if not linux:
        out["ucrt"] = ("10.0.22621.0", "h57928b3_0", "conda-forge", subdir)
    if cuda is None:
        out["pytorch"] = ("2.3.1", "py%s_cpu_0" % py, "pytorch", subdir)
        out["pytorch-mutex"] = ("1.0", "cpu", "pytorch", "noarch")
        return out
    torch_cuda = "11.8" if cuda < "12.1" else "12.1"
    cudart, cublas, vbuild = {"11.8": ("11.8.89", "11.11.3.6", "h70ddcb2_3"),
                              "12.1": ("12.1.105", "12.1.0.26", "h1d6eff3_3")}[torch_cuda]
    pc_build = {"11.8": "h7e8668a_6", "12.1": "ha16c6d3_6"}[torch_cuda]
    out.update({
        "pytorch": ("2.3.1", "py%s_cuda%s_cudnn8_0" % (py, torch_cuda), "pytorch", subdir),
        "pytorch-mutex": ("1.0", "cuda", "pytorch", "noarch"),
        "pytorch-cuda": (torch_cuda, pc_build if linux else pc_build.replace("h", "h0", 1), "pytorch", subdir),
        "cuda-cudart": (cudart, "0", "nvidia", subdir),
        "libcublas": (cublas, "0", "nvidia", subdir),
        "cuda-version": (torch_cuda, vbuild, "nvidia", "noarch"),
    })
    return out


TORCH_TARGETS = {
    # name: (python, platform, cuda)
    "linux-py312-cu124": ("3.12", "manylinux_2_28_x86_64", "12.4"),
    "linux-py311-cu118": ("3.11", "manylinux2014_x86_64", "11.8"),
    "win-py312-cu121": ("3.12", "win_amd64", "12.1"),
    "linux-py312-cpu": ("3.12", "manylinux_2_28_x86_64", None),
}

TORCH_EXPECTED = {
    name: _expected(py, cuda, "win-64" if platform.startswith("win") else "linux-64")
    for name, (py, platform, cuda) in TORCH_TARGETS.items()
}


def torch_manifest(server_url: str, specs: Sequence[str] = ("pytorch=2.3.1", "numpy<2"),
                   targets: Optional[Dict[str, Tuple[str, str, Optional[str]]]] = None, extra: str = "") -> str:
    """A manifest with [conda] over the three channels (channel_alias = the server)."""
    lines = ['[bundle]', 'name = "conda-lab"', 'version = "1"', '']
    for name, (py, platform, cuda) in (targets or TORCH_TARGETS).items():
        lines += ['[[target]]', 'name = "%s"' % name, 'python = "%s"' % py, 'platform = "%s"' % platform]
        if cuda:
            lines.append('cuda = "%s"' % cuda)
        lines.append('')
    lines += ['[conda]', 'channels = ["pytorch", "nvidia", "conda-forge"]', 'channel_alias = "%s"' % server_url,
              'specs = [%s]' % ", ".join('"%s"' % s for s in specs), '']
    return "\n".join(lines) + extra
