"""Named fixture sets: index trees of real wheels plus the answer a resolver must give for each target.

    fx = catalog.torch_like()                 # cached per process (and per AIRLOCK_FIXTURE_CACHE dir)
    with fx.serve() as server:                # nginx on loopback serving fx.root
        manifest = fx.manifest(server.url)    # TOML naming every index and target of the set
        fx.expected["linux-py312"]            # {"torch": "2.5.1+cu124", "triton": "3.1.0", ...}
        fx.expected_files["linux-py312"]      # the wheel filenames pip on that target would pick

Sets: torch_like (the realistic graph, payloads scaled by `scale`), readme_tour (torch_like plus
what manifests/torch-lab.toml asks for), conflict, missing_dependency,
sdist_only, yanked_only. `get(name)` looks a set up by name (the CLI golden runner uses it).

Set AIRLOCK_FIXTURE_CACHE=/some/dir to keep generated trees between runs (benchmarks); otherwise
they live in a per-process temp dir removed at exit.
"""

import atexit
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

from . import index as index_mod
from . import wheels
from .nginx import Nginx

CATALOG_VERSION = 1
KiB = 1024
MiB = 1024 * 1024
DEFAULT_SCALE = 256 * KiB
SMALL_PAYLOAD = 2 * KiB
MIRROR_PREFIX = "/mirror/"


# --------------------------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Target:
    name: str
    python: str  # "3.12"
    platform: str  # a wheel platform tag: manylinux_2_28_x86_64, win_amd64, ...
    cuda: Optional[str] = None

    def toml(self) -> str:
        lines = ["[[target]]", 'name = "%s"' % self.name, 'python = "%s"' % self.python]
        lines.append('platform = "%s"' % self.platform)
        if self.cuda:
            lines.append('cuda = "%s"' % self.cuda)
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class IndexInfo:
    name: str
    path: str  # URL path on the server: "/simple", "/whl/cu124"
    packages: Tuple[str, ...] = ()  # when set, the only source of these packages
    pytorch_style: bool = False


@dataclass
class Case:
    """One resolution question on a set: requirements and either the closure per target or an error."""

    requirements: List[str]
    expected: Optional[Dict[str, Dict[str, str]]] = None  # target -> {normalized name: version}
    error: Optional[str] = None  # what the error must be about (for humans; golden files hold the text)
    indexes: Optional[List[str]] = None  # which of the set's indexes the manifest names (default: all)


