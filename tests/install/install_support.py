"""Shared pieces of the installer's integration tests: running airlock-install offline, the
environment that tries hard to leak pip configuration in, and leftover checks."""

import unittest
from pathlib import Path
from typing import List, Sequence

from airlock_testing import programs
# Re-exported: the installer's tests import these from here.
from airlock_testing.offline import POISON, installer_env, require_unshare, unshare_available  # noqa: F401

import bundlemaker as bm


def run_install(args: Sequence, state_dir: Path, *, offline: bool = True, timeout: float = 600, env_extra=None):
    """airlock-install ARGS (inside `unshare -n` when offline); returns (code, stdout, stderr)."""
    cmd: List = [programs.airlock_install()] + list(args)
    if offline:
        cmd = ["unshare", "-n"] + cmd
    return programs.run(cmd, env=installer_env(state_dir, env_extra), timeout=timeout)


def leftovers(directory: Path) -> List[str]:
    """Temporary trees an install or export left in `directory`."""
    if not directory.exists():
        return []
    return sorted(p.name for p in directory.iterdir() if ".airlock-" in p.name)


def small_wheels(out: Path) -> dict:
    """Two tiny pure wheels: alpha needs beta; plus gamma (needed by nobody)."""
    from airlock_testing import wheels

    return {
        "alpha": wheels.build_wheel(out, "alpha", "1.0", requires_dist=["beta>=2"], requires_python=">=3.8"),
        "beta": wheels.build_wheel(out, "beta", "2.0", payload_size=64 * 1024, requires_python=">=3.7,<4"),
        "gamma": wheels.build_wheel(out, "gamma", "0.1"),
    }


def host_target(python: str) -> bm.BundleTarget:
    return bm.BundleTarget("linux-py" + python.replace(".", ""), python, "manylinux_2_17_x86_64")


class InstallerTestCase(unittest.TestCase):
    """Fails when the installer is not built; gives each test a fresh temp dir."""

    def setUp(self):
        programs.airlock_install()
        self.tmp_dir = programs.TempDir(prefix="airlock-install-test-")
        self.tmp = self.tmp_dir.path
        self.state = self.tmp / "state"
        self.addCleanup(self.tmp_dir.cleanup)

    def assertInOutput(self, needle: str, text: str):
        self.assertIn(needle, text, "expected %r in:\n%s" % (needle, text))
