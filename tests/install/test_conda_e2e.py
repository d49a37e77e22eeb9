"""End to end with the real builder: the torch-like fixture channels (real cph-built packages,
served by nginx) locked and bundled by `airlock-build` for linux-64 and win-64 targets, then
installed with `airlock-install install --prefix` inside `unshare -n` (no network). The linux-64
CPU target is chosen on this host (no NVIDIA driver); every package of the lock is in conda-meta
with the channel URL it came from; the fixture's python (a script carrying the placeholder) runs
from the prefix and prints the real prefix, libtorch's binary placeholder is rewritten to it, the
noarch: python packages land in lib/python3.12/site-packages; the CUDA target installs with a
warning; the win-64 target is refused on this host, with nothing left. `export` of the same bundle
gives a channel whose repodata.json (and .zst) agree with the package files.

A mixed manifest ([conda] + [python]) over a channel holding a real CPython 3.12 made into a conda
`python` package (with pip as a noarch package) and an index with two wheels: the builder bundles
both parts, and the install creates the environment, then pip installs the wheels with the
environment's own Python."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from airlock_testing import conda, index, programs, pythons, venv  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from install_support import installer_env, leftovers, require_unshare, small_wheels  # noqa: E402


class CondaEndToEndTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = programs.TempDir(prefix="airlock-conda-e2e-")
        # Short: libtorch's binary placeholder has 32 bytes.
        cls.root = Path(tempfile.mkdtemp(prefix="ace", dir="/tmp"))
        srv = cls.tmp.path / "srv"
        cls.fx = conda.torch_channels(srv)
        with Nginx(srv) as server:
            cls.server_url = server.url
            keys = cls.tmp.path / "keys"
            keys.mkdir()
            cls.build(["keygen", "--out", keys / "site", "--no-password"])
            cls.pub = keys / "site.pub"
            d = cls.tmp.path / "torch"
            d.mkdir()
            manifest = d / "manifest.toml"
            manifest.write_text(conda.torch_manifest(server.url))
            cls.build(["lock", manifest, "-o", d / "lock", "--cache-dir", cls.tmp.path / "cache"])
            cls.bundle = d / "lab.airlock"
            cls.build(["build", manifest, "--lock", d / "lock", "-o", cls.bundle, "--key", keys / "site.key",
                       "--cache-dir", cls.tmp.path / "cache"])
        require_unshare()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        shutil.rmtree(cls.root, ignore_errors=True)

    @staticmethod
    def build(args):
        env = venv.clean_env({"SOURCE_DATE_EPOCH": "1767225600"})
        code, out, err = programs.run([programs.airlock_build(), *args], env=env)
        assert code == 0, "airlock-build %s: exit %d\n%s%s" % (args[0], code, out, err)

    def install(self, prefix: Path, *extra):
        cmd = [programs.airlock_install(), "install", self.bundle, "--key", self.pub, "--prefix", prefix, *extra]
        cmd = ["unshare", "-n"] + cmd
        return programs.run(cmd, env=installer_env(self.tmp.path / ("state-" + prefix.name)), timeout=600)

    def check_environment(self, prefix: Path, target: str):
        expected = conda.TORCH_EXPECTED[target]
        meta = prefix / "conda-meta"
        records = {json.loads(p.read_text())["name"]: json.loads(p.read_text()) for p in meta.glob("*.json")}
        self.assertEqual(set(records), set(expected))
        for name, (version, build, channel, subdir) in expected.items():
            rec = records[name]
            f = self.fx.preferred(name, version, build, subdir)
            self.assertEqual((rec["version"], rec["build"], rec["subdir"]), (version, build, subdir))
            self.assertEqual(rec["channel"], "%s/%s" % (self.server_url, channel))
            self.assertEqual(rec["url"], "%s/%s/%s/%s" % (self.server_url, channel, subdir, f.filename))
            self.assertEqual((rec["sha256"], rec["md5"], rec["size"]), (f.sha256, f.md5, f.size))
            for p in rec["paths_data"]["paths"]:
                on_disk = prefix / p["_path"]
                self.assertTrue(os.path.lexists(on_disk), p["_path"])
                if p["path_type"] == "hardlink":
                    self.assertEqual(hashlib.sha256(on_disk.read_bytes()).hexdigest(),
                                     p.get("sha256_in_prefix", p["sha256"]), p["_path"])
        self.assertEqual(records["pytorch"]["requested_spec"], "pytorch=2.3.1")
        history = (meta / "history").read_text()
        self.assertIn("+pytorch/linux-64::pytorch-2.3.1-%s" % expected["pytorch"][1], history)
        # The fixture's python is a shell script with the placeholder; libtorch has a binary one.
        r = subprocess.run([str(prefix / "bin/python3.12")], capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Python 3.12.7", r.stdout)
        self.assertIn("PREFIX=%s\n" % prefix, (prefix / "bin/python3.12").read_text())
        lib = (prefix / "lib/libtorch_cpu.so").read_bytes()
        self.assertIn(str(prefix).encode() + b"\0", lib)
        self.assertNotIn(conda.PLACEHOLDER.encode(), lib)
        for mod in ("filelock", "typing_extensions", "torch", "numpy"):
            self.assertTrue((prefix / "lib/python3.12/site-packages" / mod / "__init__.py").is_file(), mod)

    def test_cpu_target_is_chosen_and_works(self):
        prefix = self.root / "cpu"
        code, o, e = self.install(prefix)
        self.assertEqual(code, 0, o + e)
        self.assertIn("target linux-py312-cpu", o)
        self.check_environment(prefix, "linux-py312-cpu")
        self.assertEqual(leftovers(self.root), [])

    def test_cuda_target_installs_with_a_warning(self):
        prefix = self.root / "cu124"
        code, o, e = self.install(prefix, "--target", "linux-py312-cu124")
        self.assertEqual(code, 0, o + e)
        if not os.path.exists("/proc/driver/nvidia/version"):
            self.assertIn("no NVIDIA driver was found", e)
        self.check_environment(prefix, "linux-py312-cu124")

    def test_dry_run_writes_nothing(self):
        prefix = self.root / "dry"
        code, o, e = self.install(prefix, "--dry-run")
        self.assertEqual(code, 0, o + e)
        self.assertIn("prefix:      %s (to be created)" % prefix, o)
        self.assertIn("conda packages in the order of airlock/conda.linux-py312-cpu.txt", o)
        self.assertFalse(os.path.lexists(prefix))
        self.assertEqual(leftovers(self.root), [])

    def test_win_target_refused(self):
        prefix = self.root / "win"
        code, o, e = self.install(prefix, "--target", "win-py312-cu121")
        self.assertEqual(code, 1, o + e)
        self.assertIn("its conda packages are for win-64 (Windows x86_64)", e)
        self.assertFalse(os.path.lexists(prefix))
        self.assertEqual(leftovers(self.root), [])

    def test_export_channel_agrees_with_packages(self):
        to = self.root / "export"
        code, o, e = programs.run([programs.airlock_install(), "export", self.bundle, "--key", self.pub, "--to", to],
                                  env=installer_env(self.tmp.path / "state-export"))
        self.assertEqual(code, 0, o + e)
        for subdir in ("linux-64", "win-64", "noarch"):
            raw = (to / "conda" / subdir / "repodata.json").read_bytes()
            unz = subprocess.run(["zstd", "-d", "-q", "-c", str(to / "conda" / subdir / "repodata.json.zst")],
                                 capture_output=True, check=True).stdout
            self.assertEqual(unz, raw)
            doc = json.loads(raw)
            records = dict(doc["packages"], **doc["packages.conda"])
            self.assertTrue(records, subdir)
            for fn, rec in records.items():
                data = (to / "conda" / subdir / fn).read_bytes()
                self.assertEqual((rec["sha256"], rec["md5"], rec["size"]),
                                 (hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest(), len(data)), fn)


class MixedEndToEndTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from test_conda_bundle import full_python_package, pip_package
        from test_conda_prefix import greet_package

        exe = pythons.find_python("3.12")
        if exe is None:
            raise unittest.SkipTest("no CPython 3.12 on PATH or in pyenv to make the python package from")
        cls.tmp = programs.TempDir(prefix="airlock-conda-mixed-")
        cls.root = Path(tempfile.mkdtemp(prefix="acm", dir="/tmp"))
        srv = cls.tmp.path / "srv"
        conda.build_channels(srv, {"real": [full_python_package(exe, cls.tmp.path), pip_package(exe), greet_package()]},
                             subdirs=("linux-64",))
        w = small_wheels(cls.tmp.path / "dist")
        index.build_index(srv, {"alpha": [w["alpha"]], "beta": [w["beta"]]})
        with Nginx(srv) as server:
            keys = cls.tmp.path / "keys"
            keys.mkdir()
            CondaEndToEndTest.build(["keygen", "--out", keys / "site", "--no-password"])
            cls.pub = keys / "site.pub"
            d = cls.tmp.path / "mixed"
            d.mkdir()
            manifest = d / "manifest.toml"
            manifest.write_text("\n".join([
                '[bundle]', 'name = "mixed-lab"', 'version = "1"', '',
                '[[target]]', 'name = "linux-py312"', 'python = "3.12"', 'platform = "manylinux_2_17_x86_64"', '',
                '[conda]', 'channels = ["real"]', 'channel_alias = "%s"' % server.url,
                'specs = ["python 3.12.*", "pip", "greet"]', '',
                '[[index]]', 'name = "local"', 'url = "%s/simple"' % server.url, '',
                '[python]', 'requirements = ["alpha"]', '']))
            cls.bundle = d / "mixed.airlock"
            CondaEndToEndTest.build(["build", manifest, "-o", cls.bundle, "--key", keys / "site.key",
                                     "--cache-dir", cls.tmp.path / "cache"])
        require_unshare()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        shutil.rmtree(cls.root, ignore_errors=True)

    def test_conda_python_then_pip_part(self):
        prefix = self.root / "env"
        cmd = [programs.airlock_install(), "install", self.bundle, "--key", self.pub, "--prefix", prefix]
        cmd = ["unshare", "-n"] + cmd
        code, o, e = programs.run(cmd, env=installer_env(self.tmp.path / "state"), timeout=600)
        self.assertEqual(code, 0, o + e)
        self.assertIn("installed 3 conda packages", o)
        self.assertIn("Successfully installed alpha-1.0 beta-2.0", o)
        p = str(prefix)
        r = subprocess.run([str(prefix / "bin/python"), "-c", "import sys, alpha, greet; print(sys.prefix); "
                            "print(alpha.__file__)"], capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin", "HOME": str(self.tmp.path)})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), [p, p + "/lib/python3.12/site-packages/alpha/__init__.py"])
        r = subprocess.run([str(prefix / "bin/greet")], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
        self.assertEqual(r.stdout, "greet from %s\n" % p)
        names = sorted(json.loads(f.read_text())["name"] for f in (prefix / "conda-meta").glob("*.json"))
        self.assertEqual(names, ["greet", "pip", "python"])
        self.assertEqual(leftovers(self.root), [])


if __name__ == "__main__":
    unittest.main()