@dataclass
class FixtureSet:
    name: str
    root: Path  # the tree nginx serves
    indexes: Dict[str, IndexInfo]  # in manifest order
    targets: Dict[str, Target]
    cases: Dict[str, Case]  # "default" is the main one
    files: Dict[str, Path] = field(default_factory=dict)  # filename -> path under root
    expected_files: Dict[str, Set[str]] = field(default_factory=dict)  # for the default case

    # The default case, flattened for convenience.
    @property
    def requirements(self) -> List[str]:
        return self.cases["default"].requirements

    @property
    def expected(self) -> Dict[str, Dict[str, str]]:
        return self.cases["default"].expected or {}

    @property
    def expect_error(self) -> Optional[str]:
        return self.cases["default"].error

    def serve(self, **nginx_options) -> Nginx:
        """An (unstarted) Nginx serving this set: use as `with fx.serve() as server:`.

        The same tree is also served under MIRROR_PREFIX (see mirror_url), like TUNA mirrors PyPI.
        """
        aliases = dict(nginx_options.pop("aliases", {}) or {})
        aliases.setdefault(MIRROR_PREFIX, self.root)
        return Nginx(self.root, aliases=aliases, **nginx_options)

    def index_url(self, server_url: str, index: Optional[str] = None) -> str:
        info = self.indexes[index] if index else next(iter(self.indexes.values()))
        return server_url.rstrip("/") + info.path

    def mirror_url(self, server_url: str, index: Optional[str] = None) -> str:
        """The same index under another root (`/mirror/simple`): for `mirrors = [...]` tests.
        A dead primary is any URL nginx answers 404 for, e.g. server_url + "/down/simple"."""
        info = self.indexes[index] if index else next(iter(self.indexes.values()))
        return server_url.rstrip("/") + MIRROR_PREFIX.rstrip("/") + info.path

    def env(self, server_url: str) -> Dict[str, str]:
        """AIRLOCK_INDEX_<NAME> for every index; torch_like also sets the example manifest's variables."""
        out = {}
        for info in self.indexes.values():
            out["AIRLOCK_INDEX_" + re.sub(r"[^A-Za-z0-9]", "_", info.name).upper()] = self.index_url(server_url, info.name)
        if "pypi" in self.indexes:
            out["AIRLOCK_EXAMPLE_INDEX"] = self.index_url(server_url, "pypi")
        if "pytorch-cu124" in self.indexes:
            out["AIRLOCK_EXAMPLE_CU124_INDEX"] = self.index_url(server_url, "pytorch-cu124")
        return out

    def manifest(
        self,
        server_url: str,
        *,
        case: str = "default",
        targets: Optional[Sequence[str]] = None,
        indexes: Optional[Sequence[str]] = None,
        bundle: Optional[str] = None,
        version: str = "1.0.0",
    ) -> str:
        """A manifest (TOML text) for `case`; targets default to those the case has answers for,
        indexes to the case's (else all of the set's)."""
        out = ["[bundle]", 'name = "%s"' % (bundle or "fixture-" + self.name.replace("_", "-")), 'version = "%s"' % version, ""]
        c = self.cases[case]
        for t in targets or list(c.expected or self.targets):
            out.append(self.targets[t].toml())
        for name in indexes or c.indexes or list(self.indexes):
            info = self.indexes[name]
            out += ["[[index]]", 'name = "%s"' % info.name, 'url = "%s"' % self.index_url(server_url, info.name)]
            if info.packages:
                out.append("packages = [%s]" % ", ".join('"%s"' % p for p in info.packages))
            out.append("")
        reqs = c.requirements
        out += ["[python]", "requirements = [%s]" % ", ".join(json.dumps(r) for r in reqs), ""]
        return "\n".join(out)


# ------------------------------------------------------------------------------- tags of a target
_LEGACY_MANYLINUX = {(2, 17): "manylinux2014", (2, 12): "manylinux2010", (2, 5): "manylinux1"}


def _platforms(platform: str) -> List[str]:
    m = re.fullmatch(r"manylinux_(\d+)_(\d+)_(\w+)", platform)
    if m:
        major, minor, arch = int(m.group(1)), int(m.group(2)), m.group(3)
        out = []
        for mi in range(minor, 4, -1):
            out.append("manylinux_%d_%d_%s" % (major, mi, arch))
            if (major, mi) in _LEGACY_MANYLINUX:
                out.append("%s_%s" % (_LEGACY_MANYLINUX[(major, mi)], arch))
        return out + ["linux_" + arch]
    m = re.fullmatch(r"musllinux_(\d+)_(\d+)_(\w+)", platform)
    if m:
        major, minor, arch = int(m.group(1)), int(m.group(2)), m.group(3)
        return ["musllinux_%d_%d_%s" % (major, mi, arch) for mi in range(minor, -1, -1)] + ["linux_" + arch]
    return [platform]


def target_tags(target: Target) -> List[Tuple[str, str, str]]:
    """The ordered tags a CPython on `target` accepts, as pip's packaging.tags.sys_tags() lists them."""
    major, minor = (int(x) for x in target.python.split(".")[:2])
    cp = "cp%d%d" % (major, minor)
    plats = _platforms(target.platform)
    tags = [(cp, cp, p) for p in plats]
    tags += [(cp, "abi3", p) for p in plats]
    tags += [(cp, "none", p) for p in plats]
    for mi in range(minor - 1, 1, -1):
        tags += [("cp%d%d" % (major, mi), "abi3", p) for p in plats]
    pys = ["py%d%d" % (major, minor), "py%d" % major] + ["py%d%d" % (major, mi) for mi in range(minor - 1, -1, -1)]
    for py in pys:
        tags += [(py, "none", p) for p in plats]
    tags.append((cp, "none", "any"))
    tags += [(py, "none", "any") for py in pys]
    return tags


