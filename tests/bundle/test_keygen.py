"""`airlock-build keygen`: minisign-format key pairs that Debian's minisign signs and verifies with.

The bundle format itself (write, sign, read, tamper) is tested by the GoogleTest suites beside the
code: core/bundle/reader_test.cpp, core/bundle/minisign_test.cpp (against the minisign binary) and
builder/pack/pack_test.cpp (tar tf, minisign -V, sha256sum, byte-identical rebuilds, split parts).
"""

import os
import pty
import select
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from airlock_testing import programs


def env_without_password(**extra):
    env = {k: v for k, v in os.environ.items() if k != "AIRLOCK_KEY_PASSWORD"}
    env.update(extra)
    return env


def keygen(*args, env=None, stdin=subprocess.DEVNULL):
    r = subprocess.run([str(programs.airlock_build()), "keygen", *args], capture_output=True,
                       text=True, env=env if env is not None else env_without_password(),
                       stdin=stdin, timeout=120)
    return r.returncode, r.stdout, r.stderr


class Keygen(unittest.TestCase):
    def setUp(self):
        programs.require_tool("minisign", "minisign")
        self.dir = Path(tempfile.mkdtemp(prefix="airlock-keygen-"))
        self.addCleanup(shutil.rmtree, self.dir, True)
        (self.dir / "file").write_text("bundle manifest stand-in\n")

    def sign_and_verify(self, prefix, password=None):
        """minisign -S with our secret key, then minisign -V with our public key."""
        sig = self.dir / "file.minisig"
        if sig.exists():
            sig.unlink()
        s = subprocess.run(["minisign", "-S", "-s", str(prefix) + ".key", "-m", str(self.dir / "file")],
                           input=(password + "\n") if password else "", capture_output=True, text=True)
        if s.returncode != 0:
            return s.returncode, s.stderr
        v = subprocess.run(["minisign", "-V", "-p", str(prefix) + ".pub", "-m", str(self.dir / "file")],
                           capture_output=True, text=True)
        return v.returncode, v.stderr

    def test_no_password_key_works_with_minisign(self):
        prefix = self.dir / "release"
        code, out, err = keygen("--out", str(prefix), "--no-password")
        self.assertEqual(code, 0, err)
        key, pub = Path(str(prefix) + ".key"), Path(str(prefix) + ".pub")
        self.assertEqual(stat.S_IMODE(key.stat().st_mode), 0o600)
        key_id = re.search(r"key id:\s+([0-9A-F]{16})", out).group(1)
        self.assertEqual(pub.read_text().splitlines()[0], "untrusted comment: minisign public key " + key_id)
        self.assertIn(str(key), out)
        self.assertIn(str(pub), out)
        self.assertEqual(self.sign_and_verify(prefix)[0], 0)
        # No stray temporary files.
        self.assertEqual(sorted(p.name for p in self.dir.iterdir()), ["file", "file.minisig", "release.key", "release.pub"])

    def test_never_overwrites_without_force(self):
        prefix = self.dir / "k"
        self.assertEqual(keygen("--out", str(prefix), "--no-password")[0], 0)
        before = Path(str(prefix) + ".key").read_bytes()
        code, out, err = keygen("--out", str(prefix), "--no-password")
        self.assertEqual(code, 1)
        self.assertIn("already exists", err)
        self.assertIn("--force", err)
        self.assertEqual(Path(str(prefix) + ".key").read_bytes(), before)
        code, out, err = keygen("--out", str(prefix), "--no-password", "--force")
        self.assertEqual(code, 0, err)
        self.assertNotEqual(Path(str(prefix) + ".key").read_bytes(), before)

    def test_without_a_terminal_it_errors_instead_of_prompting(self):
        prefix = self.dir / "k"
        code, out, err = keygen("--out", str(prefix))
        self.assertEqual(code, 1)
        self.assertIn("no terminal", err)
        self.assertIn("AIRLOCK_KEY_PASSWORD", err)
        self.assertFalse(Path(str(prefix) + ".key").exists())
        self.assertFalse(Path(str(prefix) + ".pub").exists())

    def test_password_from_environment_protects_the_key(self):
        prefix = self.dir / "k"
        code, out, err = keygen("--out", str(prefix), env=env_without_password(AIRLOCK_KEY_PASSWORD="s3cret words"))
        self.assertEqual(code, 0, err)
        self.assertIn("password-protected", out)
        self.assertEqual(self.sign_and_verify(prefix, "s3cret words")[0], 0)
        self.assertNotEqual(self.sign_and_verify(prefix, "wrong")[0], 0)

    def test_terminal_prompt_asks_twice_with_echo_off(self):
        prefix = self.dir / "k"
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(str(programs.airlock_build()), ["airlock-build", "keygen", "--out", str(prefix)],
                      env_without_password())
        transcript = b""

        def read_until(marker, deadline=60):
            nonlocal transcript
            end = time.time() + deadline
            while marker not in transcript and time.time() < end:
                # select() first: a silent child must fail the test at the deadline, not hang it.
                ready, _, _ = select.select([fd], [], [], max(0.0, end - time.time()))
                if not ready:
                    break
                try:
                    chunk = os.read(fd, 1024)
                except OSError:
                    break
                if not chunk:
                    break
                transcript += chunk

        read_until(b"Password for the new secret key:")
        os.write(fd, b"typed pw\n")
        read_until(b"(again):")
        os.write(fd, b"typed pw\n")
        read_until(b"Keep the secret key", deadline=120)
        if b"Keep the secret key" not in transcript:
            os.kill(pid, 9)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        self.assertEqual(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8, 0,
                         transcript.decode(errors="replace"))
        self.assertNotIn(b"typed pw", transcript)  # echo was off
        self.assertEqual(self.sign_and_verify(prefix, "typed pw")[0], 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
