"""Hand-written bundles for the installer's tests.

`make_bundle` writes an airlock bundle (format 1, as core/bundle reads it) straight from a set of
wheels, signed with Debian's `minisign`; `make_conda_bundle` a format-2 one with conda packages.
They exist for what the real writer never produces, on purpose: tampered bytes, extra entries,
`../` names, symlinks, hostile strings, chosen sequence numbers. They are never a stand-in for
`airlock-build build`: a test about bundles the builder makes runs the builder, and fails when it
is missing.

Layout (issue 5): airlock/manifest.toml, airlock/manifest.toml.minisig, airlock/requirements.<t>.txt,
then wheels/<file>; a pax tar with fixed mtimes and owners.
"""

import hashlib
import io
import os
import re
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

MTIME = 1700000000


@dataclass(frozen=True)
class BundleTarget:
    name: str
    python: str
    platform: str
    cuda: Optional[str] = None


@dataclass
class Entry:
    """One tar member: a regular file (data), or a link/directory for the nasty cases."""

    path: str
    data: bytes = b""
    kind: str = "file"  # file | symlink | hardlink | dir
    link: str = ""
    source: Optional[Path] = None  # stream from here instead of `data`
    pax: Optional[Dict[str, str]] = None  # extra pax header records for this entry

    def size(self) -> int:
        return self.source.stat().st_size if self.source else len(self.data)


