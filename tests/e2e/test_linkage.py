"""airlock-install cannot reach a network: libcurl is not among its NEEDED libraries.

A security reviewer checks this with `ldd`/`readelf -d`; so does this test. airlock-build, the
connected side, does link libcurl, but not libarchive (it writes tars itself). Both programs answer
--version and --help.
"""

import re
import shutil
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import programs  # noqa: E402

NETWORK_LIBS = re.compile(r"lib(curl|ssh2?|nghttp2|nghttp3|ngtcp2|psl|idn2|ldap|rtmp|gssapi_krb5|brotlidec)\b")


def needed(binary: Path):
    readelf = programs.require_tool("readelf", "binutils")
    out = subprocess.run([readelf, "-d", str(binary)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def ldd(binary: Path):
    """Every library the loader would map (transitively)."""
    r = subprocess.run([programs.require_tool("ldd", "libc-bin"), str(binary)], capture_output=True, text=True)
    assert r.returncode == 0, "ldd %s: %s" % (binary, r.stderr)
    return [line.split()[0] for line in r.stdout.splitlines() if line.strip()]


class LinkageTest(unittest.TestCase):
    def test_installer_does_not_link_libcurl(self):
        libs = needed(programs.airlock_install())
        self.assertTrue(libs, "readelf found no NEEDED entries: is airlock-install dynamically linked?")
        self.assertEqual([lib for lib in libs if NETWORK_LIBS.search(lib)], [], "airlock-install NEEDED: %s" % libs)

    def test_installer_does_not_load_libcurl_transitively(self):
        libs = ldd(programs.airlock_install())
        self.assertEqual([lib for lib in libs if "libcurl" in lib], [], "ldd airlock-install: %s" % libs)

    def test_builder_links_libcurl(self):
        libs = needed(programs.airlock_build())
        self.assertTrue(any(lib.startswith("libcurl") for lib in libs), "airlock-build NEEDED: %s" % libs)

    def test_builder_does_not_load_libarchive(self):
        # airlock-build writes its tars itself; loading libarchive and its dozen libraries would
        # cost every command (a warm `lock` included) more than a millisecond at start.
        libs = needed(programs.airlock_build())
        self.assertEqual([lib for lib in libs if "libarchive" in lib], [], "airlock-build NEEDED: %s" % libs)

    def test_version_and_help_work_on_both(self):
        for name, exe in (("airlock-build", programs.airlock_build()), ("airlock-install", programs.airlock_install())):
            code, out, err = programs.run([exe, "--version"], timeout=30)
            self.assertEqual((code, err), (0, ""), name)
            self.assertRegex(out, r"^%s \d+\.\d+\.\d+" % name)
            code, out, err = programs.run([exe, "--help"], timeout=30)
            self.assertEqual((code, err), (0, ""), name)
            self.assertIn("Usage: %s" % name, out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