def pick_wheel(filenames: Sequence[str], target: Target) -> Optional[str]:
    """The wheel pip on `target` would pick among `filenames` (same project and version)."""
    order = {t: i for i, t in enumerate(target_tags(target))}
    best: Optional[Tuple[int, str]] = None
    for f in filenames:
        if not f.endswith(".whl"):
            continue
        parts = f[:-4].split("-")
        for t in wheels.expand_tags("-".join(parts[-3:])):
            if t in order and (best is None or order[t] < best[0]):
                best = (order[t], f)
    return best[1] if best else None


# ---------------------------------------------------------------------------------- the builder
@dataclass
class _Dist:
    name: str
    version: str
    tags: List[str]  # one wheel per entry (compressed tag strings); "sdist" for an sdist
    requires_dist: Sequence[str] = ()
    requires_python: Optional[str] = None
    provides_extra: Sequence[str] = ()
    weight: float = 0.0  # payload = weight * scale (0: SMALL_PAYLOAD)
    big_tags: Sequence[str] = ()  # only these tags get the weighted payload (default: all)
    yanked: Optional[str] = None
    index: str = "pypi"


def _payload(d: _Dist, tag: str, scale: int) -> int:
    if d.weight <= 0 or (d.big_tags and tag not in d.big_tags):
        return SMALL_PAYLOAD
    return max(SMALL_PAYLOAD, int(d.weight * scale))


_CACHE: Dict[str, FixtureSet] = {}
_PROCESS_DIR: Optional[Path] = None


def _base_dir() -> Path:
    global _PROCESS_DIR
    env = os.environ.get("AIRLOCK_FIXTURE_CACHE")
    if env:
        Path(env).mkdir(parents=True, exist_ok=True)
        return Path(env)
    if _PROCESS_DIR is None:
        _PROCESS_DIR = Path(tempfile.mkdtemp(prefix="airlock-fixtures-"))
        if not os.environ.get("AIRLOCK_KEEP_TEMP"):
            atexit.register(shutil.rmtree, str(_PROCESS_DIR), True)
    return _PROCESS_DIR


def _materialize(
    set_name: str,
    dists: List[_Dist],
    indexes: List[IndexInfo],
    targets: List[Target],
    cases: Dict[str, Case],
    scale: int,
) -> FixtureSet:
    spec = json.dumps(
        [CATALOG_VERSION, wheels.GENERATOR, set_name, scale, [d.__dict__ for d in dists], [i.__dict__ for i in indexes]],
        sort_keys=True,
        default=list,
    )
    key = "%s-%s" % (set_name, hashlib.sha256(spec.encode()).hexdigest()[:12])
    if key in _CACHE:
        return _CACHE[key]
    base = _base_dir()
    root = base / key
    if not (root / ".complete").exists():
        work = base / ("%s.partial-%d" % (key, os.getpid()))
        shutil.rmtree(work, ignore_errors=True)
        src = work / "src"
        by_index: Dict[str, Dict[str, List[Path]]] = {i.name: {} for i in indexes}
        yanked: Dict[str, str] = {}
        for d in dists:
            for tag in d.tags:
                if tag == "sdist":
                    p = wheels.build_sdist(src, d.name, d.version, requires_dist=d.requires_dist, requires_python=d.requires_python)
                else:
                    p = wheels.build_wheel(
                        src,
                        d.name,
                        d.version,
                        tags=tag,
                        requires_dist=d.requires_dist,
                        requires_python=d.requires_python,
                        provides_extra=d.provides_extra,
                        payload_size=_payload(d, tag, scale),
                    )
                by_index[d.index].setdefault(d.name, []).append(p)
                if d.yanked is not None:
                    yanked[p.name] = d.yanked
        tree = work / "root"
        for info in indexes:
            index_mod.build_index(
                tree, by_index[info.name], base_url_path=info.path, pytorch_style=info.pytorch_style, yanked=yanked
            )
        shutil.rmtree(src)
        (tree / ".complete").write_text(spec)
        if root.exists() and not (root / ".complete").exists():
            shutil.rmtree(root, ignore_errors=True)  # left over from an interrupted run
        try:
            os.rename(tree, root)
        except OSError:
            if not (root / ".complete").exists():
                raise
        shutil.rmtree(work, ignore_errors=True)

    files = {}
    for p in root.rglob("*"):
        if p.is_file() and (p.name.endswith(".whl") or p.name.endswith(".tar.gz")):
            files[p.name] = p
    fx = FixtureSet(
        name=set_name,
        root=root,
        indexes={i.name: i for i in indexes},
        targets={t.name: t for t in targets},
        cases=cases,
        files=files,
    )
    fx.expected_files = _expected_files(fx, dists)
    _CACHE[key] = fx
    return fx


