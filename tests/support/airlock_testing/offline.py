"""Running airlock-install as the installer's tests do: with no network (`unshare -n`), and with
an environment that tries hard to leak pip configuration in."""

import os
import shutil
import subprocess
from pathlib import Path
from typing import Optional, Tuple

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
