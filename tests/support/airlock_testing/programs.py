"""The programs under test and small process helpers."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Mapping, Optional, Sequence, Tuple, Union

PathLike = Union[str, Path]


def source_dir() -> Path:
    """The repository root: $AIRLOCK_SOURCE_DIR, else three levels above this package."""
    env = os.environ.get("AIRLOCK_SOURCE_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[3]


def bin_dir() -> Path:
    """Where the built programs are: $AIRLOCK_BIN_DIR (ctest sets it), else <source>/build/bin."""
    env = os.environ.get("AIRLOCK_BIN_DIR")
    return Path(env) if env else source_dir() / "build" / "bin"


def _program(name: str) -> Path:
    p = bin_dir() / name
    if not p.exists():
        raise FileNotFoundError("%s not found in %s: build it first (packaging/setup.sh build) or set AIRLOCK_BIN_DIR" % (name, bin_dir()))
    return p


def airlock_build() -> Path:
    return _program("airlock-build")


def airlock_install() -> Path:
    return _program("airlock-install")


def require_tool(name: str, package: str) -> Path:
    """The program `name` on PATH. Missing, it is an error, never a skip: packaging/setup.sh
    installs the Debian package `package`, and a test that needs it cannot pass without it."""
    found = shutil.which(name)
    if found is None:
        raise AssertionError("`%s` is not on PATH: install the Debian package %s (packaging/setup.sh does)"
                             % (name, package))
    return Path(found)


def run(
    cmd: Sequence[PathLike],
    *,
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[PathLike] = None,
    timeout: float = 300,
    input: Optional[str] = None,
) -> Tuple[int, str, str]:
    """Run `cmd`; return (exit code, stdout, stderr). A timeout is an error, not a result.

    `env` replaces the environment (build it with venv.clean_env() to keep PIP_* away).
    """
    try:
        r = subprocess.run(
            [str(c) for c in cmd],
            env=dict(env) if env is not None else None,
            cwd=str(cwd) if cwd else None,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as e:
        raise AssertionError("timed out after %ss: %s\n--- stdout\n%s\n--- stderr\n%s" % (timeout, " ".join(map(str, cmd)), e.stdout, e.stderr))
    return r.returncode, r.stdout, r.stderr


class TempDir:
    """A fresh temporary directory (`with TempDir() as d:` gives a Path); kept when AIRLOCK_KEEP_TEMP=1."""

    def __init__(self, prefix: str = "airlock-test-"):
        self.path = Path(tempfile.mkdtemp(prefix=prefix)).resolve()

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        if os.environ.get("AIRLOCK_KEEP_TEMP"):
            print("kept temp dir:", self.path)
            return
        shutil.rmtree(self.path, ignore_errors=True)