def _expected_files(fx: FixtureSet, dists: List[_Dist]) -> Dict[str, Set[str]]:
    out: Dict[str, Set[str]] = {}
    for tname, closure in fx.expected.items():
        target = fx.targets[tname]
        chosen = set()
        for name, version in closure.items():
            candidates = [
                wheels.wheel_filename(d.name, d.version, t)
                for d in dists
                if wheels.normalize(d.name) == name and d.version == version
                for t in d.tags
                if t != "sdist"
            ]
            pick = pick_wheel(candidates, target)
            if pick is None:
                raise AssertionError("catalog %s: no wheel of %s %s for %s" % (fx.name, name, version, tname))
            chosen.add(pick)
        out[tname] = chosen
    return out


# ------------------------------------------------------------------------------------- the sets
LINUX = "manylinux_2_28_x86_64"
LINUX_2014 = "manylinux_2_17_x86_64.manylinux2014_x86_64"
ON_LINUX = 'platform_system == "Linux" and platform_machine == "x86_64"'

STANDARD_TARGETS = [
    Target("linux-py312", "3.12", LINUX, cuda="12.4"),
    Target("linux-py311", "3.11", LINUX, cuda="12.4"),
    Target("win-py312", "3.12", "win_amd64"),
]

TORCH_REQUIRES = [
    "filelock",
    "typing-extensions>=4.8.0",
    'sympy==1.13.1; python_version >= "3.9"',
    "networkx",
    "jinja2",
    "fsspec",
    "nvidia-cuda-runtime-cu12==12.4.127; " + ON_LINUX,
    "nvidia-cudnn-cu12==9.1.0.70; " + ON_LINUX,
    "nvidia-cublas-cu12==12.4.5.8; " + ON_LINUX,
    'triton==3.1.0; %s and python_version < "3.13"' % ON_LINUX,
    'setuptools; python_version >= "3.12"',
    'optree>=0.12.0; extra == "optree"',
]


def _cp(versions: Sequence[str], plats: Sequence[str]) -> List[str]:
    return ["cp%s-cp%s-%s" % (v, v, p) for v in versions for p in plats]


