"""`airlock-install install BUNDLE --prefix DIR`: a format-2 bundle's conda part installed as a
conda environment with no conda and no network (inside `unshare -n` when allowed), then the pip
part of a mixed target with the new environment's own Python.

The packages are real, made with conda-package-handling: a `python` package made from a CPython 3.12
of this machine (its interpreter, libpython, the standard library and _sysconfigdata with the
prefix placeholder), a noarch `pip` package made from that CPython's pip, a package with a compiled
C program and a shell script both carrying the placeholder, and a `noarch: python` package with an
entry point. The bundle (tests/install/bundlemaker.py, the contract of bundle format 2) has a
linux-64 target (conda + pip) and a win-64 target.

Checked: the programs print the real prefix, the noarch package imports and its entry point runs,
the conda Python runs and pip installed the bundle's wheels with it, conda-meta/*.json has every
key conda documents and agrees with the disk; the win-64 target is refused on this host; tampered
conda payloads inside a validly signed bundle (a flipped byte inside a .conda's inner tar, a path
escaping the prefix, a paths.json hash mismatch), a package needing a newer glibc and a pip part that
fails (no pip in the environment) are refused
with nothing left; `--use` with a tool that is not on PATH is a clear error. This machine has none
of conda, mamba or micromamba, so `--use` is tested only for its error (say so when one appears).
`export` writes the conda part as a channel (`conda/<subdir>/repodata.json` and `.json.zst`) that
agrees with the package files."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import unittest
from pathlib import Path

from airlock_testing import conda, programs
from airlock_testing.conda_install_case import CondaInstallCase

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundlemaker as bm  # noqa: E402
from install_support import installer_env, leftovers, small_wheels  # noqa: E402
from test_conda_prefix import PH, compile_hello, greet_package, hello_package  # noqa: E402

CHANNEL = "https://conda.example.org/conda-forge"

SKIP_STDLIB = {"site-packages", "test", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "__pycache__",
               "unittest/test", "ctypes/test", "distutils/tests"}


def full_python_package(exe: Path, work: Path) -> conda.Package:
    """A conda `python` package from the CPython at `exe`: interpreter, libpython and the whole
    standard library (enough for pip), _sysconfigdata carrying the placeholder."""
    probe = ("import json, sys, sysconfig; print(json.dumps({'prefix': sys.prefix, 'version': '%d.%d.%d' % "
             "sys.version_info[:3], 'libdir': sysconfig.get_config_var('LIBDIR'), "
             "'ldlibrary': sysconfig.get_config_var('LDLIBRARY'), 'shared': sysconfig.get_config_var('Py_ENABLE_SHARED')}))")
    info = json.loads(subprocess.run([str(exe), "-I", "-c", probe], capture_output=True, text=True, check=True).stdout)
    prefix = info["prefix"]
    short = ".".join(info["version"].split(".")[:2])
    data = Path(exe).resolve().read_bytes()
    files = [("bin/python" + short, ("binary", data, prefix) if prefix.encode() in data else data),
             ("bin/python3", ("link", "python" + short)), ("bin/python", ("link", "python" + short))]
    if info["shared"]:
        lib = Path(info["libdir"]) / info["ldlibrary"]
        soname = lib.name + ".1.0" if (lib.parent / (lib.name + ".1.0")).exists() else lib.name
        stripped = work / soname
        shutil.copyfile(lib.parent / soname, stripped)
        subprocess.run(["strip", "--strip-unneeded", str(stripped)], check=True)
        files.append(("lib/" + soname, stripped.read_bytes()))
    stdlib = Path(prefix) / "lib" / ("python" + short)
    for root, dirs, names in os.walk(stdlib):
        rel_root = Path(root).relative_to(stdlib).as_posix()
        dirs[:] = sorted(d for d in dirs if d not in SKIP_STDLIB and (rel_root + "/" + d).lstrip("./") not in SKIP_STDLIB
                         and not d.startswith("config-"))
        for n in sorted(names):
            p = Path(root) / n
            if p.is_symlink() or not p.is_file():
                continue
            rel = "lib/python%s/%s" % (short, p.relative_to(stdlib).as_posix())
            content = p.read_bytes()
            if n.startswith("_sysconfigdata") and prefix.encode() in content:
                files.append((rel, ("text", content.replace(prefix.encode(), PH.encode()))))
            else:
                files.append((rel, content))
    return conda.Package("python", info["version"], "h0_airlock", "linux-64", formats=(".conda",), files=files)


def pip_package(exe: Path) -> conda.Package:
    """A noarch `pip` package from the pip installed for `exe`."""
    r = subprocess.run([str(exe), "-I", "-c", "import pip, os; print(os.path.dirname(pip.__file__)); print(pip.__version__)"],
                       capture_output=True, text=True, check=True)
    pip_dir, version = r.stdout.split()
    pip_dir = Path(pip_dir)
    files = []
    for root, dirs, names in os.walk(pip_dir):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for n in sorted(names):
            p = Path(root) / n
            if p.is_file() and not p.is_symlink():
                files.append(("site-packages/pip/" + p.relative_to(pip_dir).as_posix(), p.read_bytes()))
    return conda.Package("pip", version, "pyh0_0", "noarch", noarch="python", formats=(".conda",),
                         depends=["python >=3.7"], files=files)


def win_package() -> conda.Package:
    return conda.Package("winonly", "1.0", "h0_0", "win-64", formats=(".conda",),
                         files=[("Library/bin/winonly.txt", b"windows\n")])


def handmade(out_dir: Path, name: str, members, paths, depends=()) -> Path:
    """A .tar.bz2 written with tarfile: `members` (TarInfo, bytes|None), paths.json `paths`."""
    out = out_dir / ("%s-1.0-0.tar.bz2" % name)
    out_dir.mkdir(parents=True, exist_ok=True)
    index = json.dumps({"name": name, "version": "1.0", "build": "0", "build_number": 0, "subdir": "linux-64",
                        "depends": list(depends)}).encode()
    pj = json.dumps({"paths": paths, "paths_version": 1}).encode()
    with tarfile.open(out, "w:bz2") as t:
        for info, data in members:
            t.addfile(info, io.BytesIO(data) if data is not None else None)
        for n, d in (("info/index.json", index), ("info/paths.json", pj)):
            i = tarfile.TarInfo(n)
            i.size = len(d)
            t.addfile(i, io.BytesIO(d))
    return out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


LINUX = bm.CondaTarget("linux-py312", "3.12", "manylinux_2_17_x86_64", "linux-64", specs=("hello", "greet", "pip"))
WIN = bm.CondaTarget("win-py312", "3.12", "win_amd64", "win-64", specs=("winonly",))


class CondaBundleTest(CondaInstallCase):
    TEMP_PREFIX = "airlock-conda-bundle-"
    ROOT_PREFIX = "acb"

    @classmethod
    def conda_packages(cls, work: Path, python_exe: Path):
        cls.hello_bin = compile_hello(work)
        hello = hello_package()
        hello.files = [
            ("bin/hello-bin", ("binary", cls.hello_bin.read_bytes())),
            ("bin/hello-sh", ("text", "#!/bin/sh\necho '%s'\n" % PH)),
            ("share/hello/data.txt", b"plain data\n"),
        ]
        pkgs = [full_python_package(python_exe, work), pip_package(python_exe), hello, greet_package(), win_package()]
        return [(p, p.formats[-1] if p.name != "hello" else ".conda") for p in pkgs]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        work = cls.tmp.path
        cls.files = {p.name: bm.CondaFile(cls.built[p.stem], p.subdir, CHANNEL) for p in cls.packages}
        cls.wheels = small_wheels(work / "wheels")
        cls.pub, cls.sec = bm.keypair(work)
        cls.linux_files = [cls.files[n] for n in ("python", "pip", "hello", "greet")]
        cls.bundle = bm.make_conda_bundle(
            work / "condalab.airlock",
            {LINUX: (cls.linux_files, [cls.wheels["alpha"], cls.wheels["beta"]]),
             WIN: ([cls.files["winonly"], cls.files["greet"]], [])},
            secret_key=cls.sec)

    def assert_nothing_left(self, prefix: Path):
        self.assertFalse(os.path.lexists(prefix), "the refused install left %s" % prefix)
        self.assertEqual(leftovers(prefix.parent), [])

    def out(self, *cmd):
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.tmp.path)}
        r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(r.returncode, 0, "%s failed:\n%s%s" % (cmd, r.stdout, r.stderr))
        return r.stdout

    def check_conda_meta(self, prefix: Path, names):
        meta = prefix / "conda-meta"
        history = (meta / "history").read_text()
        records = sorted(meta.glob("*.json"))
        self.assertEqual(sorted(json.loads(r.read_text())["name"] for r in records), sorted(names))
        for r in records:
            rec = json.loads(r.read_text())
            # conda's PrefixRecord: PackageRecord keys + fn, url, channel, files, paths_data, link,
            # requested_spec (conda/models/records.py).
            for key in ("name", "version", "build", "build_number", "channel", "subdir", "fn", "url", "files",
                        "paths_data", "link", "requested_spec", "sha256", "md5", "size", "depends"):
                self.assertIn(key, rec, "%s lacks %s" % (r.name, key))
            self.assertEqual(r.name, "%s-%s-%s.json" % (rec["name"], rec["version"], rec["build"]))
            self.assertEqual(rec["channel"], CHANNEL)
            self.assertEqual(rec["url"], "%s/%s/%s" % (CHANNEL, rec["subdir"], rec["fn"]))
            pkg = self.files[rec["name"]]
            self.assertEqual(rec["sha256"], sha256(pkg.path))
            self.assertEqual(rec["md5"], hashlib.md5(pkg.path.read_bytes()).hexdigest())
            self.assertEqual(rec["size"], pkg.path.stat().st_size)
            self.assertEqual(rec["paths_data"]["paths_version"], 1)
            paths = rec["paths_data"]["paths"]
            self.assertEqual(rec["files"], sorted(p["_path"] for p in paths))
            for p in paths:
                on_disk = prefix / p["_path"]
                self.assertTrue(os.path.lexists(on_disk), "%s lists %s, which is not installed" % (r.name, p["_path"]))
                if p["path_type"] in ("hardlink", "unix_python_entry_point"):
                    self.assertEqual(sha256(on_disk), p.get("sha256_in_prefix", p.get("sha256")), p["_path"])
                    self.assertEqual(on_disk.stat().st_size, p["size_in_bytes"], p["_path"])
            self.assertIn("+conda-forge/%s::%s-%s-%s" % (rec["subdir"], rec["name"], rec["version"], rec["build"]),
                          history)
        self.assertEqual(json.loads((meta / "hello-1.0-h0_0.json").read_text())["requested_spec"], "hello")
        self.assertIn("# update specs: ['hello', 'greet', 'pip']", history)

    def test_install_mixed_target(self):
        prefix = self.root / "env"
        code, o, e = self.run_install(self.bundle, prefix)  # the linux-64 target is chosen
        self.assertEqual(code, 0, o + e)
        self.assertIn("target linux-py312", o)
        self.assertIn("installed 4 conda packages", o)
        p = str(prefix)
        self.assertEqual(self.out(prefix / "bin/hello-bin"), p + "\n")
        self.assertEqual(os.path.getsize(prefix / "bin/hello-bin"), os.path.getsize(self.hello_bin))
        self.assertEqual(self.out(prefix / "bin/hello-sh"), p + "\n")
        self.assertEqual(self.out(prefix / "bin/greet"), "greet from %s\n" % p)
        lines = self.out(prefix / "bin/python", "-c", "import sys, greet, alpha, beta; print(sys.prefix); "
                                                       "print(greet.__file__); print(alpha.__file__)").splitlines()
        site = p + "/lib/python3.12/site-packages"
        self.assertEqual(lines, [p, site + "/greet/__init__.py", site + "/alpha/__init__.py"])
        self.assertIn("alpha", self.out(prefix / "bin/python", "-m", "pip", "list", "--disable-pip-version-check"))
        self.check_conda_meta(prefix, ["python", "pip", "hello", "greet"])
        self.assertEqual(leftovers(self.root), [])

    def test_win_target_refused(self):
        prefix = self.root / "win"
        code, o, e = self.run_install(self.bundle, prefix, "--target", "win-py312")
        self.assertEqual(code, 1, o + e)
        self.assertIn("the target `win-py312` cannot be installed here: its conda packages are for win-64 "
                      "(Windows x86_64), this host is Linux", e)
        self.assert_nothing_left(prefix)

    def test_use_tool_not_on_path(self):
        for tool in ("conda", "mamba", "micromamba"):
            if shutil.which(tool):
                print("note: %s is on PATH here; this test checks only the error for an absent tool" % tool)
        prefix = self.root / "use"
        code, o, e = self.run_install(self.bundle, prefix, "--use", "micromamba", path_env="/nonexistent")
        self.assertEqual(code, 1, o + e)
        self.assertIn("--use micromamba: `micromamba` was not found on PATH", e)
        self.assert_nothing_left(prefix)

    def test_export_conda_channel(self):
        to = self.root / "export"
        code, o, e = programs.run([programs.airlock_install(), "export", self.bundle, "--key", self.pub, "--to", to],
                                  env=installer_env(self.tmp.path / "state-export"))
        self.assertEqual(code, 0, o + e)
        self.assertIn("and 5 conda packages as the channel", o)
        served = {}
        for subdir in ("linux-64", "win-64", "noarch"):
            repodata = to / "conda" / subdir / "repodata.json"
            raw = repodata.read_bytes()
            unz = subprocess.run(["zstd", "-d", "-q", "-c", str(repodata) + ".zst"], capture_output=True, check=True)
            self.assertEqual(unz.stdout, raw, "repodata.json.zst of %s is not repodata.json" % subdir)
            doc = json.loads(raw)
            records = dict(doc.get("packages", {}), **doc.get("packages.conda", {}))
            for fn, rec in records.items():
                f = to / "conda" / subdir / fn
                data = f.read_bytes()
                self.assertEqual(rec["sha256"], hashlib.sha256(data).hexdigest(), fn)
                self.assertEqual(rec["md5"], hashlib.md5(data).hexdigest(), fn)
                self.assertEqual(rec["size"], len(data), fn)
                served[fn] = subdir
            on_disk = sorted(p.name for p in (to / "conda" / subdir).iterdir()
                             if p.name.endswith((".conda", ".tar.bz2")))
            self.assertEqual(on_disk, sorted(records), subdir)
        self.assertEqual(sorted(served), sorted(f.filename for f in self.files.values()))
        readme = (to / "README.txt").read_text()
        self.assertIn("channels:\n      - http://HOST/airlock/condalab/conda\n    default_channels: []", readme)
        self.assertTrue((to / "simple" / "alpha" / "index.html").is_file())
        # Served by a web server as-is: the channel's index arrives compressed and whole.
        from airlock_testing import nginx
        import urllib.request
        with nginx.Nginx(to, json_dirs=()) as server:
            with urllib.request.urlopen(server.url + "/conda/linux-64/repodata.json.zst", timeout=30) as r:
                body = r.read()
        self.assertEqual(body, (to / "conda/linux-64/repodata.json.zst").read_bytes())

    # ------------------------------------------------ refused: nothing may be left behind

    def refused(self, package: Path, expect: str, name: str):
        target = bm.CondaTarget("linux-py312", "3.12", "manylinux_2_17_x86_64", "linux-64", specs=(name,))
        bundle = bm.make_conda_bundle(self.tmp.path / ("bad-%s.airlock" % name),
                                      {target: ([self.files["python"], bm.CondaFile(package, "linux-64", CHANNEL)], [])},
                                      secret_key=self.sec)
        prefix = self.root / ("bad-" + name)
        code, o, e = self.run_install(bundle, prefix)
        self.assertEqual(code, 1, o + e)
        self.assertIn(expect, e)
        self.assert_nothing_left(prefix)
        return e

    def test_failing_pip_part_removes_the_environment(self):
        # The environment has no pip: the pip part fails after the conda part succeeded.
        bundle = bm.make_conda_bundle(self.tmp.path / "nopip.airlock",
                                      {LINUX: ([self.files["python"], self.files["greet"]], [self.wheels["gamma"]])},
                                      secret_key=self.sec)
        prefix = self.root / "nopip"
        code, o, e = self.run_install(bundle, prefix)
        self.assertEqual(code, 1, o + e)
        self.assertIn("pip failed", e)
        self.assertIn("the conda environment created for this install was removed", e)
        self.assert_nothing_left(prefix)

    def test_flipped_byte_in_conda_inner_tar(self):
        bad = conda.flip_byte_in_inner_tar(self.files["hello"].path, self.tmp.path / "flip")
        self.refused(bad, "hello-1.0-h0_0.conda", "hello")

    def test_path_escaping_prefix(self):
        data = b"owned\n"
        i = tarfile.TarInfo("lib/../../escape.txt")
        i.size = len(data)
        pkg = handmade(self.tmp.path / "escape", "escape", [(i, data)],
                       [{"_path": "lib/../../escape.txt", "path_type": "hardlink"}])
        self.refused(pkg, "unsafe path `lib/../../escape.txt`", "escape")
        self.assertFalse((self.root / "escape.txt").exists())

    def test_paths_json_hash_mismatch(self):
        data = b"#!/bin/sh\necho changed\n"
        i = tarfile.TarInfo("bin/tool")
        i.size = len(data)
        i.mode = 0o755
        pkg = handmade(self.tmp.path / "mismatch", "mismatch", [(i, data)],
                       [{"_path": "bin/tool", "path_type": "hardlink", "sha256": hashlib.sha256(b"original").hexdigest(),
                         "size_in_bytes": len(data)}])
        self.refused(pkg, "`bin/tool`: wrong sha256: info/paths.json says", "mismatch")

    def test_glibc_too_new(self):
        data = b"x\n"
        i = tarfile.TarInfo("share/new.txt")
        i.size = len(data)
        pkg = handmade(self.tmp.path / "glibc", "newglibc", [(i, data)],
                       [{"_path": "share/new.txt", "path_type": "hardlink", "sha256": hashlib.sha256(data).hexdigest(),
                         "size_in_bytes": len(data)}], depends=["__glibc >=99.0"])
        self.refused(pkg, "newglibc-1.0-0.tar.bz2 needs __glibc >=99.0, this host has glibc", "newglibc")


if __name__ == "__main__":
    unittest.main()
