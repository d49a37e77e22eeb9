"""End to end: a bundle of the torch_like fixture closure (built by `airlock-build build` from the
fixture index; for the anti-rollback test, which chooses sequence numbers, hand-written by
tests/install/bundlemaker.py from the same wheels), installed by `airlock-install install` inside `unshare -n` (no network at all) into
fresh venvs for the Python 3.11 and 3.12 targets; the packages import and `pip check` passes.
Also: dry run, anti-rollback, target mismatch, and no libcurl linked."""

import os
import re
import shutil
import subprocess
import sys
import unittest
from pathlib import Path

from airlock_testing import catalog, programs, pythons, venv as venv_mod

import bundlemaker as bm
from install_support import InstallerTestCase, leftovers, require_unshare, run_install

SCALE = 96 * 1024
_shared = {}


def fixture_bundle(workdir: Path, *, sequence: int = 1, name: str = "torch-lab", handwritten: bool = False) -> Path:
    """The torch_like bundle for its three standard targets (cached), made by `airlock-build build`
    (a missing builder is an error); with `handwritten`, written by bundlemaker from the same wheels."""
    key = (name, sequence, handwritten)
    if key in _shared:
        return _shared[key]
    fx = catalog.torch_like(scale=SCALE)
    _shared["fx"] = fx
    targets = ["linux-py312", "linux-py311", "win-py312"]
    if "keys" not in _shared:
        _shared["keys"] = bm.keypair(workdir)
    pub, sec = _shared["keys"]
    out = workdir / ("%s-%d.bundle" % (name, sequence))
    if not handwritten:
        out = workdir / "built" / out.name  # `build -o` creates the missing directory
        with fx.serve() as server:
            manifest = workdir / "manifest.toml"
            manifest.write_text(fx.manifest(server.url, targets=targets, bundle=name))
            env = venv_mod.clean_env(fx.env(server.url))
            code, o, e = programs.run([programs.airlock_build(), "build", manifest, "-o", out, "--key", sec, "--sequence", str(sequence)], env=env, timeout=900)
            if code != 0:
                raise AssertionError("airlock-build build failed:\n%s%s" % (o, e))
    else:
        per_target = {}
        for t in targets:
            ft = fx.targets[t]
            per_target[bm.BundleTarget(ft.name, ft.python, ft.platform, ft.cuda)] = [
                fx.files[f] for f in sorted(fx.expected_files[t])
            ]
        bm.make_bundle(out, per_target, secret_key=sec, name=name, version="2026.%d" % sequence, sequence=sequence)
    _shared[key] = out
    return out


