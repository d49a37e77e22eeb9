"""The connected side keeps secrets and trust straight (issue 9): against real nginx on loopback,

- an index behind HTTP basic auth (nginx auth_basic) named as `http://alice:${TOKEN}@…`, and a
  mirror with credentials of its own: lock, fetch and build succeed, and the token is in none of
  the files written (lock dir, wheelhouse, bundle bytes, HTTP cache) nor in stdout/stderr;
- an HTTPS index with a test CA made by openssl: lock, fetch and build work with `--cert`, and
  without it fail at once (no retries) with a message naming the host, --cert and SSL_CERT_FILE;
  a missing --cert file is refused before any work;
- a lock whose manifest changed since (requirements, a target, an index) is refused by
  `fetch --lock` and `build --lock`, saying which part changed.
"""

import os
import secrets
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import catalog, programs, venv  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402
from airlock_testing.tls import TestCA  # noqa: E402

CASE = "a_only"  # a 1.0 -> c 2.1: two small wheels per target


def base_env(**extra):
    env = venv.clean_env()
    for name in list(env):
        if name.lower().endswith("_proxy") or name in ("NETRC",):
            del env[name]
    env.update(extra)
    return env


def build(*args, env):
    return programs.run([programs.airlock_build(), *map(str, args)], env=env, timeout=300)


def files_under(*roots):
    for root in roots:
        root = Path(root)
        if root.is_file():
            yield root
        elif root.exists():
            yield from (p for p in root.rglob("*") if p.is_file())


