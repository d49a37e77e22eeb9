"""The offline conda prefix installer (`airlock-install conda-prefix`, the last step of a conda
bundle install) on real packages made with conda-package-handling: a `python` package made from a
CPython 3.12 on this machine (its interpreter, a stripped libpython, the stdlib modules it needs to
start, import and byte-compile, and its _sysconfigdata with the prefix placeholder), a package with
a compiled C program and a shell script carrying the placeholder `/opt/anaconda1anaconda2anaconda3`,
and a `noarch: python` package with an entry point and a python-scripts/ script. Each is built in
both formats; installed inside `unshare -n` when allowed. The programs print the real prefix, the
noarch package imports and its entry point runs, and conda-meta/ agrees with the disk. Tampered
packages (a flipped byte inside a .conda's inner tar, a path or symlink escaping the prefix, a file
that does not match info/paths.json) and a prefix too long for a binary placeholder are refused
with nothing left behind."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
from pathlib import Path

from airlock_testing import conda, programs, pythons

sys.path.insert(0, str(Path(__file__).resolve().parent))
from install_support import leftovers, require_unshare  # noqa: E402

PH = conda.PLACEHOLDER

HELLO_C = r"""
#include <stdio.h>
static const char prefix[] = "%s";
int main(void) { puts(prefix); return 0; }
""" % PH

PROBE = r"""
import json, sys, sysconfig, py_compile, re, runpy, importlib.util, encodings.utf_8, math
sysconfig.get_config_vars()
files = sorted({m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)})
print(json.dumps({"prefix": sys.prefix, "version": "%d.%d.%d" % sys.version_info[:3], "files": files,
                  "libdir": sysconfig.get_config_var("LIBDIR"), "ldlibrary": sysconfig.get_config_var("LDLIBRARY"),
                  "shared": sysconfig.get_config_var("Py_ENABLE_SHARED")}))
