"""`airlock-install export`: a verified bundle becomes a static PEP 503 tree; nginx serves it
as-is and two fresh venvs install from it with plain `pip install --index-url`."""

import os
import re
import unittest
from pathlib import Path

from airlock_testing import nginx, pythons, venv as venv_mod

import bundlemaker as bm
from install_support import InstallerTestCase, host_target, leftovers, run_install, small_wheels


class ExportTest(InstallerTestCase):
    def setUp(self):
        super().setUp()
        self.wheels = small_wheels(self.tmp / "w")
        self.pub, self.sec = bm.keypair(self.tmp)
        targets = {
            host_target("3.12"): [self.wheels["alpha"], self.wheels["beta"]],
            host_target("3.11"): [self.wheels["alpha"], self.wheels["beta"], self.wheels["gamma"]],
        }
        self.bundle = bm.make_bundle(self.tmp / "lab.bundle", targets, secret_key=self.sec, name="lab")

    def export(self, to: Path, bundle=None, *extra):
        return run_install(["export", bundle or self.bundle, "--key", self.pub, "--to", to, *extra], self.state)

    def test_tree_layout_and_pages(self):
        out_dir = self.tmp / "site" / "lab"
        out_dir.parent.mkdir()
        code, out, err = self.export(out_dir)
        self.assertEqual(code, 0, err)
        self.assertInOutput("pip install --index-url", out)
        for rel in ("simple/index.html", "simple/alpha/index.html", "simple/beta/index.html", "simple/gamma/index.html",
                    "files/" + self.wheels["alpha"].name, "README.txt", "airlock/manifest.toml",
                    "airlock/manifest.toml.minisig"):
            self.assertTrue((out_dir / rel).is_file(), rel)
        page = (out_dir / "simple/beta/index.html").read_text()
        digest = bm.sha256_file(self.wheels["beta"])
        self.assertIn('href="../../files/%s#sha256=%s"' % (self.wheels["beta"].name, digest), page)
        self.assertIn('data-requires-python="&gt;=3.7,&lt;4"', page)
        self.assertNotIn("data-requires-python", (out_dir / "simple/gamma/index.html").read_text())
        self.assertEqual(leftovers(out_dir.parent), [])
        self.assertEqual(oct(out_dir.stat().st_mode & 0o777), "0o755")
        # An existing, non-empty destination that is not an earlier export is refused.
        other = self.tmp / "site" / "other"
        other.mkdir()
        (other / "index.html").write_text("mine")
        code, out, err = self.export(other)
        self.assertEqual(code, 1)
        self.assertInOutput("already exists and is not empty", err)
        self.assertEqual(os.listdir(other), ["index.html"])

    def test_anti_rollback_for_the_exported_tree(self):
        site = self.tmp / "site"
        site.mkdir()
        out_dir = site / "lab"
        targets = {host_target("3.12"): [self.wheels["alpha"], self.wheels["beta"]]}
        newer = bm.make_bundle(self.tmp / "lab-7.bundle", targets, secret_key=self.sec, name="lab", version="7.0",
                               sequence=7)
        older = bm.make_bundle(self.tmp / "lab-3.bundle", targets, secret_key=self.sec, name="lab", version="3.0",
                               sequence=3)
        code, out, err = self.export(out_dir, newer)
        self.assertEqual(code, 0, err)
        state = (out_dir / "airlock" / "export-state.toml").read_text()
        self.assertIn('[bundle."lab"]', state)
        self.assertIn("sequence = 7", state)
        # An older bundle over the newer export is refused, and the export is untouched.
        code, out, err = self.export(out_dir, older)
        self.assertEqual(code, 1, out + err)
        self.assertInOutput("sequence 3, older than sequence 7", err)
        self.assertInOutput("--allow-downgrade", err)
        self.assertIn('version = "7.0"', (out_dir / "airlock" / "manifest.toml").read_text())
        # A different bundle is not exported over it either.
        code, out, err = self.export(out_dir, self.bundle)  # named "lab" too: same name is fine
        self.assertEqual(code, 1, out + err)  # sequence 1 < 7
        other = bm.make_bundle(self.tmp / "other.bundle", targets, secret_key=self.sec, name="other", sequence=9)
        code, out, err = self.export(out_dir, other)
        self.assertEqual(code, 1, out + err)
        self.assertInOutput("holds the bundle `lab`", err)
        # Knowingly: the older one replaces it, and becomes the new floor.
        code, out, err = self.export(out_dir, older, "--allow-downgrade")
        self.assertEqual(code, 0, err)
        self.assertIn('version = "3.0"', (out_dir / "airlock" / "manifest.toml").read_text())
        self.assertIn("sequence = 3", (out_dir / "airlock" / "export-state.toml").read_text())
        # A newer one replaces it without a flag.
        code, out, err = self.export(out_dir, newer)
        self.assertEqual(code, 0, err)
        self.assertEqual(leftovers(site), [])
        self.assertEqual(sorted(os.listdir(site)), ["lab"])

    def test_missing_parent_directories_are_created(self):
        out_dir = self.tmp / "srv" / "www" / "lab"
        code, out, err = self.export(out_dir)
        self.assertEqual(code, 0, err)
        self.assertTrue((out_dir / "simple" / "index.html").is_file())
        self.assertEqual(leftovers(out_dir.parent), [])
        # On failure the directories it created are removed again.
        def attack(entries):
            e = next(x for x in entries if x.path.endswith(self.wheels["alpha"].name))
            e.data, e.source = e.source.read_bytes()[:-10] + b"0123456789", None

        bad = bm.make_bundle(self.tmp / "bad.bundle", {host_target("3.12"): [self.wheels["alpha"]]},
                             secret_key=self.sec, tamper_after_sign=attack)
        code, out, err = self.export(self.tmp / "new" / "deeper" / "lab", bundle=bad)
        self.assertEqual(code, 1, out + err)
        self.assertFalse((self.tmp / "new").exists())
        # A parent that is a file is named.
        (self.tmp / "afile").write_text("x")
        code, out, err = self.export(self.tmp / "afile" / "lab")
        self.assertEqual(code, 1, out + err)
        self.assertInOutput("is not a directory", err)

    def test_tampered_bundle_exports_nothing(self):
        def attack(entries):
            e = next(x for x in entries if x.path.endswith(self.wheels["alpha"].name))
            data = e.source.read_bytes()
            e.data, e.source = data[:-10] + b"0123456789", None

        bad = bm.make_bundle(self.tmp / "bad.bundle", {host_target("3.12"): [self.wheels["alpha"]]},
                             secret_key=self.sec, tamper_after_sign=attack)
        site = self.tmp / "site2"
        site.mkdir()
        code, out, err = self.export(site / "lab", bundle=bad)
        self.assertEqual(code, 1)
        self.assertInOutput("wrong sha256", err)
        self.assertEqual(os.listdir(site), [])

    def test_nginx_serves_it_and_two_venvs_install(self):
        out_dir = self.tmp / "export"
        code, out, err = self.export(out_dir)
        self.assertEqual(code, 0, err)
        versions = [v for v in ("3.12", "3.11") if pythons.find_python(v)]
        if not versions:
            self.skipTest("neither Python 3.12 nor 3.11 found")
        with nginx.Nginx(out_dir, json_dirs=()) as server:
            index = server.url + "/simple"
            for i, version in enumerate((versions * 2)[:2]):
                venv = venv_mod.make_venv(pythons.find_python(version), self.tmp / ("fleet%d" % i))
                venv_mod.pip(venv, "install", "--index-url", index, "alpha")
                got = venv_mod.installed(venv, exclude=["pip", "setuptools"])
                self.assertEqual(got, {"alpha": "1.0", "beta": "2.0"})
            # The README's hash-checked form works too.
            venv = venv_mod.make_venv(pythons.find_python(versions[0]), self.tmp / "fleet-locked")
            reqs = out_dir / "airlock" / ("requirements.%s.txt" % host_target(versions[0]).name)
            venv_mod.pip(venv, "install", "--index-url", index, "--require-hashes", "-r", reqs)
        self.assertIn("--require-hashes -r airlock/requirements.linux-py312.txt", (out_dir / "README.txt").read_text())


if __name__ == "__main__":
    unittest.main()