def _torch_dists() -> List[_Dist]:
    """The distributions of torch_like (scaled payloads on the torch, nvidia and triton wheels)."""
    T = lambda name, version, tags, **kw: _Dist(name, version, list(tags), **kw)  # noqa: E731
    big = _cp(["311", "312"], [LINUX])
    dists = [
        T("torch", "2.5.1", _cp(["311", "312", "313"], [LINUX, "win_amd64"]), requires_dist=TORCH_REQUIRES,
          requires_python=">=3.8.0", provides_extra=["optree", "opt-einsum"], weight=1.0, big_tags=big),
        T("torch", "2.4.1", _cp(["311", "312"], [LINUX, "win_amd64"]), requires_dist=TORCH_REQUIRES,
          requires_python=">=3.8.0", provides_extra=["optree"]),
        T("torch", "2.5.1+cu124", _cp(["311", "312"], ["linux_x86_64", "win_amd64"]), requires_dist=TORCH_REQUIRES,
          requires_python=">=3.8.0", provides_extra=["optree", "opt-einsum"], weight=1.0,
          big_tags=_cp(["311", "312"], ["linux_x86_64"]), index="pytorch-cu124"),
        T("filelock", "3.16.1", ["py3-none-any"], requires_python=">=3.8"),
        T("filelock", "3.15.4", ["py3-none-any"], requires_python=">=3.8"),
        T("filelock", "3.13.1", ["py3-none-any"], requires_python=">=3.8"),
        T("typing_extensions", "4.12.2", ["py3-none-any"], requires_python=">=3.8"),
        T("typing_extensions", "4.11.0", ["py3-none-any"], requires_python=">=3.8"),
        T("typing_extensions", "4.8.0", ["py3-none-any"], requires_python=">=3.8"),
        T("typing_extensions", "4.7.1", ["py3-none-any"], requires_python=">=3.7"),
        T("sympy", "1.13.3", ["py3-none-any"], requires_dist=["mpmath<1.4,>=1.1.0"], requires_python=">=3.8"),
        T("sympy", "1.13.1", ["py3-none-any"], requires_dist=["mpmath<1.4,>=1.1.0"], requires_python=">=3.8"),
        # A pre-release newer than every release: never chosen (not allowed by default, and <1.4 excludes it).
        T("mpmath", "1.4.0a1", ["py3-none-any"]),
        T("mpmath", "1.3.0", ["py3-none-any"]),
        T("mpmath", "1.2.1", ["py3-none-any"]),
        T("networkx", "3.4.2", ["py3-none-any"], requires_python=">=3.10"),
        T("networkx", "3.2.1", ["py3-none-any"], requires_python=">=3.9"),
        # Capitalised in its metadata (Name: Jinja2); an extra whose dependency (Babel) is not on the index.
        T("Jinja2", "3.1.4", ["py3-none-any"], requires_dist=["MarkupSafe>=2.0", 'Babel>=2.7; extra == "i18n"'],
          requires_python=">=3.7", provides_extra=["i18n"]),
        T("Jinja2", "3.1.3", ["py3-none-any"], requires_dist=["MarkupSafe>=2.0", 'Babel>=2.7; extra == "i18n"'],
          requires_python=">=3.7", provides_extra=["i18n"]),
        T("MarkupSafe", "3.0.2", _cp(["311", "312", "313"], [LINUX_2014, "win_amd64"]) + ["sdist"],
          requires_python=">=3.9"),
        T("MarkupSafe", "2.1.5", _cp(["311", "312"], [LINUX_2014, "win_amd64"]) + ["sdist"], requires_python=">=3.7"),
        # The newest fsspec is yanked: skipped unless pinned with ==.
        T("fsspec", "2024.12.0", ["py3-none-any"], requires_python=">=3.8", yanked="broken release, use 2024.10.0"),
        T("fsspec", "2024.10.0", ["py3-none-any"], requires_python=">=3.8"),
        T("fsspec", "2024.9.0", ["py3-none-any"], requires_python=">=3.8"),
        T("nvidia-cuda-runtime-cu12", "12.4.127", ["py3-none-manylinux2014_x86_64", "py3-none-win_amd64"],
          requires_python=">=3", weight=0.01, big_tags=["py3-none-manylinux2014_x86_64"]),
        T("nvidia-cudnn-cu12", "9.1.0.70", ["py3-none-manylinux2014_x86_64", "py3-none-win_amd64"],
          requires_dist=["nvidia-cublas-cu12"], requires_python=">=3", weight=0.7,
          big_tags=["py3-none-manylinux2014_x86_64"]),
        T("nvidia-cublas-cu12", "12.4.5.8", ["py3-none-manylinux2014_x86_64", "py3-none-win_amd64"],
          requires_python=">=3", weight=0.4, big_tags=["py3-none-manylinux2014_x86_64"]),
        T("nvidia-cublas-cu12", "12.6.4.1", ["py3-none-manylinux2014_x86_64", "py3-none-win_amd64"],
          requires_python=">=3"),
        T("triton", "3.1.0", _cp(["311", "312"], [LINUX_2014]), requires_dist=["filelock"], weight=0.25),
        T("setuptools", "75.6.0", ["py3-none-any"], requires_python=">=3.9"),
        T("setuptools", "70.0.0", ["py3-none-any"], requires_python=">=3.8"),
        T("optree", "0.13.1", ["py3-none-any"], requires_dist=["typing-extensions>=4.5.0"], requires_python=">=3.7"),
    ]
    return dists


