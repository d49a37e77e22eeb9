"""Virtual environments and a pip that ignores this machine's configuration.

This machine (and many CI hosts) sets PIP_FIND_LINKS, PIP_CERT, PIP_INDEX_URL, ...: a test's pip
must see none of them, or it silently installs from somewhere else. clean_env() drops every PIP_*
variable plus PYTHONPATH/PYTHONHOME/VIRTUAL_ENV (and points PIP_CONFIG_FILE and NETRC at
os.devnull, so neither pip nor airlock-build reads this machine's pip.conf or .netrc); pip() also passes --isolated (no config files).
"""

import json
import os
import subprocess
from pathlib import Path
from typing import Dict, Mapping, Optional, Sequence, Union

PathLike = Union[str, Path]

_DROP = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONUSERBASE", "CONDA_PREFIX")


def clean_env(extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """os.environ without PIP_*, PYTHONPATH, PYTHONHOME, VIRTUAL_ENV (use for every subprocess
    that may run pip or Python), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k not in _DROP}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    # No pip configuration file (pip's own rule for os.devnull) and no ~/.netrc: airlock-build
    # reads both (tests of that set their own files).
    env["PIP_CONFIG_FILE"] = os.devnull
    env["NETRC"] = os.devnull
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if extra:
        env.update(extra)
    return env


def venv_python(venv: PathLike) -> Path:
    return Path(venv) / "bin" / "python"


def make_venv(python: PathLike, path: PathLike, *, with_pip: bool = True) -> Path:
    """`python -m venv path` (with pip unless told otherwise); returns the venv directory."""
    path = Path(path)
    args = [str(python), "-m", "venv"]
    if not with_pip:
        args.append("--without-pip")
    r = subprocess.run(args + [str(path)], capture_output=True, text=True, env=clean_env(), timeout=300)
    if r.returncode != 0:
        raise RuntimeError("cannot create a venv at %s with %s:\n%s%s" % (path, python, r.stdout, r.stderr))
    return path


def pip(
    venv: PathLike, *args: str, check: bool = True, timeout: float = 600, env: Optional[Mapping[str, str]] = None
) -> subprocess.CompletedProcess:
    """Run the venv's pip, isolated from the host's pip configuration. Raises on failure when `check`."""
    cmd = [str(venv_python(venv)), "-m", "pip", "--isolated", "--disable-pip-version-check", "--no-input"]
    cmd += [str(a) for a in args]
    r = subprocess.run(cmd, capture_output=True, text=True, env=clean_env(env), timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError("pip failed (exit %d): %s\n--- stdout\n%s--- stderr\n%s" % (r.returncode, " ".join(cmd), r.stdout, r.stderr))
    return r


def installed(venv: PathLike, *, exclude: Sequence[str] = ()) -> Dict[str, str]:
    """{normalized name: version} of every distribution in the venv (pip included unless excluded).

    Reads importlib.metadata inside the venv, so it also works for venvs made without pip.
    """
    code = (
        "import json, re\n"
        "from importlib import metadata\n"
        "out = {}\n"
        "for d in metadata.distributions():\n"
        "    n = d.metadata['Name']\n"
        "    if n: out[re.sub(r'[-_.]+', '-', n).lower()] = d.version\n"
        "print(json.dumps(out, sort_keys=True))\n"
    )
    r = subprocess.run([str(venv_python(venv)), "-I", "-c", code], capture_output=True, text=True, env=clean_env(), timeout=120)
    if r.returncode != 0:
        raise RuntimeError("cannot list %s: %s" % (venv, r.stderr))
    out = json.loads(r.stdout)
    drop = {x.lower() for x in exclude}
    return {k: v for k, v in sorted(out.items()) if k not in drop}