class CredentialsAreNeverWritten(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir(prefix="airlock-secrets-")
        d = cls.dir = cls.tmp.path
        cls.fx = catalog.conflict()
        cls.token = "tok-" + secrets.token_hex(12)
        cls.token2 = "mir-" + secrets.token_hex(12)
        (d / "htpasswd").write_text("alice:{PLAIN}%s\n" % cls.token)
        (d / "htpasswd2").write_text("bob:{PLAIN}%s\n" % cls.token2)
        cls.server = cls.fx.serve(htpasswd=d / "htpasswd").start()
        cls.mirror = cls.fx.serve(htpasswd=d / "htpasswd2").start()
        cls.env = base_env(AIRLOCK_TEST_TOKEN=cls.token, AIRLOCK_TEST_TOKEN2=cls.token2)
        port = cls.server.port
        cls.manifest = d / "manifest.toml"
        cls.manifest.write_text(cls.fx.manifest("http://alice:${AIRLOCK_TEST_TOKEN}@127.0.0.1:%d" % port, case=CASE))
        # The primary is down (nothing listens on port 9): pages, metadata and files come from
        # the mirror, which takes other credentials than the primary's.
        mirrored = cls.fx.manifest("http://alice:${AIRLOCK_TEST_TOKEN}@127.0.0.1:9", case=CASE).replace(
            'url = "http://alice:${AIRLOCK_TEST_TOKEN}@127.0.0.1:9/simple"',
            'url = "http://alice:${AIRLOCK_TEST_TOKEN}@127.0.0.1:9/simple"\n'
            'mirrors = ["http://bob:${AIRLOCK_TEST_TOKEN2}@127.0.0.1:%d/mirror/simple"]' % cls.mirror.port,
        )
        assert "mirrors" in mirrored
        cls.mirrored = d / "mirrored.toml"
        cls.mirrored.write_text(mirrored)
        cls.outputs = []
        cache = d / "cache"
        for args in (
            ["lock", cls.manifest, "-o", d / "lock", "--cache-dir", cache],
            ["fetch", cls.manifest, "--lock", d / "lock", "-o", d / "wheels", "--cache-dir", cache],
            ["build", cls.manifest, "--lock", d / "lock", "-o", d / "locked.bundle", "--cache-dir", cache],
            ["build", cls.manifest, "-o", d / "resolved.bundle", "--cache-dir", d / "cache2"],
            ["lock", cls.mirrored, "-o", d / "mlock", "--cache-dir", d / "mcache"],
            ["fetch", cls.mirrored, "--lock", d / "mlock", "-o", d / "mwheels", "--cache-dir", d / "mcache"],
        ):
            code, out, err = build(*args, env=cls.env)
            cls.outputs.append((args[0], code, out, err))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.mirror.stop()
        cls.tmp.cleanup()

    def test_every_command_succeeds_through_basic_auth(self):
        for command, code, out, err in self.outputs:
            self.assertEqual(code, 0, "%s failed:\n%s%s" % (command, out, err))
        self.assertTrue((self.dir / "wheels").is_dir())
        self.assertEqual(len(list((self.dir / "mwheels").glob("*.whl"))), 2)

    def test_the_server_really_demands_credentials(self):
        no_auth = self.dir / "no-auth.toml"
        no_auth.write_text(self.fx.manifest(self.server.url, case=CASE))
        code, out, err = build("lock", no_auth, "-o", self.dir / "nolock", "--cache-dir", self.dir / "nocache", env=self.env)
        self.assertEqual(code, 1, out + err)
        self.assertIn("401", err)

    def test_no_written_byte_and_no_output_carries_a_token(self):
        d = self.dir
        written = list(files_under(d / "lock", d / "wheels", d / "locked.bundle", d / "resolved.bundle",
                                   d / "cache", d / "cache2", d / "mlock", d / "mwheels", d / "mcache"))
        self.assertGreater(len(written), 10)
        for path in written:
            data = path.read_bytes()
            for token in (self.token, self.token2):
                self.assertNotIn(token.encode(), data, "%s carries a credential" % path)
            self.assertNotIn(b"alice", data, path)
            self.assertNotIn(b"bob:", data, path)
        for command, _code, out, err in self.outputs:
            for token in (self.token, self.token2):
                self.assertNotIn(token, out + err, command)

    def test_the_lock_names_credential_free_urls(self):
        text = (self.dir / "lock" / "pylock.linux-py312.toml").read_text()
        self.assertIn('index = "http://127.0.0.1:%d/simple"' % self.server.port, text)
        self.assertIn('url = "http://127.0.0.1:%d/packages/' % self.server.port, text)
        mirrored = (self.dir / "mlock" / "pylock.linux-py312.toml").read_text()
        self.assertIn("http://127.0.0.1:%d/mirror/packages/" % self.mirror.port, mirrored)


class TlsWithATestCa(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir(prefix="airlock-tls-")
        d = cls.dir = cls.tmp.path
        cls.ca = TestCA(d / "ca")
        cls.fx = catalog.conflict()
        cls.server = cls.fx.serve(tls=cls.ca.server).start()
        assert cls.server.url.startswith("https://")
        cls.manifest = d / "manifest.toml"
        cls.manifest.write_text(cls.fx.manifest(cls.server.url, case=CASE))
        cls.env = base_env()  # SSL_CERT_FILE, when the machine sets it, is the system store

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def run_ok(self, *args):
        code, out, err = build(*args, env=self.env)
        self.assertEqual(code, 0, "%s failed:\n%s%s" % (args[0], out, err))
        return out

    def test_lock_fetch_build_work_with_cert(self):
        d = self.dir
        cert = ["--cert", self.ca.pem]
        self.run_ok("lock", self.manifest, "-o", d / "lock", "--cache-dir", d / "c1", *cert)
        self.run_ok("fetch", self.manifest, "--lock", d / "lock", "-o", d / "wheels", "--cache-dir", d / "c1", *cert)
        self.assertEqual(len(list((d / "wheels").glob("*.whl"))), 2)
        self.run_ok("build", self.manifest, "-o", d / "b.bundle", "--cache-dir", d / "c2", *cert)
        self.assertTrue((d / "b.bundle").stat().st_size > 0)

    def assert_fails_fast(self, *args):
        start = time.monotonic()
        code, out, err = build(*args, env=self.env)
        elapsed = time.monotonic() - start
        self.assertEqual(code, 1, out + err)
        for word in ("--cert", "SSL_CERT_FILE", "127.0.0.1"):
            self.assertIn(word, err)
        # Seven attempts with backoff take over 7 s; a certificate failure is not retried.
        self.assertLess(elapsed, 5.0, err)
        return err

    def test_without_cert_every_command_fails_at_once_naming_cert(self):
        d = self.dir
        self.assert_fails_fast("lock", self.manifest, "-o", d / "nolock", "--cache-dir", d / "n1", "--prefer-cache")
        # fetch and build from a lock: the file downloads meet the certificate first.
        self.run_ok("lock", self.manifest, "-o", d / "lock2", "--cache-dir", d / "n2", "--cert", self.ca.pem)
        self.assert_fails_fast("fetch", self.manifest, "--lock", d / "lock2", "-o", d / "nowheels", "--cache-dir", d / "n3")
        self.assert_fails_fast("build", self.manifest, "--lock", d / "lock2", "-o", d / "no.bundle", "--cache-dir", d / "n4")
        self.assert_fails_fast("build", self.manifest, "-o", d / "no2.bundle", "--cache-dir", d / "n5")

    def test_a_missing_cert_file_is_refused_before_any_work(self):
        d = self.dir
        for command in (["lock", self.manifest, "-o", d / "x"], ["fetch", self.manifest, "-o", d / "y"],
                        ["build", self.manifest, "-o", d / "z.bundle"]):
            code, out, err = build(*command, "--cert", d / "missing.pem", "--cache-dir", d / "m", env=self.env)
            self.assertEqual(code, 1, out + err)
            self.assertIn("--cert", err)
            self.assertIn("no such file", err)
            self.assertFalse((d / "m").exists(), "work started before the --cert check")


class StaleLocksAreRefused(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir(prefix="airlock-stale-")
        d = cls.dir = cls.tmp.path
        cls.fx = catalog.conflict()
        cls.server = cls.fx.serve().start()
        cls.env = base_env()
        cls.text = cls.fx.manifest(cls.server.url, case=CASE)
        cls.manifest = d / "manifest.toml"
        cls.manifest.write_text(cls.text)
        code, out, err = build("lock", cls.manifest, "-o", d / "lock", "--cache-dir", d / "cache", env=cls.env)
        assert code == 0, out + err

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def refused(self, name, text):
        path = self.dir / name
        path.write_text(text)
        messages = []
        for command in (["fetch", path, "--lock", self.dir / "lock", "-o", self.dir / ("w-" + name)],
                        ["build", path, "--lock", self.dir / "lock", "-o", self.dir / (name + ".bundle")]):
            code, out, err = build(*command, "--cache-dir", self.dir / "cache", env=self.env)
            self.assertEqual(code, 1, out + err)
            self.assertIn("is stale", err)
            self.assertIn("airlock-build lock", err)
            self.assertFalse((self.dir / ("w-" + name)).exists())
            messages.append(err)
        return messages[0]

    def test_an_unchanged_manifest_reuses_the_lock(self):
        code, out, err = build("fetch", self.manifest, "--lock", self.dir / "lock", "-o", self.dir / "same",
                               "--cache-dir", self.dir / "cache", env=self.env)
        self.assertEqual(code, 0, out + err)

    def test_changed_requirements(self):
        text = self.text.replace('requirements = ["a"]', 'requirements = ["a", "b"]')
        self.assertNotEqual(text, self.text)
        self.assertIn("[python] requirements", self.refused("reqs.toml", text))

    def test_added_target(self):
        extra = '[[target]]\nname = "extra-py313"\npython = "3.13"\nplatform = "manylinux_2_28_x86_64"\n\n'
        text = self.text.replace("[[index]]", extra + "[[index]]", 1)
        self.assertIn("target `extra-py313` was added", self.refused("target.toml", text))

    def test_changed_target(self):
        text = self.text.replace('python = "3.12"', 'python = "3.13"', 1)
        self.assertIn("[[target]]", self.refused("retarget.toml", text))

    def test_changed_index(self):
        text = self.text.replace('name = "pypi"', 'name = "pypi"\nmirrors = ["%s/mirror/simple"]' % self.server.url)
        self.assertIn("[[index]] list changed", self.refused("index.toml", text))

    def test_credentials_alone_do_not_make_a_lock_stale(self):
        text = self.text.replace("http://127.0.0.1", "http://someone:pw@127.0.0.1")
        path = self.dir / "creds.toml"
        path.write_text(text)
        code, out, err = build("fetch", path, "--lock", self.dir / "lock", "-o", self.dir / "cw",
                               "--cache-dir", self.dir / "cache", env=self.env)
        self.assertEqual(code, 0, out + err)


if __name__ == "__main__":
    unittest.main()
