"""The static installer (build/bin/airlock-install-static, shipped as airlock-install) carries
everything it needs: `file` and `ldd` say so, it contains no network code, and `verify`, `list`
and `export` of a real signed bundle work in an empty chroot holding only the binary, the bundle
and the key, with no network.

`install` in a minimal Debian root with a Python (debootstrap --variant=minbase, about a minute
the first time and then cached in $AIRLOCK_DEBOOTSTRAP_CACHE, default
/var/cache/airlock-tests/debootstrap) runs only with AIRLOCK_TEST_DEBOOTSTRAP=1: it needs the
Debian mirror apt is configured with, which CI does not have.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "install"))

from airlock_testing import programs  # noqa: E402

import bundlemaker as bm  # noqa: E402
from install_support import host_target, small_wheels  # noqa: E402

CURL_SYMBOLS = re.compile(r"\b[Cc]url_\w+")
# What airlock's own objects must never call. (Debian's libcrypto.a brings BIO sockets and an
# HTTP client along with the hashes and Ed25519, as libcrypto.so does for the dynamic installer;
# nothing in airlock reaches them.)
SOCKET_API = {"socket", "connect", "getaddrinfo", "gethostbyname", "BIO_new_connect", "BIO_socket",
              "OSSL_HTTP_get", "OSSL_HTTP_transfer", "BIO_lookup_ex"}


def static_installer() -> Path:
    p = programs.bin_dir() / "airlock-install-static"
    if not p.exists():
        raise unittest.SkipTest(
            "%s not built (the sanitizer build and -DAIRLOCK_STATIC_INSTALLER=OFF have none)" % p)
    return p


def can_chroot() -> str:
    """Empty when this process may chroot (root, or user namespaces for `unshare -r`)."""
    if os.geteuid() == 0:
        return ""
    r = subprocess.run(["unshare", "-r", "true"], capture_output=True, text=True)
    return "" if r.returncode == 0 else "neither root nor user namespaces: " + r.stderr.strip()


def in_chroot(root: Path, *args, timeout=120):
    """Runs ARGS inside ROOT with no network (and as mapped root when not root)."""
    chroot = shutil.which("chroot") or "/usr/sbin/chroot"
    cmd = ["unshare", "-n"] + ([] if os.geteuid() == 0 else ["-r"]) + [chroot, str(root)] + [str(a) for a in args]
    return programs.run(cmd, env={"PATH": "/usr/bin:/bin"}, timeout=timeout)


class StaticInstallerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.exe = static_installer()
        cls.work = programs.TempDir(prefix="airlock-static-")
        cls.tmp = cls.work.path
        cls.wheels = small_wheels(cls.tmp / "w")
        cls.pub, cls.sec = bm.keypair(cls.tmp)
        cls.bundle = bm.make_bundle(cls.tmp / "lab.bundle", {host_target("3.11"): [cls.wheels["alpha"], cls.wheels["beta"]]},
                                    secret_key=cls.sec, name="lab")

    @classmethod
    def tearDownClass(cls):
        cls.work.cleanup()

    def test_file_and_ldd_say_static(self):
        out = subprocess.run([programs.require_tool("file", "file"), "-L", str(self.exe)], capture_output=True, text=True, check=True).stdout
        self.assertIn("statically linked", out)
        r = subprocess.run(["ldd", str(self.exe)], capture_output=True, text=True)
        self.assertIn("not a dynamic executable", r.stdout + r.stderr)
        out = subprocess.run(["readelf", "-l", str(self.exe)], capture_output=True, text=True, check=True).stdout
        self.assertNotIn("INTERP", out)

    def test_no_network_code(self):
        out = subprocess.run(["nm", str(self.exe)], capture_output=True, text=True, check=True).stdout
        self.assertTrue(out.strip(), "nm found no symbols: the test needs an unstripped binary")
        self.assertEqual(sorted(set(CURL_SYMBOLS.findall(out))), [], "libcurl in the static installer")
        # airlock's own objects linked into it (from the linker's map) call no socket API.
        linked = self.exe.parent.parent / "airlock-install-static.map"
        own = sorted({linked.parent / p for p in re.findall(r"^(\S*libairlock_\w+\.a)\(", linked.read_text(), re.M)})
        self.assertGreater(len(own), 5, "no airlock libraries found in %s" % linked)
        for lib in own:
            undefined = subprocess.run(["nm", "-u", lib], capture_output=True, text=True, check=True).stdout
            called = {line.split()[-1] for line in undefined.splitlines() if line.strip() and not line.endswith(":")}
            self.assertEqual(sorted(called & SOCKET_API), [], lib)

    def test_version_and_help(self):
        code, out, err = programs.run([self.exe, "--version"], timeout=30)
        self.assertEqual((code, err), (0, ""))
        self.assertRegex(out, r"^airlock-install \d+\.\d+\.\d+")

    def test_verify_list_export_in_an_empty_chroot(self):
        why = can_chroot()
        if why:
            self.skipTest(why)
        root = self.tmp / "root"
        root.mkdir()
        shutil.copy2(self.exe, root / "airlock-install")
        shutil.copy2(self.bundle, root / "lab.bundle")
        shutil.copy2(self.pub, root / "site.pub")
        self.assertEqual(sorted(p.name for p in root.iterdir()), ["airlock-install", "lab.bundle", "site.pub"])

        code, out, err = in_chroot(root, "/airlock-install", "verify", "/lab.bundle", "--key", "/site.pub")
        self.assertEqual(code, 0, out + err)
        code, out, err = in_chroot(root, "/airlock-install", "list", "/lab.bundle", "--key", "/site.pub")
        self.assertEqual(code, 0, out + err)
        self.assertIn("alpha", out)
        self.assertIn("linux-py311", out)
        code, out, err = in_chroot(root, "/airlock-install", "export", "/lab.bundle", "--key", "/site.pub", "--to", "/site")
        self.assertEqual(code, 0, out + err)
        self.assertTrue((root / "site/simple/alpha/index.html").is_file())
        self.assertTrue((root / "site/files" / self.wheels["beta"].name).is_file())
        # A wrong key is refused there too (the error path works without locale or NSS files).
        (self.tmp / "other").mkdir(exist_ok=True)
        other_pub, _ = bm.keypair(self.tmp / "other")
        shutil.copy2(other_pub, root / "other.pub")
        code, out, err = in_chroot(root, "/airlock-install", "verify", "/lab.bundle", "--key", "/other.pub")
        self.assertEqual(code, 1, out + err)
        self.assertIn("error:", err)

    def test_install_in_a_minimal_debian_root(self):
        if os.environ.get("AIRLOCK_TEST_DEBOOTSTRAP") != "1":
            self.skipTest("set AIRLOCK_TEST_DEBOOTSTRAP=1 to install in a debootstrap'ed minimal Debian "
                          "(needs debootstrap and the Debian mirror; cached after the first run)")
        why = can_chroot()
        if why or os.geteuid() != 0:
            self.skipTest(why or "debootstrap needs root")
        root = minimal_debian()
        work = Path(tempfile.mkdtemp(prefix="airlock-", dir=root / "tmp"))
        self.addCleanup(shutil.rmtree, work, True)
        inside = "/tmp/" + work.name
        shutil.copy2(self.exe, work / "airlock-install")
        shutil.copy2(self.bundle, work / "lab.bundle")
        shutil.copy2(self.pub, work / "site.pub")
        code, out, err = in_chroot(root, inside + "/airlock-install", "install", inside + "/lab.bundle", "--key",
                                   inside + "/site.pub", "--venv", inside + "/venv", "--python", "/usr/bin/python3",
                                   timeout=600)
        self.assertEqual(code, 0, out + err)
        self.assertIn("target linux-py311", out)
        code, out, err = in_chroot(root, inside + "/venv/bin/python", "-c", "import alpha, beta; print('ok')")
        self.assertEqual((code, out.strip()), (0, "ok"), err)


def minimal_debian() -> Path:
    """A Debian 12 minbase root with python3 and python3-venv, made once and cached."""
    cache = Path(os.environ.get("AIRLOCK_DEBOOTSTRAP_CACHE", "/var/cache/airlock-tests/debootstrap"))
    root = cache / "bookworm-minbase-python3"
    if (root / ".airlock-complete").exists():
        return root
    debootstrap = shutil.which("debootstrap") or ("/usr/sbin/debootstrap" if Path("/usr/sbin/debootstrap").exists() else None)
    if debootstrap is None:
        raise unittest.SkipTest("debootstrap is not installed (apt-get install debootstrap)")
    mirror = os.environ.get("AIRLOCK_DEBIAN_MIRROR", "http://deb.debian.org/debian")
    shutil.rmtree(root, ignore_errors=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([debootstrap, "--variant=minbase", "--include=python3,python3-venv", "bookworm", str(root), mirror],
                       capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise unittest.SkipTest("debootstrap could not reach %s: %s" % (mirror, (r.stderr or r.stdout).strip()[-300:]))
    (root / ".airlock-complete").write_text("ok\n")
    return root


if __name__ == "__main__":
    unittest.main(verbosity=2)