def torch_like(scale: int = DEFAULT_SCALE) -> FixtureSet:
    """The torch 2.5.1 graph on two indexes, as PyPI and download.pytorch.org/whl/cu124 serve it.

    Indexes: `pypi` at /simple (HTML + JSON + .metadata), `pytorch-cu124` at /whl/cu124
    (pytorch style: `%2B` hrefs, no JSON, no metadata) holding only torch 2.5.1+cu124, and the
    manifest pins torch to it with `packages = ["torch"]`.

    Payload sizes: the Linux cp311/cp312 torch wheels are `scale` bytes each, nvidia-cudnn 0.7x,
    nvidia-cublas 0.4x, triton 0.25x; every other wheel is ~2 KiB. One Linux target's closure is
    about 2.35 x scale (scale=300 MiB gives a ~700 MB closure; the whole tree is ~5.6 x scale).

    Cases: "default" (torch==2.5.1 with both indexes) and "pypi_only" (indexes=["pypi"], which
    also covers a linux-py313 target: no triton there).
    """
    dists = _torch_dists()
    indexes = [
        IndexInfo("pypi", "/simple"),
        IndexInfo("pytorch-cu124", "/whl/cu124", packages=("torch",), pytorch_style=True),
    ]
    common = {
        "filelock": "3.16.1",
        "typing-extensions": "4.12.2",
        "sympy": "1.13.1",
        "mpmath": "1.3.0",
        "networkx": "3.4.2",
        "jinja2": "3.1.4",
        "markupsafe": "3.0.2",
        "fsspec": "2024.10.0",
    }
    cuda = {
        "nvidia-cuda-runtime-cu12": "12.4.127",
        "nvidia-cudnn-cu12": "9.1.0.70",
        "nvidia-cublas-cu12": "12.4.5.8",
    }

    def closure(torch: str, linux: bool, py: int) -> Dict[str, str]:
        out = dict(common, torch=torch)
        if linux:
            out.update(cuda)
            if py < 13:
                out["triton"] = "3.1.0"
        if py >= 12:
            out["setuptools"] = "75.6.0"
        return dict(sorted(out.items()))

    targets = STANDARD_TARGETS + [Target("linux-py313", "3.13", LINUX)]
    cases = {
        "default": Case(
            ["torch==2.5.1"],
            {
                "linux-py312": closure("2.5.1+cu124", True, 12),
                "linux-py311": closure("2.5.1+cu124", True, 11),
                "win-py312": closure("2.5.1+cu124", False, 12),
            },
        ),
        "pypi_only": Case(
            ["torch==2.5.1"],
            {
                "linux-py312": closure("2.5.1", True, 12),
                "linux-py311": closure("2.5.1", True, 11),
                "win-py312": closure("2.5.1", False, 12),
                "linux-py313": closure("2.5.1", True, 13),
            },
            indexes=["pypi"],
        ),
        "with_extra": Case(
            ["torch[optree]==2.5.1"],
            {
                "linux-py312": dict(sorted(dict(closure("2.5.1+cu124", True, 12), optree="0.13.1").items())),
            },
        ),
    }
    # The default manifest names only the targets of its case (the cu124 index has no cp313 wheels).
    return _materialize("torch_like", dists, indexes, targets, cases, scale)


def readme_tour(scale: int = 32 * KiB) -> FixtureSet:
    """What manifests/torch-lab.toml (the README's tour) asks for: torch_like's graph plus
    torchvision 0.20.1 and torchaudio 2.5.1 (their +cu124 builds on the pytorch-style index, which
    the manifest pins torch, torchvision and torchaudio to) and numpy 2.1.3 on `pypi`; the tour's
    three targets (linux-py312-cu124, linux-py311-cu124, win-py312). Small payloads: the tour
    test checks the commands, not throughput."""
    T = lambda name, version, tags, **kw: _Dist(name, version, list(tags), **kw)  # noqa: E731
    cu = _cp(["311", "312"], ["linux_x86_64", "win_amd64"])
    dists = _torch_dists() + [
        T("torchvision", "0.20.1+cu124", cu, requires_dist=["numpy", "torch==2.5.1"], requires_python=">=3.8",
          index="pytorch-cu124"),
        T("torchaudio", "2.5.1+cu124", cu, requires_dist=["torch==2.5.1"], index="pytorch-cu124"),
        T("numpy", "2.2.0", _cp(["311", "312"], [LINUX_2014, "win_amd64"]), requires_python=">=3.10"),
        T("numpy", "2.1.3", _cp(["311", "312"], [LINUX_2014, "win_amd64"]), requires_python=">=3.10"),
    ]
    indexes = [
        IndexInfo("pypi", "/simple"),
        IndexInfo("pytorch-cu124", "/whl/cu124", packages=("torch", "torchvision", "torchaudio"), pytorch_style=True),
    ]
    targets = [
        Target("linux-py312-cu124", "3.12", LINUX, cuda="12.4"),
        Target("linux-py311-cu124", "3.11", LINUX, cuda="12.4"),
        Target("win-py312", "3.12", "win_amd64"),
    ]
    requirements = ["torch==2.5.1", "torchvision==0.20.1", "torchaudio==2.5.1", "numpy<2.2", "jinja2"]
    return _materialize("readme_tour", dists, indexes, targets, {"default": Case(requirements)}, scale)


