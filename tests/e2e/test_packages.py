"""`cpack -G DEB` makes two packages: airlock-build (with the Debian libraries it needs as
Depends) and airlock-install (the static installer, no Depends), each with its man page and
bash/zsh completions. Unpacked into a throwaway root, both programs answer --version from there.

Runs in the plain build only (the sanitizer build has no static installer to package).
"""

import gzip
import shutil
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import programs  # noqa: E402

PROGRAMS = ("airlock-build", "airlock-install")


def deb_field(deb: Path, field: str) -> str:
    r = subprocess.run(["dpkg-deb", "-f", str(deb), field], capture_output=True, text=True, check=True)
    return r.stdout.strip()


class PackagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        build = programs.bin_dir().parent
        if not (programs.bin_dir() / "airlock-install-static").exists():
            raise unittest.SkipTest("no static installer in %s: packages are checked in the plain build" % build)
        for tool, package in (("cpack", "cmake"), ("dpkg-deb", "dpkg"), ("dpkg", "dpkg")):
            programs.require_tool(tool, package)
        cls.work = programs.TempDir(prefix="airlock-debs-")
        out = cls.work.path / "debs"
        r = subprocess.run(["cpack", "-G", "DEB", "-B", str(out), "--config", str(build / "CPackConfig.cmake")],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise AssertionError("cpack failed:\n%s%s" % (r.stdout, r.stderr))
        cls.debs = {}
        for deb in out.glob("*.deb"):
            cls.debs[deb_field(deb, "Package")] = deb
        cls.root = cls.work.path / "root"
        for deb in cls.debs.values():
            subprocess.run(["dpkg", "-x", str(deb), str(cls.root)], check=True)

    @classmethod
    def tearDownClass(cls):
        cls.work.cleanup()

    def test_each_package_lists_program_man_page_and_completions(self):
        self.assertEqual(sorted(self.debs), sorted(PROGRAMS))
        for name, deb in self.debs.items():
            listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
            for path in ("./usr/bin/%s" % name, "./usr/share/man/man1/%s.1.gz" % name,
                         "./usr/share/bash-completion/completions/%s" % name,
                         "./usr/share/zsh/vendor-completions/_%s" % name):
                self.assertIn(" %s\n" % path, listing, name)

    def test_depends(self):
        self.assertEqual(deb_field(self.debs["airlock-install"], "Depends"), "")
        depends = deb_field(self.debs["airlock-build"], "Depends")
        self.assertIn("libcurl", depends)
        self.assertNotIn("libarchive", depends)

    def test_programs_run_from_the_unpacked_root(self):
        for name in PROGRAMS:
            code, out, err = programs.run([self.root / "usr/bin" / name, "--version"], timeout=30)
            self.assertEqual((code, err), (0, ""), name)
            self.assertRegex(out, r"^%s \d+\.\d+\.\d+" % name)
        out = subprocess.run([programs.require_tool("file", "file"), "-L", str(self.root / "usr/bin/airlock-install")],
                             capture_output=True, text=True, check=True).stdout
        self.assertIn("statically linked", out)

    def test_man_pages_and_completions_describe_the_subcommands(self):
        page = gzip.decompress((self.root / "usr/share/man/man1/airlock-install.1.gz").read_bytes()).decode()
        self.assertIn(".SH SUBCOMMANDS", page)
        self.assertIn(".SS export", page)
        script = self.root / "usr/share/bash-completion/completions/airlock-install"
        words = {"1": "airlock-install ver", "2": "airlock-install install --ve"}
        got = {}
        for cword, line in words.items():
            r = subprocess.run(["bash", "-c", 'source "$0"; COMP_WORDS=($1); COMP_CWORD=$2; _airlock_install; echo "${COMPREPLY[*]}"',
                                str(script), line, cword], capture_output=True, text=True, check=True)
            got[cword] = r.stdout.strip()
        self.assertEqual(got, {"1": "verify", "2": "--venv"})
        zsh = (self.root / "usr/share/zsh/vendor-completions/_airlock-build").read_text()
        self.assertTrue(zsh.startswith("#compdef airlock-build\n"))
        self.assertIn("build) opts=(", zsh)
        self.assertIn("--output", zsh)


if __name__ == "__main__":
    unittest.main(verbosity=2)