def keypair(directory: Path, name: str = "release") -> Tuple[Path, Path]:
    """A password-less minisign key pair: (public key, secret key)."""
    pub, sec = directory / (name + ".pub"), directory / (name + ".key")
    r = subprocess.run(
        ["minisign", "-G", "-W", "-f", "-p", str(pub), "-s", str(sec)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    if r.returncode != 0:
        raise RuntimeError("minisign -G failed: %s%s" % (r.stdout, r.stderr))
    return pub, sec


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _toml_string(s: str) -> str:
    """A TOML basic string; control characters as \\uXXXX escapes, so hostile names (ESC, BEL,
    newlines) survive into a well-formed, signable manifest."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_WHEEL = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")


def wheel_name_version(filename: str) -> Tuple[str, str]:
    m = _WHEEL.match(filename)
    if not m:
        raise ValueError("not a wheel file name: " + filename)
    return re.sub(r"[-_.]+", "-", m.group("name")).lower(), m.group("version")


@dataclass
class Manifest:
    name: str
    version: str
    sequence: int
    targets: List[BundleTarget]
    files: List[dict] = field(default_factory=list)  # path, size, sha256, package, version, targets
    signed: bool = True
    format: int = 1
    ecosystems: Dict[str, List[str]] = field(default_factory=dict)  # format 2: target -> ecosystems
    conda_targets: Dict[str, "CondaTarget"] = field(default_factory=dict)

    def text(self) -> str:
        out = [
            "# airlock bundle manifest. Check its signature with:",
            "#   minisign -V -p SIGNER.pub -m manifest.toml",
            "format = %d" % self.format,
            "",
            "[bundle]",
            "name = " + _toml_string(self.name),
            "version = " + _toml_string(self.version),
            "sequence = %d" % self.sequence,
            'created = "2023-11-14T22:13:20Z"',
            'builder = "bundlemaker (tests/install)"',
            "signed = " + ("true" if self.signed else "false"),
        ]
        for t in self.targets:
            out += ["", "[[target]]", "name = " + _toml_string(t.name), "python = " + _toml_string(t.python),
                    "platform = " + _toml_string(t.platform)]
            if t.cuda:
                out.append("cuda = " + _toml_string(t.cuda))
            out.append('requires_python = "==%s.*"' % t.python)
            if self.format >= 2:
                eco = self.ecosystems.get(t.name, ["pip"])
                out.append("ecosystems = [" + ", ".join(_toml_string(e) for e in eco) + "]")
                ct = self.conda_targets.get(t.name)
                if ct and "conda" in eco:
                    out.append("conda_subdir = " + _toml_string(ct.subdir))
                    out.append("conda_specs = [" + ", ".join(_toml_string(s) for s in ct.specs) + "]")
        for f in sorted(self.files, key=lambda f: f["path"]):
            out += ["", "[[file]]", "path = " + _toml_string(f["path"]), "size = %d" % f["size"],
                    "sha256 = " + _toml_string(f["sha256"])]
            if f.get("package"):
                out.append("package = " + _toml_string(f["package"]))
            if f.get("version"):
                out.append("version = " + _toml_string(f["version"]))
            if f.get("md5"):
                out.append("md5 = " + _toml_string(f["md5"]))
            if f.get("targets"):
                out.append("targets = [" + ", ".join(_toml_string(t) for t in f["targets"]) + "]")
        return "\n".join(out) + "\n"

    def trusted_comment(self) -> str:
        return "bundle:%s\tversion:%s\tsequence:%d" % (self.name, self.version, self.sequence)


def sign(manifest_text: str, secret_key: Path, trusted_comment: str, workdir: Path, legacy: bool = False) -> str:
    """minisign's signature file text for `manifest_text` (prehashed `ED`; legacy `Ed` with
    `legacy`, as `minisign -S -l` writes)."""
    m = workdir / "manifest.toml.tosign"
    m.write_text(manifest_text)
    sig = workdir / "manifest.toml.tosign.minisig"
    r = subprocess.run(
        ["minisign", "-S", "-s", str(secret_key), "-m", str(m), "-x", str(sig), "-t", trusted_comment]
        + (["-l"] if legacy else []),
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    if r.returncode != 0:
        raise RuntimeError("minisign -S failed: %s%s" % (r.stdout, r.stderr))
    text = sig.read_text()
    m.unlink()
    sig.unlink()
    return text


def plan(
    name: str,
    version: str,
    sequence: int,
    targets: Dict[BundleTarget, Sequence[Path]],
) -> Tuple[Manifest, List[Entry]]:
    """The manifest and payload entries for `targets` -> the wheel files each installs."""
    manifest = Manifest(name, version, sequence, list(targets))
    wheel_targets: Dict[Path, List[str]] = {}
    for t, wheels in targets.items():
        for w in wheels:
            wheel_targets.setdefault(Path(w), []).append(t.name)
    entries: List[Entry] = []
    hashes: Dict[Path, str] = {}
    for w, tnames in sorted(wheel_targets.items(), key=lambda kv: kv[0].name):
        digest = sha256_file(w)
        hashes[w] = digest
        pkg, ver = wheel_name_version(w.name)
        entries.append(Entry("wheels/" + w.name, source=w))
        manifest.files.append({"path": "wheels/" + w.name, "size": w.stat().st_size, "sha256": digest,
                               "package": pkg, "version": ver,
                               "targets": tnames if len(tnames) < len(targets) else []})
    reqs = []
    for t, wheels in targets.items():
        lines = ["# airlock: requirements of target %s (pip install --no-index --require-hashes)" % t.name]
        for w in sorted(wheels, key=lambda p: Path(p).name):
            pkg, ver = wheel_name_version(Path(w).name)
            lines.append("%s==%s --hash=sha256:%s" % (pkg, ver, hashes[Path(w)]))
        data = ("\n".join(lines) + "\n").encode()
        path = "airlock/requirements.%s.txt" % t.name
        reqs.append(Entry(path, data))
        manifest.files.append({"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                               "targets": [t.name]})
    return manifest, reqs + entries


def write_tar(out: Path, entries: Iterable[Entry]) -> Path:
    tmp = out.with_name(out.name + ".partial")
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tf:
        for e in entries:
            info = tarfile.TarInfo(e.path)
            info.mtime = MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o644
            if e.pax:
                info.pax_headers = dict(e.pax)
            if e.kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = e.link
                tf.addfile(info)
            elif e.kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = e.link
                tf.addfile(info)
            elif e.kind == "dir":
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tf.addfile(info)
            else:
                info.size = e.size()
                if e.source:
                    with open(e.source, "rb") as f:
                        tf.addfile(info, f)
                else:
                    tf.addfile(info, io.BytesIO(e.data))
    tmp.replace(out)
    return out


def make_bundle(
    out: Path,
    targets: Dict[BundleTarget, Sequence[Path]],
    *,
    secret_key: Optional[Path],
    name: str = "lab",
    version: str = "1.0.0",
    sequence: int = 1,
    tamper: Optional[Callable[[Manifest, List[Entry]], None]] = None,
    tamper_after_sign: Optional[Callable[[List[Entry]], None]] = None,
    legacy_signature: bool = False,
) -> Path:
    """Writes a bundle. `tamper(manifest, payload)` edits both before signing (a consistent but
    e.g. unsafe bundle: hostile names, package names and paths, signed with the real key);
    `tamper_after_sign(all_entries)` edits the finished entry list (manifest and signature
    included), as an attacker would. `name` may be hostile too (`/../`, control characters)."""
    manifest, payload = plan(name, version, sequence, targets)
    manifest.signed = secret_key is not None
    if tamper:
        tamper(manifest, payload)
    text = manifest.text()
    entries = [Entry("airlock/manifest.toml", text.encode())]
    if secret_key is not None:
        sig = sign(text, secret_key, manifest.trusted_comment(), out.parent, legacy=legacy_signature)
        entries.append(Entry("airlock/manifest.toml.minisig", sig.encode()))
    entries += payload
    if tamper_after_sign:
        tamper_after_sign(entries)
    return write_tar(out, entries)


# ------------------------------------------------------------------------- conda (format 2)
@dataclass
class CondaFile:
    """A conda package file for a bundle: where it is, its subdir and the URL it came from."""

    path: Path
    subdir: str
    channel_url: str  # e.g. https://conda.anaconda.org/conda-forge (credential-free)
    record: Optional[dict] = None  # the repodata record; read from the package when None

    @property
    def filename(self) -> str:
        return self.path.name

    def url(self) -> str:
        return "%s/%s/%s" % (self.channel_url, self.subdir, self.filename)


@dataclass(frozen=True)
class CondaTarget:
    """A format-2 target: conda packages (install order) and wheels for its pip part."""

    name: str
    python: str
    platform: str
    subdir: str
    specs: Tuple[str, ...] = ()
    cuda: Optional[str] = None


def _index_json(path: Path) -> dict:
    import json
    import zipfile

    if path.name.endswith(".tar.bz2"):
        with tarfile.open(path, "r:bz2") as t:
            return json.loads(t.extractfile("info/index.json").read())
    with zipfile.ZipFile(path) as z:
        info = next(n for n in z.namelist() if n.startswith("info-"))
        raw = z.read(info)
    r = subprocess.run(["zstd", "-d", "-q", "-c"], input=raw, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(r.stdout)) as t:
        return json.loads(t.extractfile("info/index.json").read())


def repodata_record(path: Path) -> dict:
    data = path.read_bytes()
    rec = _index_json(path)
    rec.update(fn=path.name, md5=hashlib.md5(data).hexdigest(), sha256=hashlib.sha256(data).hexdigest(),
               size=len(data))
    return rec


def conda_plan(
    name: str,
    version: str,
    sequence: int,
    targets: Dict[CondaTarget, Tuple[Sequence[CondaFile], Sequence[Path]]],
) -> Tuple[Manifest, List[Entry]]:
    """The format-2 manifest and payload for `targets` -> (conda files in install order, wheels)."""
    import json

    wheel_targets = {BundleTarget(t.name, t.python, t.platform, t.cuda): list(w) for t, (_, w) in targets.items()}
    manifest, entries = plan(name, version, sequence, wheel_targets)
    manifest.format = 2
    manifest.conda_targets = {t.name: t for t in targets}
    manifest.ecosystems = {t.name: (["conda"] if files else []) + (["pip"] if wheels else [])
                           for t, (files, wheels) in targets.items()}
    if any(not w for _, (_, w) in targets.items()):
        # A conda-only target has no requirements file.
        drop = {"airlock/requirements.%s.txt" % t.name for t, (_, w) in targets.items() if not w}
        entries[:] = [e for e in entries if e.path not in drop]
        manifest.files = [f for f in manifest.files if f["path"] not in drop]
    by_subdir: Dict[str, Dict[str, dict]] = {"noarch": {}}
    owners: Dict[str, List[str]] = {}
    for t, (files, _) in targets.items():
        lines = ["# conda environment of target `%s`, written by bundlemaker" % t.name,
                 "# platform: %s" % t.subdir, "@EXPLICIT"]
        for f in files:
            rec = f.record if f.record is not None else repodata_record(f.path)
            by_subdir.setdefault(f.subdir, {})[f.filename] = rec
            path = "conda/%s/%s" % (f.subdir, f.filename)
            owners.setdefault(path, []).append(t.name)
            if path not in [e.path for e in entries]:
                entries.append(Entry(path, source=f.path))
                manifest.files.append({"path": path, "size": f.path.stat().st_size, "sha256": sha256_file(f.path),
                                       "md5": hashlib.md5(f.path.read_bytes()).hexdigest(),
                                       "package": rec["name"], "version": rec["version"], "targets": []})
            lines.append("%s#%s" % (f.url(), sha256_file(f.path)))
        data = ("\n".join(lines) + "\n").encode()
        path = "airlock/conda.%s.txt" % t.name
        entries.append(Entry(path, data))
        manifest.files.append({"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                               "targets": [t.name]})
    for f in manifest.files:
        if f["path"] in owners and len(owners[f["path"]]) < len(targets):
            f["targets"] = owners[f["path"]]
    for subdir, recs in by_subdir.items():
        repodata = {"info": {"subdir": subdir},
                    "packages": {k: v for k, v in recs.items() if k.endswith(".tar.bz2")},
                    "packages.conda": {k: v for k, v in recs.items() if k.endswith(".conda")},
                    "repodata_version": 1}
        data = json.dumps(repodata, indent=1, sort_keys=True).encode()
        path = "conda/%s/repodata.json" % subdir
        entries.append(Entry(path, data))
        manifest.files.append({"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                               "targets": []})
    return manifest, entries


def make_conda_bundle(
    out: Path,
    targets: Dict[CondaTarget, Tuple[Sequence[CondaFile], Sequence[Path]]],
    *,
    secret_key: Path,
    name: str = "condalab",
    version: str = "1.0.0",
    sequence: int = 1,
) -> Path:
    """A signed format-2 bundle (the contract of COORD.md) with conda packages and wheels."""
    manifest, payload = conda_plan(name, version, sequence, targets)
    text = manifest.text()
    entries = [Entry("airlock/manifest.toml", text.encode()),
               Entry("airlock/manifest.toml.minisig",
                     sign(text, secret_key, manifest.trusted_comment(), out.parent).encode())]
    return write_tar(out, entries + sorted(payload, key=lambda e: e.path))
