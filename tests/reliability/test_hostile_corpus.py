"""A corpus of hostile bundles, generated here, each run through `airlock-install verify` and
`install` (a venv, or `--prefix` for conda), offline inside `unshare -n`.

Classes (issues 6, 9 and 12): tampered payload, manifest and signature; truncation at every
structural boundary of the tar (each header, each payload's start, middle and end, the end-of-
archive blocks) and of a compressed bundle; duplicates; path escapes; links; devices; bombs;
rollback; hostile signed strings; hostile conda packages (paths.json escapes, absolute paths,
symlinks out of the prefix, placeholders that overflow a binary, hostile names and subdirs in
repodata and the @EXPLICIT file, truncated and bomb `.conda` archives).

Every run must: exit 1; print the message expected for its class (a regex per case); print no
traceback or sanitizer report and no raw control byte; create nothing outside its case directory
(the case's dest/, state/, $HOME and $TMPDIR are checked before and after, and no `.airlock-*`
may appear in the system temp dir). Runs go two at a time. The figures go into the reliability
summary (reliability_summary.py), with the corpus size per class.
"""

import bz2
import concurrent.futures
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import unittest
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from airlock_testing import conda, programs, pythons

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "install"))
import bundlemaker as bm  # noqa: E402
from install_support import POISON, host_target, small_wheels, unshare_available  # noqa: E402
from reliability_summary import REFUSED, Report, main  # noqa: E402

REPORT = Report("hostile bundles (airlock-install)", __file__)

# Bytes a terminal acts on; \n is the only control byte our output may hold (and \t in excerpts).
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
CRASH = re.compile(r"Traceback \(most recent|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|"
                   r"runtime error:|terminate called|Segmentation fault|core dumped|std::")
CHANNEL = "https://conda.example.org/conda-forge"
SHORT_PH = "/opt/ph"  # a placeholder shorter than any prefix the corpus installs into
MiB = 1024 * 1024


@dataclass
class Run:
    """One command of a case: its arguments (BUNDLE, PUB, DEST, PY are filled in), the exit code and
    the stderr regex expected."""

    args: Tuple[str, ...]
    expect: str
    code: int = 1


@dataclass
class Case:
    cls: str
    name: str
    bundle: Path
    runs: List[Run]
    setup: Optional[Callable[[Path], None]] = None  # e.g. seed the anti-rollback state
    problems: List[str] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_tar(out: Path, entries: List[bm.Entry]) -> Path:
    """bundlemaker's writer plus the kinds it does not write: devices and fifos."""
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
        for e in entries:
            info = tarfile.TarInfo(e.path)
            info.mtime = bm.MTIME
            info.mode = 0o644
            if e.pax:
                info.pax_headers = dict(e.pax)
            kinds = {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE, "dir": tarfile.DIRTYPE,
                     "chr": tarfile.CHRTYPE, "blk": tarfile.BLKTYPE, "fifo": tarfile.FIFOTYPE}
            if e.kind in kinds:
                info.type = kinds[e.kind]
                info.linkname = e.link
                if e.kind in ("chr", "blk"):
                    info.devmajor, info.devminor = 1, 3
                tf.addfile(info)
            else:
                data = e.source.read_bytes() if e.source else e.data
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
    return out


def set_file(manifest: bm.Manifest, entries: List[bm.Entry], path: str, data: bytes):
    """Replaces a payload file's bytes and its manifest record (a consistent, signable change)."""
    e = next(x for x in entries if x.path == path)
    e.data, e.source = data, None
    f = next(x for x in manifest.files if x["path"] == path)
    f["size"], f["sha256"] = len(data), sha256(data)
    if "md5" in f:
        f["md5"] = hashlib.md5(data).hexdigest()


def tar_bz2(out: Path, members, index: dict, paths: list, extra_info=()) -> Path:
    """A handmade conda .tar.bz2: `members` (TarInfo, bytes | None), info/index.json, paths.json."""
    pj = json.dumps({"paths": paths, "paths_version": 1}).encode()
    with tarfile.open(out, "w:bz2") as t:
        for info, data in list(members) + [(None, None)]:
            if info is None:
                break
            t.addfile(info, io.BytesIO(data) if data is not None else None)
        for n, d in [("info/index.json", json.dumps(index).encode()), ("info/paths.json", pj)] + list(extra_info):
            i = tarfile.TarInfo(n)
            i.size = len(d)
            t.addfile(i, io.BytesIO(d))
    return out


def replace_member(path: Path, name: str, data: bytes):
    """Rewrites member `name` of the .tar.bz2 at `path`."""
    with tarfile.open(path, "r:bz2") as t:
        members = [(m, t.extractfile(m).read() if m.isfile() else None) for m in t.getmembers()]
    with tarfile.open(path, "w:bz2") as t:
        for m, d in members:
            if m.name == name:
                m.size = len(data)
                d = data
            t.addfile(m, io.BytesIO(d) if d is not None else None)


def member(path: str, data: bytes = b"", kind: str = "file", link: str = "", mode: int = 0o644):
    i = tarfile.TarInfo(path)
    i.mode = mode
    i.mtime = bm.MTIME
    if kind == "file":
        i.size = len(data)
        return i, data
    i.type = {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE,
              "chr": tarfile.CHRTYPE}[kind]
    i.linkname = link
    return i, None


def hardlink_record(path: str, data: bytes, **extra) -> dict:
    return dict({"_path": path, "path_type": "hardlink", "sha256": sha256(data), "size_in_bytes": len(data)}, **extra)


def index_of(name: str) -> dict:
    return {"name": name, "version": "1.0", "build": "0", "build_number": 0, "subdir": "linux-64", "depends": [],
            "arch": "x86_64", "platform": "linux"}


