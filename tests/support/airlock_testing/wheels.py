"""Real, pip-installable wheels and sdists for fixtures (binary distribution format, core metadata 2.1).

Everything is deterministic: the same arguments give byte-identical files (fixed zip timestamps and
permissions, payload bytes derived from name + version). Big payloads are streamed in chunks, so a
300 MB wheel costs a few hundred milliseconds and almost no memory.
"""

import base64
import hashlib
import io
import re
import tarfile
import zipfile
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple, Union

GENERATOR = "airlock-testing 1.0"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold
_CHUNK = 1 << 20

Tag = Tuple[str, str, str]
Tags = Union[str, Tag, Sequence[Tag]]


def normalize(name: str) -> str:
    """PEP 503 normalised project name: `Jinja2` -> `jinja2`, `typing_extensions` -> `typing-extensions`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def escape_name(name: str) -> str:
    """Name as it appears in a wheel filename / .dist-info directory (`typing-extensions` -> `typing_extensions`).

    Case is kept on purpose (`MarkupSafe-3.0.2-...whl` exists in the wild); clients must normalise.
    """
    return re.sub(r"[-_.]+", "_", name)


def escape_version(version: str) -> str:
    return version.replace("-", "_")


def expand_tags(tags: Tags) -> List[Tag]:
    """All (python, abi, platform) triples: from one triple, a list of triples, or a compressed tag
    string such as `cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64`."""
    if isinstance(tags, str):
        parts = tags.split("-")
        if len(parts) != 3:
            raise ValueError("tag string must be python-abi-platform, got %r" % tags)
        return [(p, a, pl) for p in parts[0].split(".") for a in parts[1].split(".") for pl in parts[2].split(".")]
    if len(tags) == 3 and all(isinstance(t, str) for t in tags):
        return expand_tags("-".join(tags))  # type: ignore[arg-type]
    out: List[Tag] = []
    for t in tags:
        for e in expand_tags(t if isinstance(t, str) else "-".join(t)):  # type: ignore[arg-type]
            if e not in out:
                out.append(e)
    return out


def compress_tags(tags: Sequence[Tag]) -> str:
    """The filename form: each component's distinct values joined by `.` in first-seen order."""

    def distinct(i: int) -> str:
        seen: List[str] = []
        for t in tags:
            if t[i] not in seen:
                seen.append(t[i])
        return ".".join(seen)

    return "%s-%s-%s" % (distinct(0), distinct(1), distinct(2))


def wheel_filename(name: str, version: str, tags: Tags = ("py3", "none", "any"), build_tag: Optional[str] = None) -> str:
    parts = [escape_name(name), escape_version(version)]
    if build_tag:
        parts.append(build_tag)
    return "-".join(parts) + "-" + compress_tags(expand_tags(tags)) + ".whl"


def payload_chunks(seed: str, size: int) -> Iterable[bytes]:
    """`size` incompressible bytes derived from `seed`, in chunks of at most 1 MiB."""
    i = 0
    left = size
    while left > 0:
        n = min(_CHUNK, left)
        yield hashlib.shake_128(("%s#%d" % (seed, i)).encode()).digest(n)
        left -= n
        i += 1


