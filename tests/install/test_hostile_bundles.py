"""Bundles an attacker (or a dishonest build machine) could hand the offline side: hostile names
signed with the real key, bytes before the signature is checked, a manifest-size bomb, legacy
signatures, data after the end of the archive, an extra part, a malformed pax header. Each is
refused with exit 1 and a specific message; nothing is written outside the temporary area and
nothing raw reaches the terminal."""

import os
import re
import shutil
import subprocess
import sys
import tarfile
import unittest
from pathlib import Path

from airlock_testing import programs, pythons

import bundlemaker as bm
from install_support import host_target, installer_env, leftovers, small_wheels

# Bytes a terminal acts on; \n is the only control byte our output may hold (and \t in excerpts).
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


class HostileBundleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.exe = programs.airlock_install()
        cls.shared_dir = programs.TempDir(prefix="airlock-hostile-")
        shared = cls.shared_dir.path
        cls.wheels = small_wheels(shared / "w")
        cls.pub, cls.sec = bm.keypair(shared)
        cls.target = host_target("3.12")
        # With a matching interpreter an install gets as far as unpacking (where a hostile name
        # would have escaped); without one it still must refuse the bundle first.
        cls.python = pythons.find_python("3.12") or sys.executable

    @classmethod
    def tearDownClass(cls):
        cls.shared_dir.cleanup()

    def setUp(self):
        self.tmp_dir = programs.TempDir(prefix="airlock-hostile-case-")
        self.addCleanup(self.tmp_dir.cleanup)
        self.tmp = self.tmp_dir.path
        self.state = self.tmp / "state"
        self.dest = self.tmp / "dest"
        self.dest.mkdir()

    # ------------------------------------------------------------------------------ helpers
    def bundle(self, file_name="b.bundle", **kw):
        kw.setdefault("secret_key", self.sec)
        wheels = [self.wheels["alpha"], self.wheels["beta"]]
        return bm.make_bundle(self.tmp / file_name, {self.target: wheels}, **kw)

    def run_raw(self, *args, timeout=120):
        """airlock-install ARGS; (code, stdout, stderr) as bytes."""
        r = subprocess.run([str(self.exe)] + [str(a) for a in args], capture_output=True,
                           env=installer_env(self.state), timeout=timeout, stdin=subprocess.DEVNULL)
        return r.returncode, r.stdout, r.stderr

    def refused(self, args, *needles):
        """Exit 1, each needle in stderr, no raw control byte on the terminal, no state."""
        code, out, err = self.run_raw(*args)
        text = err.decode("utf-8", "replace")
        self.assertEqual(code, 1, "expected a refusal (exit 1):\n%r\n%r" % (out, err))
        for n in needles:
            self.assertIn(n, text, "expected %r in:\n%s" % (n, text))
        for stream in (out, err):
            self.assertIsNone(RAW_CONTROL.search(stream), "raw control bytes printed: %r" % stream)
        self.assertFalse((self.state / "state.toml").exists(), "no install may be recorded")
        return text

    def refused_everywhere(self, bundle, *needles, listing=True):
        """verify, list (with and without a key), install and export all refuse; nothing is left
        in or beside the destination."""
        venv = self.dest / "venv"
        out_dir = self.dest / "export"
        self.refused(["verify", bundle, "--key", self.pub], *needles)
        if listing:
            self.refused(["list", bundle, "--key", self.pub], *needles)
            self.refused(["list", bundle], *needles)
        self.refused(["install", bundle, "--key", self.pub, "--venv", venv, "--python", self.python], *needles)
        self.refused(["export", bundle, "--key", self.pub, "--to", out_dir], *needles)
        self.assertEqual(sorted(os.listdir(self.dest)), [])
        self.assertEqual(leftovers(self.tmp), [])

    def outside(self):
        """Everything under the test's temp dir except what the test itself made."""
        return sorted(str(p.relative_to(self.tmp)) for p in self.tmp.rglob("*")
                      if not p.name.endswith((".bundle", ".pub", ".key")) and p.name not in ("dest", "state"))

    # ------------------------------------------------------------- 1. hostile, signed names
    def test_bundle_name_climbing_out(self):
        # A directory of a matching name exists, so `.airlock-x/../../` would resolve.
        (self.dest / ".airlock-x").mkdir()
        b = self.bundle(name="x/../../escaped")
        self.refused(["install", b, "--key", self.pub, "--venv", self.dest / "venv", "--python", self.python],
                     "bundle name", "x/../../escaped")
        (self.dest / ".airlock-x").rmdir()
        self.refused_everywhere(b, "bundle name")
        self.assertEqual(self.outside(), [])

    def test_bundle_name_with_control_characters(self):
        b = self.bundle(name="lab\x1b]0;owned\x07")
        err = self.refused_everywhere(b, "bundle name", "lab\\x1b]0;owned\\x07")
        # The anti-rollback state stays usable: a later good install is not blocked by a damaged file.
        self.assertFalse(self.state.exists() and any(self.state.iterdir()))

    def test_package_name_that_is_an_absolute_path(self):
        target = self.tmp / "owned"

        def hostile(manifest, payload):
            for f in manifest.files:
                if f.get("package") == "alpha":
                    f["package"] = str(target)

        b = self.bundle(tamper=hostile)
        self.refused_everywhere(b, "package name", str(target))
        self.assertFalse(target.exists(), "export wrote outside --to")

    def test_target_name_and_version_and_path(self):
        def bad_target(manifest, payload):
            manifest.targets[0] = bm.BundleTarget("../t", "3.12", "manylinux_2_17_x86_64")
            for f in manifest.files:
                f["targets"] = ["../t"] if f.get("targets") else []

        self.refused_everywhere(self.bundle("t.bundle", tamper=bad_target), "target name", "../t")

        def bad_version(manifest, payload):
            for f in manifest.files:
                if f.get("package") == "beta":
                    f["version"] = "2.0/../../x"

        self.refused_everywhere(self.bundle("v.bundle", tamper=bad_version), "version", "2.0/../../x")

        def bad_path(manifest, payload):
            e = payload[-1]
            f = next(f for f in manifest.files if f["path"] == e.path)
            e.path = f["path"] = "wheels/\x1b[2Jx.whl"

        self.refused_everywhere(self.bundle("p.bundle", tamper=bad_path), "path", "\\x1b[2Jx.whl")

    def test_unsigned_bundles_pass_the_same_grammar(self):
        b = self.bundle(name="x/../y", secret_key=None)
        self.refused(["verify", b, "--allow-unsigned"], "bundle name")
        self.refused(["install", b, "--allow-unsigned", "--venv", self.dest / "venv", "--python", self.python],
                     "bundle name")
        self.assertEqual(sorted(os.listdir(self.dest)), [])

    # ------------------------------------------------ 2. nothing raw, even before the signature
    def test_names_are_escaped_before_the_signature_is_checked(self):
        def first_entry(entries):
            entries.insert(0, bm.Entry("\x1b[31mred\x07", b"x"))

        self.refused(["verify", self.bundle(tamper_after_sign=first_entry), "--key", self.pub],
                     "not an airlock bundle", "\\x1b[31mred\\x07")

        def extra(entries):
            entries.append(bm.Entry("wheels/\x1b]0;title\x07.whl", b"PK"))
            entries.append(bm.Entry("wheels/bad-\xff-utf8.whl".encode("latin-1").decode("utf-8", "surrogateescape"),
                                    b"PK"))

        err = self.refused(["verify", self.bundle("e.bundle", tamper_after_sign=extra), "--key", self.pub],
                           "unsafe path", "\\x1b]0;title\\x07")
        self.assertIn("\\xff", err)

    # ------------------------------------------------------------------- 3. order of trust
    def test_manifest_size_bomb_is_refused_before_parsing(self):
        def bomb(entries):
            entries.remove(next(e for e in entries if e.path == "airlock/manifest.toml.minisig"))
            m = next(e for e in entries if e.path == "airlock/manifest.toml")
            m.data = m.data + b"# padding to make the manifest huge\n" * (63 * 1024 * 1024 // 36)

        b = self.bundle(tamper_after_sign=bomb)
        probe = ("import resource, subprocess, sys, time\n"
                 "t = time.monotonic()\n"
                 "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
                 "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
                 " time.monotonic() - t)\n"
                 "sys.stderr.buffer.write(r.stderr)\n")

        def run(args):
            r = subprocess.run([sys.executable, "-c", probe, str(self.exe)] + [str(a) for a in args],
                               capture_output=True, env=installer_env(self.state), timeout=120)
            code, rss_kib, seconds = r.stdout.decode().split()
            return int(code), int(rss_kib), float(seconds), r.stderr.decode("utf-8", "replace")

        # What the program itself occupies (its mapped image: ~14 MB plain, ~115 MB under ASan
        # with debug info) is not what the bomb costs: the bound is on the growth above it.
        _, base_kib, _, _ = run(["--version"])
        for args in (["verify", b, "--allow-unsigned"], ["verify", b, "--key", self.pub],
                     ["install", b, "--allow-unsigned", "--venv", self.dest / "venv", "--python", self.python],
                     ["list", b]):
            code, rss_kib, seconds, err = run(args)
            self.assertEqual(code, 1, err)
            self.assertIn("more than the 16.0 MiB", err)
            self.assertLess(rss_kib - base_kib, 100 * 1024,
                            "peak RSS %d KiB, %d KiB for --version alone" % (rss_kib, base_kib))
            self.assertLess(seconds, 3.0)
        self.assertEqual(sorted(os.listdir(self.dest)), [])

    # --------------------------------------------------------------------- 4. archive edges
    def test_legacy_signature_is_refused(self):
        err = self.refused(["verify", self.bundle(legacy_signature=True), "--key", self.pub],
                           "legacy minisign `Ed` signature", "prehashed `ED`")
        self.assertIn("airlock-build build --key", err)

    def test_data_after_the_end_of_the_archive(self):
        good = self.bundle()
        end = good.stat().st_size
        # Zero padding (as tar's blocking adds) is fine.
        padded = self.tmp / "padded.bundle"
        padded.write_bytes(good.read_bytes() + bytes(10240))
        code, out, err = self.run_raw("verify", padded, "--key", self.pub)
        self.assertEqual(code, 0, err)
        # An entry appended after the end-of-archive marker, and plain garbage.
        other = bm.write_tar(self.tmp / "other.tar", [bm.Entry("wheels/evil-1.0-py3-none-any.whl", b"PK evil")])
        appended = self.tmp / "appended.bundle"
        appended.write_bytes(good.read_bytes() + other.read_bytes())
        err = self.refused(["verify", appended, "--key", self.pub], "after the end of the archive",
                           "offset %d" % end)
        garbage = self.tmp / "garbage.bundle"
        garbage.write_bytes(good.read_bytes() + bytes(100) + b"garbage")
        self.refused(["verify", garbage, "--key", self.pub], "offset %d" % (end + 100))
        # Compressed: garbage after the zstd frame is named as after the archive, not
        # blamed on the last entry.
        z = self.tmp / "z.bundle"
        subprocess.run([programs.require_tool("zstd", "zstd"), "-q", str(good), "-o", str(z)], check=True)
        code, out, err = self.run_raw("verify", z, "--key", self.pub)
        self.assertEqual(code, 0, err)
        z.write_bytes(z.read_bytes() + b"garbage")
        err = self.refused(["verify", z, "--key", self.pub], "after the end of the archive", "zstd")
        self.assertNotIn(self.wheels["beta"].name, err)
        if self.python != sys.executable:
            self.refused(["install", garbage, "--key", self.pub, "--venv", self.dest / "venv", "--python",
                          self.python], "after the end of the archive")
        self.assertEqual(sorted(os.listdir(self.dest)), [])

    def test_extra_part(self):
        data = self.bundle().read_bytes()
        base = self.tmp / "split.bundle"
        half = len(data) // 2
        Path(str(base) + ".part000").write_bytes(data[:half])
        Path(str(base) + ".part001").write_bytes(data[half:])
        code, out, err = self.run_raw("verify", Path(str(base) + ".part000"), "--key", self.pub)
        self.assertEqual(code, 0, err)
        # A stale third part, e.g. left from an earlier, bigger bundle of the same name.
        Path(str(base) + ".part002").write_bytes(data[half:])
        self.refused(["verify", Path(str(base) + ".part000"), "--key", self.pub], "split.bundle.part002",
                     "not part of this bundle")

    def test_malformed_pax_header(self):
        def pax(entries):
            e = next(x for x in entries if x.path.endswith(self.wheels["beta"].name))
            e.pax = {"comment": "MALFORMED-MARKER"}

        b = self.bundle(tamper_after_sign=pax)
        data = b.read_bytes()
        good = b"28 comment=MALFORMED-MARKER\n"  # the length counts the whole record
        self.assertTrue(good in data, "tarfile wrote the pax record differently")
        b.write_bytes(data.replace(good, b"99 comment=MALFORMED-MARKER\n"))
        self.refused(["verify", b, "--key", self.pub], "pax extended header", self.wheels["beta"].name)
        gnu = subprocess.run(["tar", "-tf", str(b)], capture_output=True, text=True)
        self.assertNotEqual(gnu.returncode, 0, "GNU tar fails on it too")


if __name__ == "__main__":
    unittest.main()
