"""Tampered and malicious bundles: each is refused with a clear message, nothing is written
outside the temporary area, and a venv the installer was going to create does not exist after."""

import os
import unittest
from pathlib import Path

from airlock_testing import pythons

import bundlemaker as bm
from install_support import InstallerTestCase, host_target, leftovers, run_install, small_wheels


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def entry(entries, path):
    return next(e for e in entries if e.path == path)


class TamperTest(InstallerTestCase):
    def setUp(self):
        super().setUp()
        self.python = pythons.require_python(self, "3.12")
        self.wheels = small_wheels(self.tmp / "w")
        self.pub, self.sec = bm.keypair(self.tmp)
        self.target = host_target("3.12")
        self.dest = self.tmp / "dest"
        self.dest.mkdir()
        self.venv = self.dest / "venv"

    def bundle(self, name="b.bundle", **kw):
        kw.setdefault("secret_key", self.sec)
        return bm.make_bundle(self.tmp / name, {self.target: [self.wheels["alpha"], self.wheels["beta"]]}, **kw)

    def refused(self, bundle: Path, *needles: str, key=None, extra_args=()):
        """Install must fail with exit 1, say each needle, and leave nothing behind."""
        args = ["install", bundle, "--key", key or self.pub, "--venv", self.venv, "--python", self.python]
        code, out, err = run_install(args + list(extra_args), self.state)
        self.assertEqual(code, 1, "expected a refusal (exit 1):\n%s\n%s" % (out, err))
        for n in needles:
            self.assertInOutput(n, err)
        self.assertFalse(self.venv.exists(), "the venv the installer created must be removed")
        self.assertEqual(leftovers(self.dest), [], "temporary trees left behind")
        self.assertEqual(sorted(os.listdir(self.dest)), [], "nothing may be written in the destination")
        self.assertFalse((self.state / "state.toml").exists(), "no install may be recorded")
        return err

    def verify_fails(self, bundle: Path, *needles: str, key=None):
        code, out, err = run_install(["verify", bundle, "--key", key or self.pub], self.state, offline=False)
        self.assertEqual(code, 1, out + err)
        for n in needles:
            self.assertInOutput(n, err)
        return err

    # ------------------------------------------------------------------ the cases of issue 6
    def test_flipped_byte_in_a_wheel(self):
        def attack(entries):
            e = entry(entries, "wheels/" + self.wheels["beta"].name)
            e.data, e.source = flip(e.source.read_bytes(), 5000), None

        b = self.bundle(tamper_after_sign=attack)
        self.refused(b, "wheels/" + self.wheels["beta"].name, "wrong sha256", "expected ", "computed ")
        self.verify_fails(b, "wrong sha256")

    def test_flipped_byte_in_the_manifest(self):
        def attack(entries):
            e = entry(entries, "airlock/manifest.toml")
            e.data = e.data.replace(b'version = "1.0.0"', b'version = "1.0.1"')

        self.refused(self.bundle(tamper_after_sign=attack), "signature")

    def test_flipped_byte_in_the_signature(self):
        def attack(entries):
            e = entry(entries, "airlock/manifest.toml.minisig")
            lines = e.data.split(b"\n")
            sig = bytearray(lines[1])
            sig[20] = ord("A") if sig[20] != ord("A") else ord("B")
            lines[1] = bytes(sig)
            e.data = b"\n".join(lines)

        self.refused(self.bundle(tamper_after_sign=attack), "signature")

    def test_truncated_bundle(self):
        b = self.bundle()
        data = b.read_bytes()
        b.write_bytes(data[: len(data) * 2 // 3])
        self.refused(b, "damaged")

    def test_extra_file(self):
        def attack(entries):
            entries.append(bm.Entry("wheels/evil-6.6-py3-none-any.whl", b"PK not really"))

        b = self.bundle(tamper_after_sign=attack)
        self.refused(b, "wheels/evil-6.6-py3-none-any.whl", "not listed in the manifest")

    def test_every_problem_is_reported(self):
        def attack(entries):
            entries.append(bm.Entry("wheels/evil-6.6-py3-none-any.whl", b"PK"))
            e = entry(entries, "wheels/" + self.wheels["alpha"].name)
            e.data, e.source = flip(e.source.read_bytes(), 100), None
            entries.remove(entry(entries, "wheels/" + self.wheels["beta"].name))

        err = self.verify_fails(self.bundle(tamper_after_sign=attack), "3 problems", "not listed in the manifest",
                                "wrong sha256", "missing from the bundle")
        self.assertIn(self.wheels["beta"].name, err)

    def test_wrong_key(self):
        other_pub, _ = bm.keypair(self.tmp, "other")
        err = self.refused(self.bundle(), "signature", key=other_pub)
        self.assertRegex(err, r"[0-9A-F]{16}")  # names the key ids involved

    def test_unsigned_bundle(self):
        b = self.bundle(secret_key=None)
        self.refused(b, "not signed", "--allow-unsigned")
        code, out, err = run_install(["verify", b, "--allow-unsigned"], self.state, offline=False)
        self.assertEqual(code, 0, err)
        self.assertInOutput("UNSIGNED", out)

    def test_signature_stripped(self):
        def attack(entries):
            entries.remove(entry(entries, "airlock/manifest.toml.minisig"))

        self.refused(self.bundle(tamper_after_sign=attack), "marked signed", extra_args=["--allow-unsigned"])

    def test_dot_dot_escape(self):
        target = self.tmp / "escaped.txt"

        def attack(entries):
            entries.insert(3, bm.Entry("../escaped.txt", b"owned"))
            entries.insert(3, bm.Entry("wheels/../../../escaped.txt", b"owned"))

        self.refused(self.bundle(tamper_after_sign=attack), "../escaped.txt", "unsafe path")
        self.assertFalse(target.exists())
        self.assertFalse((self.dest.parent / "escaped.txt").exists())

    def test_absolute_path(self):
        target = self.tmp / "absolute.txt"

        def attack(entries):
            entries.insert(3, bm.Entry(str(target), b"owned"))

        self.refused(self.bundle(tamper_after_sign=attack), "unsafe path")
        self.assertFalse(target.exists())

    def test_symlink_escape(self):
        outside = self.tmp / "outside"
        outside.mkdir()

        def attack(entries):
            # A link out of the tree, then a file written "through" it, then a hard link.
            entries.insert(3, bm.Entry("wheels/link", kind="symlink", link=str(outside)))
            entries.insert(4, bm.Entry("wheels/link/pwned.txt", b"owned"))
            entries.insert(5, bm.Entry("wheels/hard", kind="hardlink", link="/etc/passwd"))

        err = self.refused(self.bundle(tamper_after_sign=attack), "symlink", "unsafe entry type")
        self.assertInOutput("hardlink", err)
        self.assertEqual(list(outside.iterdir()), [])

    def test_consistent_but_unsafe_manifest_is_refused_before_unpacking(self):
        # A signer-approved manifest listing a path outside the tree is rejected at parse time.
        def unsafe(manifest, payload):
            manifest.files.append({"path": "../x", "size": 1, "sha256": "0" * 64})

        self.refused(self.bundle(tamper=unsafe), "path `../x` is not allowed")

    # --------------------------------------------------------- a failing pip removes the venv
    def test_pip_failure_removes_the_created_venv(self):
        # Signed and intact, but alpha's dependency beta is not in the bundle: pip refuses.
        b = bm.make_bundle(self.tmp / "incomplete.bundle", {self.target: [self.wheels["alpha"]]}, secret_key=self.sec)
        err = self.refused(b, "pip failed", "venv created for this install was removed")
        self.assertIn("beta", err)


if __name__ == "__main__":
    unittest.main()