def _record_hash(digest: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def metadata_text(
    name: str,
    version: str,
    *,
    requires_dist: Sequence[str] = (),
    requires_python: Optional[str] = None,
    provides_extra: Sequence[str] = (),
    summary: Optional[str] = None,
) -> str:
    lines = ["Metadata-Version: 2.1", "Name: " + name, "Version: " + version]
    lines.append("Summary: " + (summary or "airlock test fixture %s %s" % (name, version)))
    if requires_python:
        lines.append("Requires-Python: " + requires_python)
    for extra in provides_extra:
        lines.append("Provides-Extra: " + extra)
    for req in requires_dist:
        lines.append("Requires-Dist: " + req)
    return "\n".join(lines) + "\n\n"


class _Writer:
    """A deterministic zip writer that records every member for RECORD."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.record: List[str] = []

    def _info(self, arcname: str, compress: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(arcname, date_time=_EPOCH)
        info.external_attr = (0o100644 & 0xFFFF) << 16
        info.create_system = 3
        info.compress_type = compress
        return info

    def add_bytes(self, arcname: str, data: bytes, compress: int = zipfile.ZIP_DEFLATED) -> None:
        self.zf.writestr(self._info(arcname, compress), data)
        self.record.append("%s,%s,%d" % (arcname, _record_hash(hashlib.sha256(data).digest()), len(data)))

    def add_stream(self, arcname: str, chunks: Iterable[bytes]) -> None:
        h = hashlib.sha256()
        size = 0
        with self.zf.open(self._info(arcname, zipfile.ZIP_STORED), "w", force_zip64=True) as out:
            for c in chunks:
                out.write(c)
                h.update(c)
                size += len(c)
        self.record.append("%s,%s,%d" % (arcname, _record_hash(h.digest()), size))


def build_wheel(
    out_dir: Union[str, Path],
    name: str,
    version: str,
    *,
    tags: Tags = ("py3", "none", "any"),
    requires_dist: Sequence[str] = (),
    requires_python: Optional[str] = None,
    provides_extra: Sequence[str] = (),
    payload_size: int = 0,
    build_tag: Optional[str] = None,
    modules: Optional[Sequence[str]] = None,
    summary: Optional[str] = None,
) -> Path:
    """Write a real wheel into `out_dir` and return its path.

    Each module in `modules` (default: the project name with `-`/`.` -> `_`, lowercased) becomes a
    package `<module>/__init__.py` defining `__version__`; the first one also carries
    `_payload.bin` with `payload_size` incompressible bytes (stored, not deflated).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    expanded = expand_tags(tags)
    filename = wheel_filename(name, version, expanded, build_tag)
    path = out_dir / filename
    if modules is None:
        modules = [re.sub(r"[-.]+", "_", name).lower()]
    dist_info = "%s-%s.dist-info" % (escape_name(name), escape_version(version))
    purelib = all(t[2] == "any" for t in expanded)

    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "wb") as f, zipfile.ZipFile(f, "w") as zf:
        w = _Writer(zf)
        for i, mod in enumerate(modules):
            init = '"""airlock test fixture: %s %s."""\n__version__ = "%s"\n' % (name, version, version)
            w.add_bytes("%s/__init__.py" % mod, init.encode())
            if i == 0 and payload_size > 0:
                w.add_stream("%s/_payload.bin" % mod, payload_chunks("%s==%s" % (name, version), payload_size))
        meta = metadata_text(
            name,
            version,
            requires_dist=requires_dist,
            requires_python=requires_python,
            provides_extra=provides_extra,
            summary=summary,
        )
        w.add_bytes(dist_info + "/METADATA", meta.encode())
        wheel = ["Wheel-Version: 1.0", "Generator: " + GENERATOR, "Root-Is-Purelib: " + ("true" if purelib else "false")]
        wheel += ["Tag: %s-%s-%s" % t for t in expanded]
        if build_tag:
            wheel.append("Build: " + build_tag)
        w.add_bytes(dist_info + "/WHEEL", ("\n".join(wheel) + "\n\n").encode())
        w.add_bytes(dist_info + "/top_level.txt", ("\n".join(modules) + "\n").encode())
        record = "\n".join(w.record + [dist_info + "/RECORD,,"]) + "\n"
        zf.writestr(w._info(dist_info + "/RECORD", zipfile.ZIP_DEFLATED), record.encode())
    tmp.replace(path)
    return path


def wheel_metadata(wheel: Union[str, Path]) -> bytes:
    """The bytes of `*.dist-info/METADATA` inside `wheel` (what PEP 658 serves as `<wheel>.metadata`)."""
    with zipfile.ZipFile(wheel) as zf:
        names = [n for n in zf.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        if len(names) != 1:
            raise ValueError("%s: expected one .dist-info/METADATA, found %r" % (wheel, names))
        return zf.read(names[0])


def sdist_filename(name: str, version: str) -> str:
    return "%s-%s.tar.gz" % (escape_name(name).lower(), version)


def build_sdist(
    out_dir: Union[str, Path],
    name: str,
    version: str,
    *,
    requires_dist: Sequence[str] = (),
    requires_python: Optional[str] = None,
) -> Path:
    """Write a deterministic `name-version.tar.gz` (PKG-INFO + pyproject.toml + the package)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    base = "%s-%s" % (escape_name(name).lower(), version)
    mod = re.sub(r"[-.]+", "_", name).lower()
    deps = ", ".join('"%s"' % r.replace('"', '\\"') for r in requires_dist)
    files = {
        "PKG-INFO": metadata_text(name, version, requires_dist=requires_dist, requires_python=requires_python),
        "pyproject.toml": (
            '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
            '[project]\nname = "%s"\nversion = "%s"\ndependencies = [%s]\n' % (name, version, deps)
        ),
        "%s/__init__.py" % mod: '__version__ = "%s"\n' % version,
    }
    path = out_dir / (base + ".tar.gz")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for rel in sorted(files):
            data = files[rel].encode()
            info = tarfile.TarInfo("%s/%s" % (base, rel))
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 315532800
            info.uname = info.gname = ""
            tf.addfile(info, io.BytesIO(data))
    import gzip

    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
            gz.write(raw.getvalue())
    tmp.replace(path)
    return path


def sha256_file(path: Union[str, Path]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()
