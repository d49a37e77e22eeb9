"""CondaInstallCase: the shared set-up of the tests that install bundles with conda packages into
prefixes (tests/install/test_conda_bundle.py, test_conda_update.py).

Once per class: the installer must be built and `unshare -n` must work (both fail the test, never
skip it); a temp dir `cls.tmp` and a short `cls.root` under /tmp for the prefixes (the python
package's RUNPATH placeholder is its build prefix, so prefixes must be short); the CPython 3.12
the `python` package is made from (`cls.python_exe`; a machine without one skips, saying how to
get it); and the class's conda packages, made by conda-package-handling into `cls.channel`
(`cls.packages`; `cls.built`: package stem -> file). `run_install` runs `airlock-install install BUNDLE --prefix`
inside `unshare -n` with pip's variables poisoned (airlock_testing.offline).
"""

import shutil
import tempfile
import unittest
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from airlock_testing import conda, programs, pythons
from airlock_testing.offline import installer_env, require_unshare


class CondaInstallCase(unittest.TestCase):
    TEMP_PREFIX = "airlock-conda-"  # the temp dir's name
    ROOT_PREFIX = "ac"  # the short prefix root's name under /tmp

    pub: Path  # the bundle signer's public key (the subclass sets it)
    tmp: programs.TempDir
    root: Path
    python_exe: Path
    channel: Path
    packages: List[conda.Package]  # as conda_packages() listed them
    built: Dict[str, Path]  # package stem -> the built file in `channel`

    @classmethod
    def conda_packages(cls, work: Path, python_exe: Path) -> Sequence[Tuple[conda.Package, str]]:
        """The packages to build, each with its format (".conda" or ".tar.bz2")."""
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        programs.airlock_install()
        require_unshare()
        exe = pythons.find_python("3.12")
        if exe is None:
            raise unittest.SkipTest("no CPython 3.12 on PATH or in pyenv to make the conda python package from: "
                                    "install one (`pyenv install 3.12`) to run this test")
        cls.python_exe = exe
        cls.tmp = programs.TempDir(cls.TEMP_PREFIX)
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.root = Path(tempfile.mkdtemp(prefix=cls.ROOT_PREFIX, dir="/tmp"))
        cls.addClassCleanup(shutil.rmtree, cls.root, True)
        work = cls.tmp.path
        jobs: List[Tuple[conda.Package, str]] = list(cls.conda_packages(work, exe))
        cls.channel = work / "channel"
        build = work / "build"
        build.mkdir()
        conda.build_packages([(p, fmt, cls.channel) for p, fmt in jobs], build)
        cls.packages = [p for p, _ in jobs]
        cls.built = {p.stem: cls.channel / (p.stem + fmt) for p, fmt in jobs}

    def run_install(self, bundle: Path, prefix: Path, *extra, path_env=None):
        """`airlock-install install BUNDLE --key PUB --prefix PREFIX EXTRA...` with no network;
        (exit code, stdout, stderr). `path_env` replaces PATH (unshare is found before)."""
        cmd = [shutil.which("unshare"), "-n", programs.airlock_install(), "install", bundle, "--key", self.pub, "--prefix", prefix]
        env = installer_env(self.tmp.path / ("state-" + prefix.name))
        if path_env is not None:
            env["PATH"] = path_env
        return programs.run(cmd + list(extra), env=env, timeout=600)