class Corpus:
    """Writes the corpus under `root`; `cases` is the list to run."""

    def __init__(self, root: Path, python: str):
        self.root = root
        self.python = python
        self.cases: List[Case] = []
        keys = root / "keys"
        keys.mkdir()
        self.pub, self.sec = bm.keypair(keys)
        self.other_pub, self.other_sec = bm.keypair(keys, "other")
        self.wheels = small_wheels(root / "wheels")
        self.target = host_target("3.12")
        self.conda_target = bm.CondaTarget("linux-c", "3.12", "manylinux_2_17_x86_64", "linux-64", specs=("tiny",))

    # -- writing bundles ----------------------------------------------------------------------------
    def case_dir(self, cls: str, name: str) -> Path:
        d = self.root / "cases" / ("%s--%s" % (cls, name))
        d.mkdir(parents=True)
        return d

    def wheel_plan(self, **kw):
        return bm.plan(kw.get("name", "lab"), kw.get("version", "1.0.0"), kw.get("sequence", 1),
                       {self.target: [self.wheels["alpha"], self.wheels["beta"]]})

    def conda_plan(self, packages: List[bm.CondaFile], **kw):
        return bm.conda_plan(kw.get("name", "condalab"), "1.0.0", kw.get("sequence", 1),
                             {self.conda_target: (packages, [])})

    def write(self, out: Path, plan, *, edit=None, after=None, key="sec", raw=None) -> Path:
        """Signs `plan` (manifest, payload) after `edit(manifest, payload)`, applies
        `after(entries)` to the finished entry list, writes the tar; `raw(bytes) -> bytes` last."""
        manifest, payload = plan
        manifest.signed = key is not None
        if edit:
            edit(manifest, payload)
        text = manifest.text()
        entries = [bm.Entry("airlock/manifest.toml", text.encode())]
        if key is not None:
            secret = self.sec if key == "sec" else self.other_sec
            entries.append(bm.Entry("airlock/manifest.toml.minisig",
                                    bm.sign(text, secret, re.sub(r"[\r\n]", " ", manifest.trusted_comment())[:500],
                                            out.parent).encode()))
        entries += sorted(payload, key=lambda e: e.path)
        if after:
            after(entries)
        write_tar(out, entries)
        if raw:
            out.write_bytes(raw(out.read_bytes()))
        return out

    # -- the runs of a case -------------------------------------------------------------------------
    def wheel_case(self, cls, name, expect, plan=None, *, verify=None, install=None, key="PUB", extra=(), **kw):
        d = self.case_dir(cls, name)
        b = self.write(d / "b.airlock", plan or self.wheel_plan(), **kw)
        keyargs = ("--key", key) if key else ("--allow-unsigned",)
        runs = [Run(("verify", "BUNDLE") + keyargs + tuple(extra), verify if verify is not None else expect),
                Run(("install", "BUNDLE") + keyargs + ("--venv", "DEST/venv", "--python", "PY") + tuple(extra),
                    install if install is not None else expect)]
        self.cases.append(Case(cls, name, b, runs))
        return self.cases[-1]

    def conda_case(self, cls, name, expect, packages, *, verify_ok=True, edit=None, after=None, verify=None):
        """A signed format-2 bundle with a conda-only target; `verify` passes (the hostile bytes are
        signed) unless `verify_ok` is False; `install --prefix` must refuse."""
        d = self.case_dir(cls, name)
        b = self.write(d / "b.airlock", self.conda_plan(packages), edit=edit, after=after)
        runs = [Run(("verify", "BUNDLE", "--key", "PUB"), verify or ("" if verify_ok else expect),
                    0 if verify_ok else 1),
                Run(("install", "BUNDLE", "--key", "PUB", "--prefix", "DEST/env"), expect)]
        self.cases.append(Case(cls, name, b, runs))

    def raw_case(self, cls, name, expect, data: bytes, install=True):
        d = self.case_dir(cls, name)
        b = d / "b.airlock"
        b.write_bytes(data)
        runs = [Run(("verify", "BUNDLE", "--key", "PUB"), expect)]
        if install:
            runs.append(Run(("install", "BUNDLE", "--key", "PUB", "--venv", "DEST/venv", "--python", "PY"), expect))
        self.cases.append(Case(cls, name, b, runs))

    # -- the classes --------------------------------------------------------------------------------
    def tampered(self):
        c = "tampered"
        beta = "wheels/" + self.wheels["beta"].name

        def flip_payload(entries):
            e = next(x for x in entries if x.path == beta)
            data = bytearray(e.source.read_bytes())
            data[len(data) // 2] ^= 1
            e.data, e.source = bytes(data), None

        self.wheel_case(c, "payload-byte", r"wrong sha256.*\n?.*|%s" % re.escape(beta), after=flip_payload)

        def payload_size(entries):
            e = next(x for x in entries if x.path == beta)
            e.data, e.source = e.source.read_bytes() + b"\0", None

        self.wheel_case(c, "payload-size", r"wrong size", after=payload_size)

        def manifest_byte(entries):
            e = entries[0]
            e.data = e.data.replace(b'version = "1.0.0"', b'version = "1.0.1"')

        self.wheel_case(c, "manifest-byte", r"signature", after=manifest_byte)

        def manifest_appended(entries):
            entries[0].data += b"\n[[file]]\npath = \"wheels/x\"\n"

        self.wheel_case(c, "manifest-appended", r"signature", after=manifest_appended)

        def signature_byte(entries):
            e = entries[1]
            lines = e.data.split(b"\n")
            sig = bytearray(lines[1])
            sig[20] = ord("A") if sig[20] != ord("A") else ord("B")
            lines[1] = bytes(sig)
            e.data = b"\n".join(lines)

        self.wheel_case(c, "signature-byte", r"signature", after=signature_byte)

        def trusted_comment(entries):
            e = entries[1]
            e.data = e.data.replace(b"sequence:1", b"sequence:9")

        self.wheel_case(c, "trusted-comment-edited", r"signature", after=trusted_comment)
        d = self.case_dir(c, "other-signer")
        b = self.write(d / "b.airlock", self.wheel_plan(), key="other")
        self.cases.append(Case(c, "other-signer", b, [Run(("verify", "BUNDLE", "--key", "PUB"), r"signature"),
                                                        Run(("install", "BUNDLE", "--key", "PUB", "--venv",
                                                             "DEST/venv", "--python", "PY"), r"signature")]))

        def strip_signature(entries):
            del entries[1]

        self.wheel_case(c, "signature-stripped", r"marked signed", after=strip_signature, key=None)
        d = self.case_dir(c, "unsigned")
        b = self.write(d / "b.airlock", self.wheel_plan(), key=None)
        self.cases.append(Case(c, "unsigned", b, [Run(("verify", "BUNDLE", "--key", "PUB"), r"not signed"),
                                                    Run(("install", "BUNDLE", "--key", "PUB", "--venv", "DEST/venv",
                                                         "--python", "PY"), r"not signed")]))

        def legacy(entries):
            m = entries[0].data.decode()
            manifest_sig = bm.sign(m, self.sec, "bundle:lab", self.root, legacy=True)
            entries[1].data = manifest_sig.encode()

        self.wheel_case(c, "legacy-signature", r"legacy minisign", after=legacy)

        def extra_file(entries):
            entries.append(bm.Entry("wheels/evil-6.6-py3-none-any.whl", b"PK"))

        self.wheel_case(c, "extra-file", r"not listed in the manifest", after=extra_file)

        def missing_file(entries):
            entries[:] = [e for e in entries if e.path != beta]

        self.wheel_case(c, "missing-file", r"missing from the bundle", after=missing_file)

        def signature_garbage(entries):
            entries[1].data = b"\x1b[2J" + os.urandom(64)

        self.wheel_case(c, "signature-garbage", r"signature", after=signature_garbage)

    def truncated(self):
        """A cut at every structural boundary of the tar, and inside a zstd-compressed bundle."""
        d = self.root / "truncation-source"
        d.mkdir()
        good = self.write(d / "good.airlock", self.wheel_plan())
        data = good.read_bytes()
        cuts = {0: "empty", 1: "one-byte"}
        with tarfile.open(good) as tf:
            members = tf.getmembers()
        end = max(m.offset_data + ((m.size + 511) // 512) * 512 for m in members)
        for i, m in enumerate(members):
            tag = "m%d-%s" % (i, m.name.split("/")[-1][:24])
            cuts.setdefault(m.offset, tag + "-header")
            cuts.setdefault(m.offset + 100, tag + "-mid-header")
            cuts.setdefault(m.offset_data, tag + "-data-start")
            if m.size > 1:
                cuts.setdefault(m.offset_data + m.size // 2, tag + "-data-middle")
            cuts.setdefault(m.offset_data + m.size - 1, tag + "-data-last-byte")
            if m.size % 512:
                cuts.setdefault(m.offset_data + m.size, tag + "-padding")
        cuts.setdefault(end, "end-of-archive-marker")
        cuts.setdefault(end + 512, "end-of-archive-second-block")
        for at, tag in sorted(cuts.items()):
            if at < len(data):
                self.raw_case("truncated", "%06d-%s" % (at, tag), r"truncat|damaged|not an airlock bundle|empty",
                              data[:at])
        if shutil.which("zstd"):
            z = subprocess.run(["zstd", "-q", "-c", str(good)], capture_output=True, check=True).stdout
            for frac in (0.1, 0.5, 0.9):
                self.raw_case("truncated", "zstd-at-%d%%" % (frac * 100), r"truncat|damaged|zstd",
                              z[: int(len(z) * frac)])
            self.raw_case("truncated", "zstd-last-byte", r"truncat|damaged|zstd", z[:-1])

    def duplicates(self):
        c = "duplicates"
        beta = "wheels/" + self.wheels["beta"].name

        def same_twice(entries):
            e = next(x for x in entries if x.path == beta)
            entries.append(bm.Entry(e.path, e.source.read_bytes()))

        self.wheel_case(c, "payload-twice-same-bytes", r"twice|duplicate|more than once", after=same_twice)

        def other_bytes(entries):
            entries.append(bm.Entry(beta, b"PK other bytes"))

        self.wheel_case(c, "payload-twice-other-bytes", r"twice|duplicate|more than once", after=other_bytes)

        def manifest_twice(entries):
            entries.append(bm.Entry("airlock/manifest.toml", entries[0].data))

        self.wheel_case(c, "manifest-entry-twice", r"twice|duplicate|more than once", after=manifest_twice)

        def signature_twice(entries):
            entries.insert(2, bm.Entry("airlock/manifest.toml.minisig", entries[1].data))

        self.wheel_case(c, "signature-entry-twice", r"twice|duplicate|more than once", after=signature_twice)

        def file_listed_twice(manifest, payload):
            manifest.files.append(dict(next(f for f in manifest.files if f["path"] == beta)))

        self.wheel_case(c, "manifest-lists-a-file-twice", r"twice|duplicate|more than once", edit=file_listed_twice)

        def target_twice(manifest, payload):
            manifest.targets.append(manifest.targets[0])

        self.wheel_case(c, "manifest-lists-a-target-twice", r"twice|duplicate|more than once", edit=target_twice)

        def dot_slash(entries):
            e = next(x for x in entries if x.path == beta)
            entries.append(bm.Entry("./" + beta, b"PK other"))

        self.wheel_case(c, "same-path-spelled-with-dot-slash", r"unsafe path|twice|duplicate", after=dot_slash)

    def escapes(self):
        c = "escapes"
        for name, path in (("dot-dot", "../escaped.txt"), ("dot-dot-inside", "wheels/../../escaped.txt"),
                           ("absolute", str(self.root / "absolute.txt")), ("backslash", "wheels\\..\\..\\x.whl"),
                           ("empty-component", "wheels//x.whl"), ("dot-component", "wheels/./x.whl"),
                           ("trailing-slash-file", "wheels/x.whl/"), ("control-char", "wheels/\x1b[2Jx.whl"),
                           ("long-name", "wheels/" + "a" * 5000 + ".whl"),
                           ("deep", "wheels/" + "d/" * 2000 + "x.whl")):
            def after(entries, path=path):
                entries.insert(3, bm.Entry(path, b"owned"))

            self.wheel_case(c, "tar-" + name, r"unsafe path|not listed in the manifest|damaged", after=after)
        for name, path in (("dot-dot", "../x"), ("absolute", "/etc/x"), ("inside-dot-dot", "wheels/../../x"),
                           ("control", "wheels/\x07x.whl"), ("empty", "")):
            def edit(manifest, payload, path=path):
                manifest.files.append({"path": path, "size": 1, "sha256": "0" * 64})

            self.wheel_case(c, "signed-manifest-" + name, r"path .* is not allowed|path", edit=edit)

    def links_and_devices(self):
        for kind, link in (("symlink", "/etc/passwd"), ("symlink", "../../.."), ("hardlink", "/etc/passwd"),
                           ("hardlink", "airlock/manifest.toml")):
            def after(entries, kind=kind, link=link):
                entries.insert(3, bm.Entry("wheels/link-%s.whl" % kind, kind=kind, link=link))

            self.wheel_case("links", "%s-to-%s" % (kind, link.strip("/").replace("/", "_").replace(".", "d")),
                            r"unsafe entry type|%s" % kind, after=after)

        def through(entries):
            entries.insert(3, bm.Entry("wheels/dir", kind="symlink", link=str(self.root)))
            entries.insert(4, bm.Entry("wheels/dir/owned.txt", b"owned"))

        self.wheel_case("links", "file-through-symlink", r"unsafe entry type", after=through)

        for kind in ("chr", "blk", "fifo"):
            def after(entries, kind=kind):
                entries.insert(3, bm.Entry("wheels/dev-%s.whl" % kind, kind=kind))

            self.wheel_case("devices", kind, r"unsafe entry type", after=after)

        def listed_device(entries):
            beta = "wheels/" + self.wheels["beta"].name
            i = next(k for k, e in enumerate(entries) if e.path == beta)
            entries[i] = bm.Entry(beta, kind="chr")

        self.wheel_case("devices", "listed-file-as-chr-device", r"unsafe entry type", after=listed_device)

    def bombs(self):
        c = "bombs"

        def manifest_bomb(entries):
            del entries[1]
            entries[0].data += b"# padding\n" * (17 * MiB // 10)

        self.wheel_case(c, "manifest-17MiB-unsigned", r"more than the 16.0 MiB", after=manifest_bomb, key=None)

        def signed_bomb(entries):
            entries[0].data += b"# padding\n" * (17 * MiB // 10)

        self.wheel_case(c, "manifest-17MiB-signed", r"more than the 16.0 MiB", after=signed_bomb)

        def signature_bomb(entries):
            entries[1].data = b"untrusted comment: x\n" + b"A" * (2 * MiB) + b"\n"

        self.wheel_case(c, "signature-2MiB", r"signature.*(KiB|large|more than)", after=signature_bomb)

        def many_files(manifest, payload):
            for i in range(20000):
                manifest.files.append({"path": "wheels/f%05d-1.0-py3-none-any.whl" % i, "size": 1,
                                       "sha256": "0" * 64})

        self.wheel_case(c, "manifest-20000-files-missing", r"missing from the bundle", edit=many_files)

        def long_pax(entries):
            entries.insert(3, bm.Entry("wheels/x.whl", b"x", pax={"path": "wheels/" + "p" * (4 * MiB)}))

        self.wheel_case(c, "pax-path-4MiB", r"unsafe path|too long|pax", after=long_pax)

        def huge_size(data: bytes) -> bytes:
            # The last wheel's header claims 8 GiB; the archive ends where the real bytes end.
            with tarfile.open(fileobj=io.BytesIO(data)) as tf:
                m = tf.getmembers()[-1]
            hdr = bytearray(data[m.offset:m.offset + 512])
            hdr[124:136] = b"%011o\0" % (8 << 30)
            hdr[148:156] = b"        "
            hdr[148:156] = b"%06o\0 " % sum(hdr)
            return data[:m.offset] + bytes(hdr) + data[m.offset + 512:]

        self.wheel_case(c, "tar-header-claims-8GiB", r"wrong size|truncat|damaged", raw=huge_size)

        if shutil.which("zstd"):
            # A compressed bundle whose extra member inflates to 1 GiB of zeros.
            d = self.case_dir(c, "zstd-256MiB-extra-member")
            plain = self.write(d / "plain.tar", self.wheel_plan())
            data = plain.read_bytes()
            with tarfile.open(plain) as tf:
                end = max(m.offset_data + ((m.size + 511) // 512) * 512 for m in tf.getmembers())
            info = tarfile.TarInfo("wheels/zeros-1.0-py3-none-any.whl")
            info.size = 256 * MiB
            hdr = info.tobuf(tarfile.USTAR_FORMAT)
            with open(d / "b.airlock", "wb") as out:
                p = subprocess.Popen(["zstd", "-q", "-1", "-c"], stdin=subprocess.PIPE, stdout=out)
                p.stdin.write(data[:end] + hdr)
                zero = bytes(MiB)
                for _ in range(256):
                    p.stdin.write(zero)
                p.stdin.write(bytes(1024))
                p.stdin.close()
                p.wait()
            plain.unlink()
            self.cases.append(Case(c, "zstd-256MiB-extra-member", d / "b.airlock",
                                   [Run(("verify", "BUNDLE", "--key", "PUB"), r"not listed in the manifest"),
                                    Run(("install", "BUNDLE", "--key", "PUB", "--venv", "DEST/venv", "--python",
                                         "PY"), r"not listed in the manifest")]))

    def rollback(self):
        c = "rollback"

        def seed(case_dir: Path):
            (case_dir / "state").mkdir(exist_ok=True)
            (case_dir / "state" / "state.toml").write_text(
                '[bundle."lab"]\nsequence = 5\nversion = "1.0.4"\ninstalled_at = "2026-01-01T00:00:00Z"\n')

        case = self.wheel_case(c, "older-sequence-than-installed", r"older than sequence 5",
                               self.wheel_plan(sequence=3), verify="")
        case.runs[0].code = 0
        case.setup = seed
        d = self.case_dir(c, "export-over-newer-export")
        newer = self.write(d / "newer.airlock", self.wheel_plan(sequence=7))
        older = self.write(d / "b.airlock", self.wheel_plan(sequence=2))
        self.cases.append(Case(c, "export-over-newer-export", older,
                               [Run(("export", str(newer), "--key", "PUB", "--to", "DEST/export"), "", 0),
                                Run(("export", "BUNDLE", "--key", "PUB", "--to", "DEST/export"),
                                    r"older|sequence 2.*sequence 7|sequence 7")]))

    def signed_strings(self):
        c = "signed-strings"
        for name, value, needle in (("name-climbing", "x/../../escaped", "bundle name"),
                                    ("name-escape-sequence", "lab\x1b]0;owned\x07", "bundle name"),
                                    ("name-newline", "lab\nsequence = 99", "bundle name"),
                                    ("name-empty", "", "bundle name"),
                                    ("name-long", "n" * 5000, "bundle name")):
            self.wheel_case(c, name, needle, self.wheel_plan(name=value))
        self.wheel_case(c, "version-with-slash", r"version", self.wheel_plan(version="1.0/../../x"))

        def target_name(manifest, payload):
            manifest.targets[0] = bm.BundleTarget("../t", "3.12", "manylinux_2_17_x86_64")

        self.wheel_case(c, "target-name-dot-dot", r"target name", edit=target_name)

        def package_abs(manifest, payload):
            for f in manifest.files:
                if f.get("package") == "alpha":
                    f["package"] = "/tmp/owned"

        self.wheel_case(c, "package-name-absolute", r"package name", edit=package_abs)

        def package_ctrl(manifest, payload):
            for f in manifest.files:
                if f.get("package") == "beta":
                    f["version"] = "2.0\x1b[31m"

        self.wheel_case(c, "package-version-escape", r"version", edit=package_ctrl)

        def platform(manifest, payload):
            manifest.targets[0] = bm.BundleTarget(manifest.targets[0].name, "3.12", "linux\x1b[2J")

        self.wheel_case(c, "platform-escape", r"platform", edit=platform)

        def python(manifest, payload):
            manifest.targets[0] = bm.BundleTarget(manifest.targets[0].name, "3.12; rm -rf /", "manylinux_2_17_x86_64")

        self.wheel_case(c, "python-version-shell", r"python", edit=python)

        def sha(manifest, payload):
            manifest.files[-1]["sha256"] = "Z" * 64

        self.wheel_case(c, "sha256-not-hex", r"sha256", edit=sha)

        def fmt(manifest, payload):
            manifest.format = 99

        self.wheel_case(c, "format-99", r"format", edit=fmt)

        def requirements(manifest, payload):
            path = "airlock/requirements.%s.txt" % self.target.name
            set_file(manifest, payload, path, b"--index-url http://127.0.0.1:9/evil/simple\n-r /etc/passwd\n"
                     b"evil @ file:///etc/passwd\n")

        case = self.wheel_case(c, "requirements-file-options", r"requirements\.linux-py312\.txt:1: `--index-url "
                               r"http://127\.0\.0\.1:9/evil/simple` is not a pinned, hashed requirement",
                               edit=requirements, verify="")
        case.runs[0].code = 0

    # -- conda ---------------------------------------------------------------------------------------
    def conda_packages(self):
        """A good tiny package (.conda) and the hostile ones; returns {name: CondaFile}."""
        work = self.root / "conda-build"
        channel = self.root / "channel"
        tiny = conda.Package("tiny", "1.0", "h0_0", "linux-64", formats=(".conda",),
                             files=[("share/tiny/data.txt", b"tiny\n"),
                                    ("bin/tiny", ("text", "#!/bin/sh\necho %s\n" % conda.PLACEHOLDER)),
                                    ("lib/libtiny.so", ("link", "../share/tiny/data.txt"))])
        work.mkdir()
        conda.build_packages([(tiny, ".conda", channel)], work)
        files = {"tiny": bm.CondaFile(channel / "tiny-1.0-h0_0.conda", "linux-64", CHANNEL)}
        return files

    def conda_cases(self):
        c = "conda"
        files = self.conda_packages()
        tiny = files["tiny"]
        hand = self.root / "hand"
        hand.mkdir()

        def pkg(name, members, paths, extra_info=()):
            return bm.CondaFile(tar_bz2(hand / ("%s-1.0-0.tar.bz2" % name), members, index_of(name), paths,
                                        extra_info), "linux-64", CHANNEL)

        owned = b"owned\n"
        self.conda_case(c, "paths-json-dot-dot", r"unsafe path `\.\./\.\./escape\.txt`", [
            pkg("dotdot", [member("../../escape.txt", owned)], [hardlink_record("../../escape.txt", owned)])])
        self.conda_case(c, "paths-json-absolute", r"unsafe path|absolute", [
            pkg("absolute", [member(str(self.root / "abs.txt"), owned)],
                [hardlink_record(str(self.root / "abs.txt"), owned)])])
        self.conda_case(c, "tar-member-not-in-paths-json-escaping", r"unsafe path|not listed|paths\.json", [
            pkg("sneaky", [member("share/ok.txt", owned), member("../sneak.txt", owned)],
                [hardlink_record("share/ok.txt", owned)])])
        self.conda_case(c, "symlink-absolute-out", r"symlink|link", [
            pkg("symabs", [member("lib/evil", kind="symlink", link="/etc/passwd")],
                [{"_path": "lib/evil", "path_type": "softlink"}])])
        self.conda_case(c, "symlink-relative-out", r"symlink|link", [
            pkg("symrel", [member("lib/evil", kind="symlink", link="../../../../../../etc")],
                [{"_path": "lib/evil", "path_type": "softlink"}])])
        self.conda_case(c, "file-through-symlink", r"symlink|link|unsafe", [
            pkg("through", [member("lib/d", kind="symlink", link="/tmp"), member("lib/d/owned.txt", owned)],
                [{"_path": "lib/d", "path_type": "softlink"}, hardlink_record("lib/d/owned.txt", owned)])])
        self.conda_case(c, "hardlink-member-to-etc", r"hardlink|link|unsafe", [
            pkg("hard", [member("lib/h", kind="hardlink", link="/etc/passwd")],
                [hardlink_record("lib/h", b"")])])
        self.conda_case(c, "fifo-member", r"fifo|unsafe|entry type", [
            pkg("fifo", [member("lib/f", kind="fifo")], [hardlink_record("lib/f", b"")])])
        binary = b"\x7fELF" + SHORT_PH.encode() + b"\0" * 8
        self.conda_case(c, "placeholder-overflows-binary", r"placeholder|longer", [
            pkg("overflow", [member("bin/prog", binary, mode=0o755)],
                [hardlink_record("bin/prog", binary, file_mode="binary", prefix_placeholder=SHORT_PH)])])
        text = b"prefix=" + b"\n"
        self.conda_case(c, "empty-placeholder", r"placeholder", [
            pkg("emptyph", [member("share/t.txt", text)],
                [hardlink_record("share/t.txt", text, file_mode="text", prefix_placeholder="")])])
        self.conda_case(c, "paths-json-size-lies", r"size|sha256", [
            pkg("sizelie", [member("share/big.txt", b"x" * 100000)],
                [hardlink_record("share/big.txt", b"x", sha256=sha256(b"x" * 100000))])])

        # .conda archives: truncated zip, truncated inner tar.zst, a bomb inside the inner tar.
        data = tiny.path.read_bytes()
        for frac in (0.3, 0.7, 0.95):
            cut = hand / "cut%d" / tiny.filename
            cut = Path(str(cut).replace("%d", str(int(frac * 100))))
            cut.parent.mkdir()
            short = data[: int(len(data) * frac)]
            cut.write_bytes(short)
            # The channel's record describes the cut file (a consistent, signed bundle): the zip
            # reader itself must refuse it.
            record = dict(bm.repodata_record(tiny.path), sha256=sha256(short), md5=hashlib.md5(short).hexdigest(),
                          size=len(short))
            self.conda_case(c, "conda-zip-truncated-%d%%" % (frac * 100),
                            r"extracting the conda package `tiny-1\.0-h0_0\.conda`\n.*(zip|truncated|damaged)",
                            [bm.CondaFile(cut, "linux-64", CHANNEL, record=record)])
        inner = self._conda_with_inner(tiny, hand / "innercut", lambda z: z[: len(z) // 2])
        self.conda_case(c, "conda-inner-tar-zst-truncated", r"tiny-1\.0-h0_0\.conda", [inner])
        bomb = self._conda_bomb(tiny, hand / "bomb", "pkg-", "share/tiny/data.txt")
        self.conda_case(c, "conda-payload-bomb-256MiB", r"`share/tiny/data\.txt`.*wrong size: info/paths\.json says 5 "
                        r"bytes, the package's entry holds 268435456; not extracted", [bomb])
        bomb = self._conda_bomb(tiny, hand / "infobomb", "info-", "info/paths.json")
        self.conda_case(c, "conda-paths-json-bomb-256MiB", r"`info/paths\.json`.*268435456 bytes, more than the "
                        r"67108864 allowed", [bomb])

        # Hostile names in repodata and the @EXPLICIT file (signed and consistent).
        def explicit(edit_line):
            def edit(manifest, payload):
                path = "airlock/conda.%s.txt" % self.conda_target.name
                e = next(x for x in payload if x.path == path)
                lines = e.data.decode().splitlines()
                lines = [edit_line(l) if l.startswith("http") else l for l in lines]
                set_file(manifest, payload, path, ("\n".join(lines) + "\n").encode())
            return edit

        for name, fn, expect in (
                ("explicit-subdir-dot-dot", lambda l: l.replace("/linux-64/", "/../"), r"subdir|\.\."),
                ("explicit-filename-dot-dot", lambda l: l.replace("tiny-1.0-h0_0.conda", "..%2f..%2fx.conda"),
                 r"file name|filename|not a conda package"),
                ("explicit-filename-escape", lambda l: l.replace("tiny-1.0", "ti\x1b[2Jny-1.0"),
                 r"\\x1b|file name|filename"),
                ("explicit-credentials", lambda l: l.replace("https://", "https://user:secret@"),
                 r"credential|user|password"),
                ("explicit-wrong-hash", lambda l: l.split("#")[0] + "#" + "0" * 64, r"sha256|hash"),
                ("explicit-not-in-bundle", lambda l: l.replace("tiny-1.0-h0_0", "other-1.0-h0_0"),
                 r"other-1\.0-h0_0\.conda")):
            self.conda_case(c, name, expect, [tiny], edit=explicit(fn))

        def repodata(edit_record):
            def edit(manifest, payload):
                path = "conda/linux-64/repodata.json"
                e = next(x for x in payload if x.path == path)
                doc = json.loads(e.data)
                for rec in doc["packages.conda"].values():
                    edit_record(rec)
                set_file(manifest, payload, path, json.dumps(doc).encode())
            return edit

        for name, fn, expect in (
                ("repodata-name-dot-dot", lambda r: r.update(name="../../evil"),
                 r"its name in repodata\.json is `\.\./\.\./evil`, the file name says `tiny`"),
                ("repodata-name-escape", lambda r: r.update(name="ti\x1b]0;x\x07ny"),
                 r"its name in repodata\.json is `ti\\x1b\]0;x\\x07ny`"),
                ("repodata-name-other-package", lambda r: r.update(name="openssl"),
                 r"its name in repodata\.json is `openssl`"),
                ("repodata-build-missing", lambda r: r.pop("build"), r"its build in repodata\.json is missing"),
                ("repodata-subdir-escape", lambda r: r.update(subdir="../../x"),
                 r"its subdir in repodata\.json is `\.\./\.\./x`, the file name says `linux-64`"),
                ("repodata-depends-hostile", lambda r: r.update(depends=["\x1b[2J >=1"]),
                 r"depends in repodata\.json hold `\\x1b\[2J >=1`, which is not a conda match spec"),
                ("repodata-depends-not-strings", lambda r: r.update(depends=[{"x": 1}]), r"`depends` holds"),
                ("repodata-md5-wrong", lambda r: r.update(md5="0" * 32), r"md5"),
                ("repodata-version-slash", lambda r: r.update(version="1.0/../../x"),
                 r"its version in repodata\.json is `1\.0/\.\./\.\./x`")):
            self.conda_case(c, name, expect, [tiny], edit=repodata(fn))

        def subdir_in_manifest(manifest, payload):
            manifest.conda_targets = {k: bm.CondaTarget(v.name, v.python, v.platform, "../../x", v.specs)
                                      for k, v in manifest.conda_targets.items()}

        self.conda_case(c, "manifest-conda-subdir-dot-dot", r"subdir", [tiny], edit=subdir_in_manifest,
                        verify_ok=False)

        def specs(manifest, payload):
            manifest.conda_targets = {k: bm.CondaTarget(v.name, v.python, v.platform, v.subdir, ("tiny\x1b[2J",))
                                      for k, v in manifest.conda_targets.items()}

        self.conda_case(c, "manifest-conda-spec-escape", r"spec|\\x1b", [tiny], edit=specs, verify_ok=False)

    def _conda_with_inner(self, src: bm.CondaFile, out_dir: Path, transform, member="pkg-") -> bm.CondaFile:
        """A copy of the .conda with its `member`*.tar.zst bytes transformed (zip rebuilt)."""
        out_dir.mkdir()
        out = out_dir / src.filename
        with zipfile.ZipFile(src.path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename.startswith(member):
                    data = transform(data)
                zout.writestr(info, data)
        return bm.CondaFile(out, src.subdir, src.channel_url)

    def _conda_bomb(self, src: bm.CondaFile, out_dir: Path, member: str, path: str) -> bm.CondaFile:
        """The .conda whose `member` tar holds `path` as 256 MiB of zeros, last."""
        def transform(z: bytes) -> bytes:
            plain = subprocess.run(["zstd", "-d", "-q", "-c"], input=z, capture_output=True, check=True).stdout
            with tarfile.open(fileobj=io.BytesIO(plain)) as tf:
                members = [(m, tf.extractfile(m).read() if m.isfile() else None) for m in tf.getmembers()]
            head = io.BytesIO()
            with tarfile.open(fileobj=head, mode="w", format=tarfile.PAX_FORMAT) as tf:
                for m, d in members:
                    if m.name != path:
                        tf.addfile(m, io.BytesIO(d) if d is not None else None)
            body = head.getvalue()
            with tarfile.open(fileobj=io.BytesIO(body)) as tf:
                end = max(m.offset_data + ((m.size + 511) // 512) * 512 for m in tf.getmembers())
            body = body[:end]  # without the end-of-archive blocks: the bomb goes last
            info = tarfile.TarInfo(path)
            info.size = 256 * MiB
            p = subprocess.Popen(["zstd", "-q", "-1", "-c"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            out = []

            import threading
            t = threading.Thread(target=lambda: out.append(p.stdout.read()))
            t.start()
            p.stdin.write(body + info.tobuf(tarfile.PAX_FORMAT))
            zero = bytes(MiB)
            for _ in range(256):
                p.stdin.write(zero)
            p.stdin.write(bytes(1024))
            p.stdin.close()
            t.join()
            p.wait()
            return out[0]

        return self._conda_with_inner(src, out_dir, transform, member)


# ------------------------------------------------------------------------------------- running
def snapshot(d: Path) -> Dict[str, Tuple[int, int]]:
    out = {}
    for p in d.rglob("*"):
        st = p.lstat()
        out[str(p.relative_to(d))] = (st.st_size, st.st_mode)
    return out


def run_case(case: Case, exe: Path, pub: Path, python: str, unshare: Optional[str]) -> Case:
    d = case.bundle.parent
    for sub in ("dest", "home", "tmp", "state"):
        (d / sub).mkdir(exist_ok=True)
    if case.setup:
        case.setup(d)
    before = snapshot(d)
    env = dict(os.environ)
    env.update(POISON)
    env.update(HOME=str(d / "home"), TMPDIR=str(d / "tmp"), AIRLOCK_STATE_DIR=str(d / "state"),
               XDG_STATE_HOME=str(d / "home" / "state"), XDG_CACHE_HOME=str(d / "home" / "cache"))
    for run in case.runs:
        args = [a.replace("BUNDLE", str(case.bundle)).replace("DEST", str(d / "dest")) if a not in ("PUB", "PY")
                else (str(pub) if a == "PUB" else python) for a in run.args]
        cmd = ([unshare, "-n"] if unshare else []) + [str(exe)] + args
        t0 = time.monotonic()
        try:
            r = subprocess.run(cmd, capture_output=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
            case.seconds = getattr(case, "seconds", 0.0) + time.monotonic() - t0
        except subprocess.TimeoutExpired:
            case.problems.append("%s: hung for 120 s" % args[0])
            continue
        err = r.stderr.decode("utf-8", "replace")
        what = " ".join(a if len(a) < 60 else "..." for a in args[:1])
        if r.returncode != run.code:
            case.problems.append("%s: exit %d, expected %d:\n%s" % (what, r.returncode, run.code, err[-1500:]))
        elif run.expect and not re.search(run.expect, err, re.S):
            case.problems.append("%s: message does not match /%s/:\n%s" % (what, run.expect, err[-1500:]))
        if CRASH.search(err):
            case.problems.append("%s: crash or sanitizer report:\n%s" % (what, err[-3000:]))
        for name, stream in (("stdout", r.stdout), ("stderr", r.stderr)):
            m = RAW_CONTROL.search(stream)
            if m:
                case.problems.append("%s: raw control byte %r on %s: %r" % (what, m.group(), name,
                                                                            stream[max(0, m.start() - 60):m.end() + 20]))
        case.last_error = err.strip().splitlines()[-1] if err.strip() else ""
        case.__dict__.setdefault("errors", []).append(err)
        if run.code == 0 and args[0] == "export":
            before = snapshot(d)  # the setup export of the rollback case
    after = snapshot(d)
    created = sorted(set(after) - set(before))
    changed = sorted(k for k in set(after) & set(before) if after[k] != before[k])
    removed = sorted(set(before) - set(after))
    for label, items in (("created", created), ("changed", changed), ("removed", removed)):
        if items:
            case.problems.append("%s in the case directory: %s" % (label, ", ".join(items[:8])))
    return case


class HostileCorpusTest(unittest.TestCase):
    def test_corpus(self):
        exe = programs.airlock_install()
        python = pythons.find_python("3.12")
        if python is None:
            self.fail("no CPython 3.12 (PATH or pyenv): the venv installs of the corpus need one")
        ok, why = unshare_available()
        if not ok:
            print("note: runs are not offline: %s" % why)
        unshare = shutil.which("unshare") if ok else None
        if not shutil.which("zstd"):
            self.fail("zstd is not installed: the compressed and bomb cases need it (packaging/setup.sh)")
        tmp_root = Path(tempfile.gettempdir())
        airlock_before = {p.name for p in tmp_root.iterdir() if p.name.startswith(".airlock")}
        with programs.TempDir("airlock-corpus-") as root:
            start = time.monotonic()
            corpus = Corpus(root, str(python))
            for make in (corpus.tampered, corpus.truncated, corpus.duplicates, corpus.escapes,
                         corpus.links_and_devices, corpus.bombs, corpus.rollback, corpus.signed_strings,
                         corpus.conda_cases):
                t0 = time.monotonic()
                make()
                if os.environ.get("AIRLOCK_CORPUS_VERBOSE"):
                    sys.stderr.write("  made %-20s %.2f s\n" % (make.__name__, time.monotonic() - t0))
            made = time.monotonic() - start
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                done = list(pool.map(lambda c: run_case(c, exe, corpus.pub, str(python), unshare), corpus.cases))
            ran = time.monotonic() - start - made
            per_class: Dict[str, int] = {}
            runs = 0
            for case in done:
                per_class[case.cls] = per_class.get(case.cls, 0) + 1
                runs += len(case.runs)
                REPORT.scenario("%s/%s" % (case.cls, case.name), REFUSED, ok=not case.problems,
                                detail="; ".join(p.splitlines()[0] for p in case.problems))
                if os.environ.get("AIRLOCK_CORPUS_VERBOSE"):
                    sys.stderr.write("  %-60s %s\n" % (case.cls + "/" + case.name, getattr(case, "last_error", "")[:150]))
            if os.environ.get("AIRLOCK_CORPUS_VERBOSE"):
                for c in sorted(done, key=lambda c: -getattr(c, "seconds", 0))[:8]:
                    sys.stderr.write("  slow: %-50s %.2f s\n" % (c.cls + "/" + c.name, getattr(c, "seconds", 0)))
            airlock_after = {p.name for p in tmp_root.iterdir() if p.name.startswith(".airlock")}
            figures = ", ".join("%s %d" % kv for kv in per_class.items())
            line = ("hostile corpus: %d bundles, %d runs (%s); generated in %.1f s, run in %.1f s"
                    % (len(done), runs, figures, made, ran))
            print("\n" + line, flush=True)
            REPORT.note(line)
            bad = [c for c in done if c.problems]
            for c in bad:
                sys.stderr.write("\nFAILED %s/%s:\n  %s\n" % (c.cls, c.name, "\n  ".join(c.problems)))
            self.assertEqual(sorted(airlock_after - airlock_before), [], "temporaries left in %s" % tmp_root)
            self.assertEqual(["%s/%s" % (c.cls, c.name) for c in bad], [])


if __name__ == "__main__":
    main(REPORT)