"""


def python_package(exe: Path, work: Path) -> conda.Package:
    """A conda `python` package made from the CPython at `exe`."""
    r = subprocess.run([str(exe), "-I", "-c", PROBE], capture_output=True, text=True, check=True)
    info = json.loads(r.stdout)
    prefix = info["prefix"]
    short = ".".join(info["version"].split(".")[:2])
    files = []
    real = Path(exe).resolve()
    data = real.read_bytes()
    # An interpreter linked to libpython finds it through a RUNPATH under its build prefix: that
    # string is the binary placeholder of bin/pythonX.Y, as in real conda packages.
    binary = ("binary", data, prefix) if prefix.encode() in data else data
    files.append(("bin/python" + short, binary))
    files.append(("bin/python3", ("link", "python" + short)))
    files.append(("bin/python", ("link", "python" + short)))
    if info["shared"]:
        lib = Path(info["libdir"]) / info["ldlibrary"]
        soname = lib.name + ".1.0" if (lib.parent / (lib.name + ".1.0")).exists() else lib.name
        stripped = work / soname
        shutil.copyfile(lib.parent / soname, stripped)
        subprocess.run(["strip", "--strip-unneeded", str(stripped)], check=True)
        files.append(("lib/" + soname, stripped.read_bytes()))
    stdlib = Path(prefix) / "lib" / ("python" + short)
    for f in info["files"]:
        p = Path(f)
        if not p.is_relative_to(stdlib) or "site-packages" in p.parts:
            continue
        rel = "lib/python%s/%s" % (short, p.relative_to(stdlib).as_posix())
        content = p.read_bytes()
        if p.name.startswith("_sysconfigdata") and prefix.encode() in content:
            files.append((rel, ("text", content.replace(prefix.encode(), PH.encode()))))
        else:
            files.append((rel, content))
    return conda.Package("python", info["version"], "h0_airlock", "linux-64", formats=(".conda",), files=files)


def hello_package() -> conda.Package:
    return conda.Package("hello", "1.0", "h0_0", "linux-64", formats=(".tar.bz2", ".conda"),
                         depends=["python"], files=[])  # files filled in setUpClass (compiled)


def greet_package() -> conda.Package:
    init = b"import sys\n\ndef main():\n    print('greet from', sys.prefix)\n    return 0\n"
    script = ("text", "#!%s/bin/python\nimport greet\ngreet.main()\n" % PH)
    return conda.Package("greet", "1.0", "pyh0_0", "noarch", noarch="python", formats=(".tar.bz2", ".conda"),
                         depends=["python >=3"], entry_points=["greet = greet:main"],
                         files=[("site-packages/greet/__init__.py", init), ("python-scripts/greet-script", script)])


def run_installer(args):
    cmd = ["unshare", "-n", str(programs.airlock_install()), "conda-prefix"] + [str(a) for a in args]
    return programs.run(cmd, timeout=300)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()



def compile_hello(work: Path) -> Path:
    """Compiles HELLO_C (it prints the placeholder-carrying prefix) to work/hello-bin."""
    src = work / "hello.c"
    src.write_text(HELLO_C)
    subprocess.run(["cc", "-O2", "-o", str(work / "hello-bin"), str(src)], check=True)
    return work / "hello-bin"

class CondaPrefixTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = programs.TempDir("airlock-conda-prefix-")
        # Short: the python interpreter's RUNPATH placeholder is its build prefix.
        cls.root = Path(tempfile.mkdtemp(prefix="acp", dir="/tmp"))
        require_unshare()
        work = cls.tmp.path
        exe = pythons.find_python("3.12")
        if exe is None:
            raise unittest.SkipTest("no CPython 3.12 on PATH or in pyenv to make the python package from")
        hello = hello_package()
        hello.files = [
            ("bin/hello-bin", ("binary", compile_hello(work).read_bytes())),
            ("bin/hello-sh", ("text", "#!/bin/sh\necho '%s'\n" % PH)),
            ("bin/hello-py", ("text", "#!%s/bin/python3.12\nimport sys\nprint(sys.prefix)\n" % PH)),
            ("share/hello/data.txt", b"plain data\n"),
            ("share/hello/link.txt", ("link", "data.txt")),
        ]
        cls.python = python_package(exe, work)
        cls.channel = work / "channel"
        jobs = [(p, fmt, cls.channel) for p in (cls.python, hello, greet_package()) for fmt in p.formats]
        build = work / "build"
        build.mkdir()
        conda.build_packages(jobs, build)
        cls.pkg = {(p.name, fmt): cls.channel / (p.stem + fmt) for p, fmt, _ in jobs}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        shutil.rmtree(cls.root, ignore_errors=True)

    def install(self, prefix: Path, files):
        return run_installer(["--prefix", prefix, "--channel", "conda-forge", "--spec", "greet"] + list(files))

    def assert_nothing_left(self, prefix: Path):
        self.assertFalse(os.path.lexists(prefix), "the refused install left %s" % prefix)
        self.assertEqual(leftovers(prefix.parent), [])

    def check_conda_meta(self, prefix: Path, names):
        meta = prefix / "conda-meta"
        self.assertTrue((meta / "history").is_file())
        history = (meta / "history").read_text()
        records = sorted(meta.glob("*.json"))
        self.assertEqual(sorted(json.loads(r.read_text())["name"] for r in records), sorted(names))
        for r in records:
            rec = json.loads(r.read_text())
            for key in ("name", "version", "build", "build_number", "channel", "subdir", "fn", "url", "files",
                        "paths_data", "link", "requested_spec", "sha256", "size", "depends"):
                self.assertIn(key, rec, "%s lacks %s" % (r.name, key))
            self.assertEqual(r.name, "%s-%s-%s.json" % (rec["name"], rec["version"], rec["build"]))
            self.assertEqual(rec["paths_data"]["paths_version"], 1)
            paths = rec["paths_data"]["paths"]
            self.assertEqual(rec["files"], sorted(p["_path"] for p in paths))
            self.assertEqual(set(rec["link"]), {"source", "type"})
            self.assertIn("+conda-forge/%s::%s-%s-%s" % (rec["subdir"], rec["name"], rec["version"], rec["build"]),
                          history)
            for p in paths:
                on_disk = prefix / p["_path"]
                self.assertTrue(os.path.lexists(on_disk), "%s lists %s, which is not installed" % (r.name, p["_path"]))
                if p["path_type"] in ("hardlink", "unix_python_entry_point"):
                    self.assertFalse(on_disk.is_symlink())
                    self.assertEqual(sha256(on_disk), p.get("sha256_in_prefix", p.get("sha256")), p["_path"])
                    self.assertEqual(on_disk.stat().st_size, p["size_in_bytes"], p["_path"])
                elif p["path_type"] == "softlink":
                    self.assertTrue(on_disk.is_symlink(), p["_path"])
        self.assertIn("# update specs: ['greet']", history)

    def check_environment(self, prefix: Path):
        p = str(prefix)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.tmp.path)}

        def out(*cmd):
            r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, timeout=60)
            self.assertEqual(r.returncode, 0, "%s failed:\n%s%s" % (cmd, r.stdout, r.stderr))
            return r.stdout

        self.assertEqual(out(prefix / "bin/hello-bin"), p + "\n")
        self.assertEqual(os.path.getsize(prefix / "bin/hello-bin"), os.path.getsize(self.tmp.path / "hello-bin"))
        self.assertEqual(out(prefix / "bin/hello-sh"), p + "\n")
        self.assertEqual(out(prefix / "bin/hello-py"), p + "\n")
        self.assertTrue(os.access(prefix / "bin/hello-sh", os.X_OK))
        self.assertFalse(os.access(prefix / "share/hello/data.txt", os.X_OK))
        self.assertEqual((prefix / "share/hello/link.txt").read_text(), "plain data\n")
        probe = ("import sys, sysconfig, greet; print(sys.prefix); print(greet.__file__); "
                 "print(sysconfig.get_config_var('prefix'))")
        lines = out(prefix / "bin/python3.12", "-c", probe).splitlines()
        site = "%s/lib/python3.12/site-packages" % p
        self.assertEqual(lines, [p, site + "/greet/__init__.py", p])
        self.assertTrue((prefix / "lib/python3.12/site-packages/greet/__pycache__/__init__.cpython-312.pyc").is_file())
        self.assertEqual(out(prefix / "bin/greet"), "greet from %s\n" % p)
        self.assertEqual(out(prefix / "bin/greet-script"), "greet from %s\n" % p)
        if self.python.files[0][1][0] == "binary":  # linked to libpython: the one in the prefix
            maps = out(prefix / "bin/python3.12", "-c", "print(open('/proc/self/maps').read())")
            self.assertIn(p + "/lib/libpython3.12", maps)

    def test_install_both_formats(self):
        names = ["python", "hello", "greet"]
        for i, (hello_fmt, greet_fmt) in enumerate(((".tar.bz2", ".conda"), (".conda", ".tar.bz2"))):
            with self.subTest(hello=hello_fmt, greet=greet_fmt):
                prefix = self.root / ("env%d" % i)
                files = [self.pkg[("python", ".conda")], self.pkg[("hello", hello_fmt)], self.pkg[("greet", greet_fmt)]]
                code, o, e = self.install(prefix, files)
                self.assertEqual(code, 0, o + e)
                self.assertIn("installed 3 conda packages", o)
                self.check_environment(prefix)
                self.check_conda_meta(prefix, names)
                self.assertEqual(leftovers(self.root), [])

    def test_existing_prefix_refused(self):
        prefix = self.root / "taken"
        prefix.mkdir()
        (prefix / "x").write_text("mine")
        code, o, e = self.install(prefix, [self.pkg[("hello", ".tar.bz2")]])
        self.assertEqual(code, 1, o + e)
        self.assertIn("exists and is not an empty directory", e)
        self.assertEqual((prefix / "x").read_text(), "mine")

    def test_prefix_too_long_for_binary_placeholder(self):
        prefix = self.root / ("p" * 40)
        code, o, e = self.install(prefix, [self.pkg[("hello", ".conda")]])
        self.assertEqual(code, 1, o + e)
        self.assertIn("is longer than the placeholder compiled into `bin/hello-bin`", e)
        self.assert_nothing_left(prefix)

    # ------------------------------------------------------------------ tampered packages

    def refused(self, package: Path, expect: str):
        prefix = self.root / "tampered"
        code, o, e = self.install(prefix, [self.pkg[("python", ".conda")], package])
        self.assertEqual(code, 1, o + e)
        self.assertIn(expect, e)
        self.assert_nothing_left(prefix)

    def test_flipped_byte_in_conda_inner_tar(self):
        bad = conda.flip_byte_in_inner_tar(self.pkg[("hello", ".conda")], self.tmp.path / "flip")
        self.refused(bad, "hello-1.0-h0_0.conda")

    def handmade(self, name: str, members, paths):
        """A .tar.bz2 written with tarfile: `members` (TarInfo, bytes|None) in order, paths.json `paths`."""
        stem = "%s-1.0-0" % name
        out = self.tmp.path / "handmade" / (stem + ".tar.bz2")
        out.parent.mkdir(exist_ok=True)
        index = json.dumps({"name": name, "version": "1.0", "build": "0", "build_number": 0, "subdir": "linux-64",
                            "depends": []}).encode()
        pj = json.dumps({"paths": paths, "paths_version": 1}).encode()
        with tarfile.open(out, "w:bz2") as t:
            for info, data in members:
                t.addfile(info, io.BytesIO(data) if data is not None else None)
            for n, d in (("info/index.json", index), ("info/paths.json", pj)):
                i = tarfile.TarInfo(n)
                i.size = len(d)
                t.addfile(i, io.BytesIO(d))
        return out

    def test_path_escaping_prefix(self):
        data = b"owned\n"
        i = tarfile.TarInfo("lib/../../escape.txt")
        i.size = len(data)
        pkg = self.handmade("escape", [(i, data)], [{"_path": "lib/../../escape.txt", "path_type": "hardlink"}])
        self.refused(pkg, "unsafe path `lib/../../escape.txt`")
        self.assertFalse((self.root / "escape.txt").exists())

    def test_symlink_escaping_prefix(self):
        i = tarfile.TarInfo("lib/evil")
        i.type = tarfile.SYMTYPE
        i.linkname = "../../../../etc/passwd"
        pkg = self.handmade("evil", [(i, None)], [{"_path": "lib/evil", "path_type": "softlink"}])
        self.refused(pkg, "the symlink points outside the package")

    def test_paths_json_hash_mismatch(self):
        data = b"#!/bin/sh\necho changed\n"
        i = tarfile.TarInfo("bin/tool")
        i.size = len(data)
        i.mode = 0o755
        pkg = self.handmade("mismatch", [(i, data)], [{"_path": "bin/tool", "path_type": "hardlink",
                                                       "sha256": hashlib.sha256(b"original").hexdigest(),
                                                       "size_in_bytes": len(data)}])
        self.refused(pkg, "`bin/tool`: wrong sha256: info/paths.json says")


if __name__ == "__main__":
    unittest.main()
