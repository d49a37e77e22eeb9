"""A bundle with a win_amd64 target, handled on Linux as far as this machine allows.

The way a Windows workstation installs (README, *Windows targets*): the static airlock-install
checks the signature and every hash where it runs (a Linux machine or WSL), `export` writes the
verified wheels with `airlock/requirements.<target>.txt` (every line `--hash=sha256:`), and the
workstation's own Python installs them with `pip install --no-index --require-hashes`, which checks
every wheel's hash again. Tested here: verify, list and export of such a bundle; the exported
tree resolved for win_amd64 / CPython 3.12 by the real pip with `--require-hashes` (`pip install
--dry-run --platform win_amd64`), so the Windows command is exercised up to the point of
unpacking; and `install --dry-run --target win-py312` on Linux explaining why it will not install
here. Not tested: pip running on Windows itself (no Windows or wine here).
"""

import unittest

from airlock_testing import pythons, venv as venv_mod, wheels

import bundlemaker as bm
from install_support import InstallerTestCase, run_install


class WindowsTargetTest(InstallerTestCase):
    def setUp(self):
        super().setUp()
        w = self.tmp / "w"
        self.pure = wheels.build_wheel(w, "alpha", "1.0", requires_dist=["winonly>=1; sys_platform == 'win32'"])
        self.win = wheels.build_wheel(w, "winonly", "1.2", tags=("cp312", "cp312", "win_amd64"))
        self.pub, self.sec = bm.keypair(self.tmp)
        self.target = bm.BundleTarget("win-py312", "3.12", "win_amd64")
        self.bundle = bm.make_bundle(self.tmp / "win.bundle", {self.target: [self.pure, self.win]},
                                     secret_key=self.sec, name="winlab")

    def test_verify_list_export_and_pip_resolves_the_export_for_windows(self):
        code, out, err = run_install(["verify", self.bundle, "--key", self.pub], self.state)
        self.assertEqual(code, 0, err)
        code, out, err = run_install(["list", self.bundle, "--key", self.pub], self.state)
        self.assertEqual(code, 0, err)
        self.assertInOutput("win-py312", out)
        self.assertInOutput("win_amd64", out)
        site = self.tmp / "site"
        code, out, err = run_install(["export", self.bundle, "--key", self.pub, "--to", site], self.state)
        self.assertEqual(code, 0, err)
        reqs = site / "airlock" / "requirements.win-py312.txt"
        self.assertTrue(reqs.is_file(), "export carries the target's hashed requirements")
        self.assertIn("--hash=sha256:", reqs.read_text())
        self.assertTrue((site / "files" / self.win.name).is_file())

        # The workstation's command, resolved for Windows by the real pip (no network: --no-index).
        python = pythons.find_python("3.12") or pythons.find_python("3.11")
        if python is None:
            self.skipTest("no Python 3.11/3.12 to run pip with")
        venv = venv_mod.make_venv(python, self.tmp / "pipvenv")
        r = venv_mod.pip(venv, "install", "--dry-run", "--no-index", "--find-links", str(site / "files"),
                         "--require-hashes", "-r", str(reqs), "--platform", "win_amd64",
                         "--python-version", "3.12", "--implementation", "cp", "--only-binary=:all:",
                         "--target", str(self.tmp / "wintarget"), check=False)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("Would install alpha-1.0 winonly-1.2", r.stdout)

        # A flipped byte in an exported wheel is caught by pip's own hash check on the workstation.
        data = bytearray((site / "files" / self.win.name).read_bytes())
        data[len(data) // 2] ^= 1
        (site / "files" / self.win.name).write_bytes(bytes(data))
        r = venv_mod.pip(venv, "install", "--dry-run", "--no-index", "--find-links", str(site / "files"),
                         "--require-hashes", "-r", str(reqs), "--platform", "win_amd64",
                         "--python-version", "3.12", "--implementation", "cp", "--only-binary=:all:",
                         "--target", str(self.tmp / "wintarget"), check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("THESE PACKAGES DO NOT MATCH THE HASHES", r.stdout + r.stderr)

    def test_install_dry_run_for_the_windows_target_on_linux(self):
        python = pythons.find_python("3.12") or pythons.find_python("3.11")
        if python is None:
            self.skipTest("no Python 3.11/3.12")
        code, out, err = run_install(["install", self.bundle, "--key", self.pub, "--dry-run", "--target",
                                      "win-py312", "--python", python], self.state)
        self.assertEqual(code, 1, out + err)
        self.assertInOutput("target `win-py312` does not fit this host: its wheels are for win_amd64", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