class EndToEndTest(InstallerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = programs.TempDir(prefix="airlock-e2e-install-")

    @classmethod
    def tearDownClass(cls):
        cls.work.cleanup()

    def setUp(self):
        super().setUp()
        require_unshare()
        self.bundle = fixture_bundle(self.work.path)
        self.pub = _shared["keys"][0]
        self.fx = _shared["fx"]

    def check_installed(self, venv: Path, target: str):
        got = venv_mod.installed(venv, exclude=["pip"])
        want = dict(self.fx.expected[target])
        if "setuptools" not in want:
            got.pop("setuptools", None)  # the venv's own, from ensurepip
        self.assertEqual(got, want)
        modules = [re.sub(r"[-.]+", "_", n).lower() for n in want]
        code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\nprint('ok')\n"
        r = subprocess.run([str(venv / "bin" / "python"), "-I", "-c", code] + modules,
                           capture_output=True, text=True, env=venv_mod.clean_env())
        self.assertEqual(r.returncode, 0, r.stderr)
        check = venv_mod.pip(venv, "check", check=False)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

    def install_for(self, version: str, target: str):
        python = pythons.require_python(self, version)
        venv = self.tmp / ("venv-" + version)
        code, out, err = run_install(["install", self.bundle, "--key", self.pub, "--venv", venv, "--python", python],
                                     self.state)
        self.assertEqual(code, 0, "install failed:\n%s\n%s" % (out, err))
        self.assertInOutput("target " + target, out)
        self.assertInOutput("Successfully installed", out)  # pip's output streams through
        # CUDA targets on a host without a GPU: a warning, not an error.
        if not os.path.exists("/proc/driver/nvidia/version"):
            self.assertInOutput("warning: target `%s` was built for CUDA 12.4" % target, err)
            self.assertInOutput("550.54.14", err)
        self.check_installed(venv, target)
        self.assertEqual(leftovers(self.tmp), [])
        state = (self.state / "state.toml").read_text()
        self.assertIn('[bundle."torch-lab"]', state)
        return venv

    def test_install_python_312(self):
        self.install_for("3.12", "linux-py312")

    def test_install_python_311(self):
        self.install_for("3.11", "linux-py311")

    def test_interpreter_found_for_the_wanted_target(self):
        pythons.require_python(self, "3.11")
        venv = self.tmp / "found"
        code, out, err = run_install(["install", self.bundle, "--key", self.pub, "--venv", venv,
                                      "--target", "linux-py311"], self.state)
        self.assertEqual(code, 0, out + err)
        self.check_installed(venv, "linux-py311")

    def test_reinstall_into_existing_venv_and_anti_rollback(self):
        venv = self.install_for("3.12", "linux-py312")
        older = fixture_bundle(self.work.path, sequence=1, name="rb", handwritten=True)
        newer = fixture_bundle(self.work.path, sequence=2, name="rb", handwritten=True)
        code, out, err = run_install(["install", newer, "--key", self.pub, "--venv", venv], self.state)
        self.assertEqual(code, 0, out + err)
        self.assertIn("sequence = 2", (self.state / "state.toml").read_text())
        # The old bundle (sequence 1) is now a rollback.
        code, out, err = run_install(["install", older, "--key", self.pub, "--venv", venv], self.state)
        self.assertEqual(code, 1, out + err)
        self.assertInOutput("has sequence 1, older than sequence 2", err)
        self.assertInOutput("--allow-downgrade", err)
        code, out, err = run_install(["install", older, "--key", self.pub, "--venv", venv, "--allow-downgrade"],
                                     self.state)
        self.assertEqual(code, 0, out + err)

    def test_dry_run_installs_nothing(self):
        python = pythons.require_python(self, "3.12")
        venv = self.tmp / "dry"
        code, out, err = run_install(["install", self.bundle, "--key", self.pub, "--venv", venv, "--python", python,
                                      "--dry-run"], self.state)
        self.assertEqual(code, 0, err)
        for needle in ("target:      linux-py312", "torch 2.5.1+cu124", "-m venv", "--require-hashes",
                       "--no-index", "--isolated", "nothing was installed (--dry-run)"):
            self.assertInOutput(needle, out)
        self.assertFalse(venv.exists())
        self.assertFalse((self.state / "state.toml").exists())
        self.assertEqual(leftovers(self.tmp), [])

    def test_dry_run_json_plan(self):
        import json
        python = pythons.require_python(self, "3.12")
        venv = self.tmp / "new" / "dry"
        code, out, err = run_install(["install", self.bundle, "--key", self.pub, "--venv", venv, "--python", python,
                                      "--dry-run", "--json"], self.state)
        self.assertEqual(code, 0, err)
        plan = json.loads(out)
        self.assertEqual(plan["target"]["name"], "linux-py312")
        self.assertEqual(plan["destination"], str(venv))
        self.assertEqual(plan["parents_to_create"], [str(self.tmp / "new")])
        self.assertFalse(plan["installed"])
        self.assertTrue(plan["signature"]["verified"])
        names = {p["name"]: p["version"] for p in plan["packages"]}
        self.assertEqual(names, dict(self.fx.expected["linux-py312"]))
        self.assertTrue(any("--require-hashes" in step for step in plan["steps"]))
        self.assertFalse((self.tmp / "new").exists())
        code, out, err = run_install(["install", self.bundle, "--key", self.pub, "--venv", venv, "--json"], self.state)
        self.assertEqual(code, 2, err)
        self.assertInOutput("--json goes with --dry-run", err)

    def test_missing_parent_directories_of_the_venv(self):
        python = pythons.require_python(self, "3.12")
        venv = self.tmp / "opt" / "envs" / "torch"
        code, out, err = run_install(["install", self.bundle, "--key", self.pub, "--venv", venv, "--python", python,
                                      "--dry-run"], self.state)
        self.assertEqual(code, 0, err)
        self.assertInOutput("parents:     %s (to be created)" % (self.tmp / "opt"), out)
        self.assertFalse((self.tmp / "opt").exists())
        code, out, err = run_install(["install", self.bundle, "--key", self.pub, "--venv", venv, "--python", python],
                                     self.state)
        self.assertEqual(code, 0, out + err)
        self.check_installed(venv, "linux-py312")
        self.assertEqual(leftovers(venv.parent), [])

    def test_mismatch_says_what_the_bundle_offers(self):
        python = None
        for v in ("3.10", "3.9", "3.13"):
            python = pythons.find_python(v)
            if python:
                break
        if python is None:
            self.skipTest("no Python other than 3.11/3.12 to show a mismatch: install one with pyenv "
                          "(pyenv install 3.10), as tests/support/airlock_testing/pythons.py says")
        venv = self.tmp / "mismatch"
        code, out, err = run_install(["install", self.bundle, "--key", self.pub, "--venv", venv, "--python", python],
                                     self.state)
        self.assertEqual(code, 1, out + err)
        self.assertInOutput("no target of this bundle fits this host: the bundle has targets "
                            "linux-py312 (CPython 3.12, manylinux_2_28_x86_64, CUDA 12.4), "
                            "linux-py311 (CPython 3.11, manylinux_2_28_x86_64, CUDA 12.4) and "
                            "win-py312 (CPython 3.12, win_amd64); this host is CPython %s" % v, err)
        self.assertInOutput("on Linux x86_64 glibc", err)
        self.assertFalse(venv.exists())

    def test_verify_and_list(self):
        code, out, err = run_install(["verify", self.bundle, "--key", self.pub], self.state, offline=True)
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"OK: bundle `torch-lab` \S+ \(sequence 1\): signature good \(key [0-9A-F]{16}")
        trust = self.tmp / "trusted.d"
        trust.mkdir()
        (trust / "release.pub").write_bytes(Path(self.pub).read_bytes())
        code, out, err = run_install(["verify", self.bundle, "--trust-dir", trust], self.state, offline=True)
        self.assertEqual(code, 0, err)
        code, out, err = run_install(["verify", self.bundle, "--trust-dir", self.tmp / "nowhere"], self.state)
        self.assertEqual(code, 1, out + err)
        self.assertInOutput("the trust directory", err)
        code, out, err = run_install(["list", self.bundle], self.state, offline=True)
        self.assertEqual(code, 0, err)
        self.assertInOutput("NOT verified", out)
        code, out, err = run_install(["list", self.bundle, "--key", self.pub], self.state, offline=True)
        self.assertEqual(code, 0, err)
        for needle in ("bundle:    torch-lab", "sequence:  1", "signature verified", "linux-py311: CPython 3.11",
                       "win-py312: CPython 3.12, win_amd64", "torch 2.5.1+cu124"):
            self.assertInOutput(needle, out)

    def test_no_network_library_is_linked(self):
        readelf = programs.require_tool("readelf", "binutils")
        r = subprocess.run([readelf, "-d", str(programs.airlock_install())], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", r.stdout)
        self.assertTrue(needed, r.stdout)
        for lib in needed:
            self.assertNotRegex(lib, r"curl|nghttp|ssh|ldap|rtmp|psl", "airlock-install links " + lib)


if __name__ == "__main__":
    unittest.main()