def _small(name: str, dists: List[_Dist], cases: Dict[str, Case]) -> FixtureSet:
    return _materialize(name, dists, [IndexInfo("pypi", "/simple")], STANDARD_TARGETS, cases, DEFAULT_SCALE)


def conflict() -> FixtureSet:
    """a needs c>=2, b needs c<2: no solution; the error must name the chain a -> c>=2, b -> c<2."""
    dists = [
        _Dist("a", "1.0", ["py3-none-any"], requires_dist=["c>=2"]),
        _Dist("b", "1.0", ["py3-none-any"], requires_dist=["c<2"]),
        _Dist("c", "1.0", ["py3-none-any"]),
        _Dist("c", "2.0", ["py3-none-any"]),
        _Dist("c", "2.1", ["py3-none-any"]),
    ]
    return _small(
        "conflict",
        dists,
        {
            "default": Case(["a", "b"], error="a 1.0 needs c>=2 but b 1.0 needs c<2"),
            "a_only": Case(["a"], {t.name: {"a": "1.0", "c": "2.1"} for t in STANDARD_TARGETS}),
            "b_only": Case(["b"], {t.name: {"b": "1.0", "c": "1.0"} for t in STANDARD_TARGETS}),
        },
    )


def missing_dependency() -> FixtureSet:
    """app 1.0 needs does-not-exist>=1.0, which no index has."""
    dists = [_Dist("app", "1.0", ["py3-none-any"], requires_dist=["does-not-exist>=1.0"])]
    return _small(
        "missing_dependency",
        dists,
        {
            "default": Case(["app"], error="does-not-exist (needed by app 1.0) is not on any index"),
            "direct": Case(["does-not-exist"], error="does-not-exist is not on any index"),
        },
    )


def sdist_only() -> FixtureSet:
    """needs-legacy 1.0 needs legacy-only, which has only an sdist (wheel-only resolution must refuse)."""
    dists = [
        _Dist("needs-legacy", "1.0", ["py3-none-any"], requires_dist=["legacy-only"]),
        _Dist("legacy-only", "1.0", ["sdist"]),
    ]
    return _small(
        "sdist_only",
        dists,
        {
            "default": Case(["needs-legacy"], error="legacy-only 1.0 has only an sdist (needed by needs-legacy 1.0)"),
            "direct": Case(["legacy-only"], error="legacy-only 1.0 has only an sdist"),
        },
    )


def yanked_only() -> FixtureSet:
    """gone 1.0 is the only version and it is yanked: unpinned is an error, `gone==1.0` resolves."""
    dists = [_Dist("gone", "1.0", ["py3-none-any"], yanked="security: CVE-2099-0001")]
    return _small(
        "yanked_only",
        dists,
        {
            "default": Case(["gone"], error="the only version of gone (1.0) is yanked: security: CVE-2099-0001"),
            "pinned": Case(["gone==1.0"], {t.name: {"gone": "1.0"} for t in STANDARD_TARGETS}),
        },
    )


SETS: Dict[str, Callable[[], FixtureSet]] = {
    "torch_like": torch_like,
    "readme_tour": readme_tour,
    "conflict": conflict,
    "missing_dependency": missing_dependency,
    "sdist_only": sdist_only,
    "yanked_only": yanked_only,
}


def get(name: str, **kwargs) -> FixtureSet:
    """A fixture set by name (see SETS); `torch_like` takes `scale`."""
    if name not in SETS:
        raise KeyError("unknown fixture set %r; known: %s" % (name, ", ".join(sorted(SETS))))
    return SETS[name](**kwargs)
