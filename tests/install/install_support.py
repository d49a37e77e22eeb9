"""Shared pieces of the installer's integration tests: running airlock-install offline, the
environment that tries hard to leak pip configuration in, and leftover checks."""

import os
import shutil
import subprocess
import unittest
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from airlock_testing import programs

import bundlemaker as bm

# Variables the installer must ignore: if any of them reached pip, the install would look
# elsewhere (or fail to resolve the bogus index).
POISON = {
    "PIP_FIND_LINKS": "/nonexistent/find-links",
    "PIP_INDEX_URL": "http://127.0.0.1:9/bogus/simple",
    "PIP_EXTRA_INDEX_URL": "http://127.0.0.1:9/bogus2/simple",
    "PIP_NO_INDEX": "0",
    "PIP_REQUIRE_VIRTUALENV": "0",
    "PYTHONPATH": "/nonexistent/pythonpath",
}


def unshare_available() -> Tuple[bool, str]:
    exe = shutil.which("unshare")
    if not exe:
        return False, "unshare (util-linux) is not installed"
    r = subprocess.run([exe, "-n", "true"], capture_output=True, text=True)
    if r.returncode != 0:
        return False, "`unshare -n` is not permitted here (needs root or user namespaces): " + r.stderr.strip()
    return True, ""


def require_unshare() -> None:
    """Fails the test (never skips, never runs online instead) when `unshare -n` cannot run: the
    installer's tests prove it works with no network, and cannot prove it without one."""
    ok, why = unshare_available()
    if not ok:
        raise AssertionError("cannot run the installer without network: " + why)


def installer_env(state_dir: Path, extra: Optional[dict] = None) -> dict:
    """The test's own environment plus POISON, with the anti-rollback state in `state_dir`."""
    env = dict(os.environ)
    env.update(POISON)
    env["AIRLOCK_STATE_DIR"] = str(state_dir)
    if extra:
        env.update(extra)
    return env


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
