"""`airlock-install install --sync`: the venv ends up with exactly the target's packages (plus pip,
setuptools and wheel); without --sync an install only adds. pip runs isolated from PIP_*."""

import unittest

from airlock_testing import pythons, venv as venv_mod

import bundlemaker as bm
from install_support import InstallerTestCase, host_target, run_install, small_wheels


class InstallSyncTest(InstallerTestCase):
    def test_sync_removes_what_the_bundle_does_not_list(self):
        python = pythons.require_python(self, "3.12")
        wheels = small_wheels(self.tmp / "w")
        pub, sec = bm.keypair(self.tmp)
        bundle = bm.make_bundle(self.tmp / "lab.bundle", {host_target("3.12"): [wheels["alpha"], wheels["beta"]]},
                                secret_key=sec, name="lab")
        env = self.tmp / "env"
        code, out, err = run_install(["install", bundle, "--key", pub, "--venv", env, "--python", python], self.state)
        self.assertEqual(code, 0, out + err)
        venv_mod.pip(env, "install", "--no-index", str(wheels["gamma"]))
        self.assertIn("gamma", venv_mod.installed(env))
        # Without --sync: only adds.
        code, out, err = run_install(["install", bundle, "--key", pub, "--venv", env], self.state)
        self.assertEqual(code, 0, out + err)
        self.assertIn("gamma", venv_mod.installed(env))
        # The plan says what --sync will do; --sync without --venv is refused.
        code, out, err = run_install(["install", bundle, "--key", pub, "--venv", env, "--sync", "--dry-run"],
                                     self.state)
        self.assertEqual(code, 0, err)
        self.assertInOutput("--sync: `pip uninstall -y`", out)
        code, out, err = run_install(["install", bundle, "--key", pub, "--python", python, "--sync"], self.state)
        self.assertEqual(code, 2, err)
        self.assertInOutput("--sync does not go with --python alone", err)
        # With --sync: exactly the bundle's packages remain.
        code, out, err = run_install(["install", bundle, "--key", pub, "--venv", env, "--sync"], self.state)
        self.assertEqual(code, 0, out + err)
        self.assertInOutput("pip uninstall -y --isolated --disable-pip-version-check gamma", out)
        got = venv_mod.installed(env, exclude=["pip", "setuptools", "wheel"])
        self.assertEqual(got, {"alpha": "1.0", "beta": "2.0"})
        # Again: nothing to remove.
        code, out, err = run_install(["install", bundle, "--key", pub, "--venv", env, "--sync"], self.state)
        self.assertEqual(code, 0, out + err)
        self.assertInOutput("sync: nothing to remove", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
