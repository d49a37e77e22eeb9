"""Find a CPython of a given version: on PATH (python3.12), then in pyenv (newest installed patch)."""

import os
import re
import shutil
import subprocess
import unittest
from pathlib import Path
from typing import Dict, Optional, Tuple

_found: Dict[str, Optional[Path]] = {}


def _probe(exe: str) -> Optional[Tuple[Tuple[int, int, int], Path]]:
    """(version, sys.executable) of a working interpreter, or None."""
    try:
        r = subprocess.run(
            [exe, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)"],
            capture_output=True,
            text=True,
            timeout=30,
            env=_probe_env(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = r.stdout.split()
    if r.returncode != 0 or len(lines) != 2:
        return None
    ver = tuple(int(x) for x in lines[0].split("."))
    return ver, Path(lines[1])  # type: ignore[return-value]


def _probe_env() -> Dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"}


def _wanted(version: str) -> Tuple[int, ...]:
    if not re.fullmatch(r"\d+\.\d+(\.\d+)?", version):
        raise ValueError("python version must look like 3.12 or 3.12.1, got %r" % version)
    return tuple(int(x) for x in version.split("."))


def _pyenv_candidates(version: str):
    pyenv = shutil.which("pyenv")
    roots = []
    if pyenv:
        try:
            r = subprocess.run([pyenv, "root"], capture_output=True, text=True, timeout=30)
            if r.returncode == 0:
                roots.append(Path(r.stdout.strip()))
        except (OSError, subprocess.TimeoutExpired):
            pass
    if os.environ.get("PYENV_ROOT"):
        roots.append(Path(os.environ["PYENV_ROOT"]))
    roots.append(Path.home() / ".pyenv")
    seen = set()
    out = []
    for root in roots:
        versions = root / "versions"
        if root in seen or not versions.is_dir():
            continue
        seen.add(root)
        names = [d.name for d in versions.iterdir() if re.fullmatch(re.escape(version) + r"(\.\d+)?", d.name)]
        names.sort(key=lambda n: tuple(int(x) for x in n.split(".")), reverse=True)  # newest patch first
        out += [versions / n / "bin" / "python3" for n in names]
    return out


def find_python(version: str) -> Optional[Path]:
    """An interpreter whose version starts with `version` ("3.12" or "3.12.1"), or None.

    Looks at `python3.12` on PATH first, then pyenv's installed versions (newest patch first);
    every candidate is run to check its real version (pyenv shims may point elsewhere).
    """
    if version in _found:
        return _found[version]
    want = _wanted(version)
    major_minor = "%d.%d" % want[:2]
    candidates = []
    on_path = shutil.which("python" + major_minor)
    if on_path:
        candidates.append(on_path)
    candidates += [str(p) for p in _pyenv_candidates(version) if p.exists()]
    result = None
    for c in candidates:
        probed = _probe(c)
        if probed and probed[0][: len(want)] == want:
            result = probed[1]
            break
    _found[version] = result
    return result


def require_python(testcase: unittest.TestCase, version: str) -> Path:
    """find_python(version) or skip the test with a message saying how to get that Python."""
    p = find_python(version)
    if p is None:
        testcase.skipTest(
            "Python %s not found on PATH or in pyenv; install it (e.g. `pyenv install %s`) to run this test" % (version, version)
        )
    return p  # type: ignore[return-value]
