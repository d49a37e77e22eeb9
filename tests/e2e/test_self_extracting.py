"""`airlock-build build --self-extracting -o FILE`: one executable, the static installer followed
by the signed bundle and a trailer. `./FILE install --key site.pub --venv DIR` installs from it
inside `unshare -n` into a fresh venv; `airlock-install verify FILE` (an installer the site
already trusts) reads it too; a byte flipped anywhere in it (installer, bundle, trailer) is
refused.
"""

import os
import shutil
import stat
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "install"))

from airlock_testing import catalog, programs, pythons, venv as venv_mod  # noqa: E402

import bundlemaker as bm  # noqa: E402
from install_support import installer_env, require_unshare  # noqa: E402

SCALE = 64 * 1024
TRAILER = 64


class SelfExtractingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        static = programs.bin_dir() / "airlock-install-static"
        if not static.exists():
            raise unittest.SkipTest("no %s (sanitizer build, or -DAIRLOCK_STATIC_INSTALLER=OFF)" % static)
        require_unshare()
        cls.python = next((pythons.find_python(v) for v in ("3.12", "3.11") if pythons.find_python(v)), None)
        if cls.python is None:
            raise unittest.SkipTest("neither Python 3.12 nor 3.11 found")
        cls.version = "3.12" if pythons.find_python("3.12") else "3.11"
        cls.target = "linux-py" + cls.version.replace(".", "")
        cls.work = programs.TempDir(prefix="airlock-sfx-")
        tmp = cls.work.path
        cls.pub, sec = bm.keypair(tmp)
        cls.fx = catalog.torch_like(scale=SCALE)
        cls.sfx = tmp / "torch-lab.run"
        with cls.fx.serve() as server:
            manifest = tmp / "manifest.toml"
            manifest.write_text(cls.fx.manifest(server.url, targets=[cls.target], bundle="torch-lab"))
            env = venv_mod.clean_env(cls.fx.env(server.url))
            env["AIRLOCK_CACHE_DIR"] = str(tmp / "cache")
            code, out, err = programs.run([programs.airlock_build(), "build", manifest, "-o", cls.sfx, "--key", sec,
                                           "--self-extracting", "--installer", static], env=env, timeout=600)
        if code != 0:
            raise AssertionError("airlock-build build --self-extracting failed:\n%s%s" % (out, err))
        cls.build_out = out
        cls.installer_size = static.stat().st_size

    @classmethod
    def tearDownClass(cls):
        cls.work.cleanup()

    def setUp(self):
        self.tmp = programs.TempDir(prefix="airlock-sfx-test-")
        self.addCleanup(self.tmp.cleanup)

    def run_sfx(self, *args, file=None):
        cmd = ["unshare", "-n", file or self.sfx] + [str(a) for a in args]
        return programs.run(cmd, env=installer_env(self.tmp.path / "state"), timeout=600)

    def test_one_executable_file(self):
        self.assertTrue(self.sfx.stat().st_mode & stat.S_IXUSR)
        self.assertIn("self-extracting", self.build_out)
        data = self.sfx.read_bytes()
        self.assertEqual(data[:4], b"\x7fELF")
        self.assertEqual(data[-16:], b"airlock-sfx-v1\r\n")
        self.assertEqual(int.from_bytes(data[-64:-56], "little"), self.installer_size)
        # The bundle is stored as is: a plain tar right after the installer.
        self.assertEqual(data[self.installer_size:self.installer_size + 20], b"airlock/manifest.tom")

    def test_install_from_itself_offline(self):
        venv = self.tmp.path / "venv"
        code, out, err = self.run_sfx("install", "--key", self.pub, "--venv", venv, "--python", self.python)
        self.assertEqual(code, 0, out + err)
        self.assertIn("target " + self.target, out)
        got = venv_mod.installed(venv, exclude=["pip"])
        want = dict(self.fx.expected[self.target])
        if "setuptools" not in want:
            got.pop("setuptools", None)
        self.assertEqual(got, want)

    def test_verify_list_export_from_itself_and_by_a_trusted_installer(self):
        for cmd in (["verify"], ["list"], ["export", "--to", self.tmp.path / "site"]):
            code, out, err = self.run_sfx(*cmd, "--key", self.pub)
            self.assertEqual(code, 0, "%s: %s%s" % (cmd, out, err))
        self.assertTrue((self.tmp.path / "site/simple/torch/index.html").is_file())
        code, out, err = programs.run([programs.airlock_install(), "verify", self.sfx, "--key", self.pub],
                                      env=installer_env(self.tmp.path / "state"))
        self.assertEqual(code, 0, out + err)
        self.assertIn("OK", out)

    def test_a_flipped_byte_anywhere_is_refused(self):
        data = self.sfx.read_bytes()
        size, start = len(data), self.installer_size
        places = {
            "installer ELF header": 24,
            "installer middle": start // 2,
            "manifest entry header": start + 100,
            "bundle middle": start + (size - TRAILER - start) // 2,
            "bundle end padding": size - TRAILER - 1,
            "trailer offset": size - TRAILER,
            "trailer length": size - TRAILER + 8,
            "trailer sha256": size - TRAILER + 20,
            "trailer magic": size - 3,
        }
        for what, at in places.items():
            with self.subTest(what):
                bad = self.tmp.path / "bad.run"
                flipped = bytearray(data)
                flipped[at] ^= 0x01
                bad.write_bytes(bytes(flipped))
                code, out, err = programs.run([programs.airlock_install(), "verify", bad, "--key", self.pub],
                                              env=installer_env(self.tmp.path / "state"))
                self.assertNotEqual(code, 0, "%s (offset %d) accepted:\n%s" % (what, at, out))
                self.assertIn("error:", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
