"""Settings users already have: pip.conf / PIP_* (index-url, timeout, retries, ...), .netrc, and
find-links folders and pages, against the real nginx fixture.

Every run sets HOME, PIP_CONFIG_FILE, CONDARC and NETRC to files of the test and clears every
PIP_* variable of this machine, so what airlock-build reads is only what the test wrote (pip's
global /etc/pip.conf still applies, as it does for pip: assertions never depend on it).
"""

import hashlib
import os
import shutil
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import catalog, programs, venv  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402

CASE = "a_only"
TARGET = "linux-py312"


def without_index(manifest: str) -> str:
    """The fixture manifest with its [[index]] tables removed."""
    head = manifest[: manifest.index("[[index]]")]
    return head + manifest[manifest.index("[python]"):]


class UserSettings(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir(prefix="airlock-user-settings-")
        d = cls.dir = cls.tmp.path
        cls.fx = catalog.conflict()
        cls.password = "pw-" + hashlib.sha256(os.urandom(16)).hexdigest()[:20]
        (d / "htpasswd").write_text("alice:{PLAIN}%s\n" % cls.password)
        cls.server = cls.fx.serve(htpasswd=d / "htpasswd").start()
        cls.open_server = cls.fx.serve().start()
        # A page of links beside the fixture's files, on a server of its own (the fixture tree
        # is shared: nothing is written into it).
        site = d / "site"
        site.mkdir()
        (site / "packages").symlink_to(cls.fx.root / "packages")
        links = []
        for name, path in sorted(cls.fx.files.items()):
            rel = path.relative_to(cls.fx.root)
            links.append('<a href="/%s#sha256=%s">%s</a><br/>' % (rel, hashlib.sha256(path.read_bytes()).hexdigest(), name))
        (site / "links.html").write_text("<html><body>\n%s\n</body></html>\n" % "\n".join(links))
        # The same links without `#sha256=` (as many hand-made pages are): hashed by download.
        bare_links = [l[: l.index("#sha256=")] + l[l.index('">'):] for l in links]
        (site / "links-nohash.html").write_text("<html><body>\n%s\n</body></html>\n" % "\n".join(bare_links))
        cls.links_server = Nginx(site).start()
        cls.home = d / "home"
        cls.home.mkdir()
        cls.netrc = d / "netrc"
        cls.netrc.write_text("# the test server\nmachine 127.0.0.1\n  login alice\n  password %s\n" % cls.password)
        cls.bare = d / "bare.toml"
        cls.bare.write_text(without_index(cls.fx.manifest(cls.server.url, case=CASE)))

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.open_server.stop()
        cls.links_server.stop()
        cls.tmp.cleanup()

    def env(self, pip_conf: str = "", netrc: bool = True, **extra):
        conf = self.dir / ("pip-%d.conf" % len(list(self.dir.glob("pip-*.conf"))))
        conf.write_text(pip_conf)
        env = venv.clean_env()
        env.update(HOME=str(self.home), PIP_CONFIG_FILE=str(conf), CONDARC=str(self.dir / "no-condarc"),
                   NETRC=str(self.netrc) if netrc else str(self.dir / "no-netrc"))
        env.update(extra)
        self.conf = conf
        return env

    def build(self, *args, env):
        return programs.run([programs.airlock_build(), *map(str, args)], env=env, timeout=300)

    def lock(self, manifest, name, *extra, env):
        out = self.dir / name
        code, stdout, stderr = self.build("lock", manifest, "-o", out, "--cache-dir", self.dir / (name + ".cache"), *extra, env=env)
        return code, stdout, stderr, out

    def assert_no_secret(self, *roots):
        for root in roots:
            for path in Path(root).rglob("*"):
                if path.is_file():
                    data = path.read_bytes()
                    self.assertNotIn(self.password.encode(), data, path)
                    self.assertNotIn(b"alice", data, path)

    def test_pip_conf_index_and_netrc_credentials(self):
        env = self.env("[global]\nindex-url = %s/simple\ntimeout = 25\n\n[install]\nretries = 2\n" % self.server.url)
        code, out, err, lock = self.lock(self.bare, "pipconf", "--verbose", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertIn("index        pip-index-url %s/simple  (from %s:2 [global])" % (self.server.url, self.conf), err)
        self.assertIn("timeout      25 s  (from %s:3 [global])" % self.conf, err)
        self.assertIn("retries      2  (from %s:6 [install])" % self.conf, err)
        self.assertIn("credentials  127.0.0.1  (from %s:2)" % self.netrc, err)
        self.assertNotIn(self.password, out + err)
        text = (lock / ("pylock.%s.toml" % TARGET)).read_text()
        self.assertIn('index = "%s/simple"' % self.server.url, text)
        code, out, err = self.build("fetch", self.bare, "--lock", lock, "-o", self.dir / "pipconf.wheels",
                                    "--cache-dir", self.dir / "pipconf.cache", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertEqual(sorted(p.name for p in (self.dir / "pipconf.wheels").iterdir()),
                         ["a-1.0-py3-none-any.whl", "c-2.1-py3-none-any.whl"])
        self.assert_no_secret(lock, self.dir / "pipconf.wheels", self.dir / "pipconf.cache")

    def test_the_server_needs_the_netrc(self):
        env = self.env("[global]\nindex-url = %s/simple\n" % self.server.url, netrc=False)
        code, out, err, _ = self.lock(self.bare, "nonetrc", env=env)
        self.assertEqual(code, 1, out + err)
        self.assertIn("401", err)

    def test_credentials_in_pip_conf_stay_in_memory(self):
        url = self.server.url.replace("http://", "http://alice:%s@" % self.password)
        env = self.env("[global]\nindex-url = %s/simple\n" % url, netrc=False)
        code, out, err, lock = self.lock(self.bare, "inurl", "-v", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertNotIn(self.password, out + err)
        self.assert_no_secret(lock, self.dir / "inurl.cache")

    def test_pip_variables_override_pip_conf(self):
        env = self.env("[global]\nindex-url = http://127.0.0.1:9/simple\n", PIP_INDEX_URL=self.server.url + "/simple")
        code, out, err, _ = self.lock(self.bare, "pipenv", "-v", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertIn("(from PIP_INDEX_URL)", err)

    def test_the_manifest_overrides_pip_and_the_command_line_overrides_the_manifest(self):
        env = self.env("[global]\nindex-url = http://127.0.0.1:9/simple\n")
        manifest = self.dir / "with-index.toml"
        manifest.write_text(self.fx.manifest(self.open_server.url, case=CASE))
        code, out, err, _ = self.lock(manifest, "manifestwins", "-v", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertIn("index        pypi %s/simple  (from %s:" % (self.open_server.url, manifest), err)
        dead = self.dir / "dead-index.toml"
        dead.write_text(self.fx.manifest("http://127.0.0.1:9", case=CASE))
        code, out, err, lock = self.lock(dead, "cliwins", "-v", "--index-url", self.open_server.url + "/simple", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertIn("(from --index-url)", err)
        self.assertIn(self.open_server.url, (lock / ("pylock.%s.toml" % TARGET)).read_text())

    def test_isolated_ignores_pip_conf(self):
        env = self.env("[global]\nindex-url = %s/simple\n" % self.server.url)
        code, out, err, _ = self.lock(self.bare, "isolated", "--isolated", env=env)
        self.assertEqual(code, 1, out + err)
        self.assertIn("no [[index]]", err)

    def test_find_links_folder_locks_and_fetches(self):
        wheels = self.dir / "local wheels"
        wheels.mkdir(exist_ok=True)
        for name, path in self.fx.files.items():
            if name.endswith(".whl"):
                shutil.copy(path, wheels / name)
        manifest = self.dir / "folder.toml"
        manifest.write_text(without_index(self.fx.manifest(self.open_server.url, case=CASE)).replace(
            "[python]", '[[index]]\nname = "local"\nfind_links = "local wheels"\n\n[python]'))
        env = self.env("")
        code, out, err, lock = self.lock(manifest, "folder", "-v", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertIn("find-links  local file://%s  (from %s:" % (str(wheels).replace(" ", "%20"), manifest), err)
        text = (lock / ("pylock.%s.toml" % TARGET)).read_text()
        self.assertIn("local%20wheels/a-1.0-py3-none-any.whl", text)
        self.assertIn(hashlib.sha256((wheels / "a-1.0-py3-none-any.whl").read_bytes()).hexdigest(), text)
        out_dir = self.dir / "folder.wheels"
        code, out, err = self.build("fetch", manifest, "--lock", lock, "-o", out_dir, "--cache-dir", self.dir / "folder.fetch", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertEqual(sorted(p.name for p in out_dir.iterdir()), ["a-1.0-py3-none-any.whl", "c-2.1-py3-none-any.whl"])

    def test_find_links_html_page_locks_and_fetches(self):
        env = self.env("[global]\nfind-links = %s/links.html\nno-index = true\n" % self.links_server.url)
        code, out, err, lock = self.lock(self.bare, "page", "-v", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertIn("find-links   pip-find-links %s/links.html  (from %s:2 [global])" % (self.links_server.url, self.conf), err)
        self.assertIn('url = "%s/packages/' % self.links_server.url, (lock / ("pylock.%s.toml" % TARGET)).read_text())
        out_dir = self.dir / "page.wheels"
        code, out, err = self.build("fetch", self.bare, "--lock", lock, "-o", out_dir, "--cache-dir", self.dir / "page.fetch", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertEqual(sorted(p.name for p in out_dir.iterdir()), ["a-1.0-py3-none-any.whl", "c-2.1-py3-none-any.whl"])

    def test_find_links_page_without_hashes_is_hashed_by_download(self):
        env = self.env("[global]\nfind-links = %s/links-nohash.html\nno-index = true\n" % self.links_server.url)
        code, out, err, lock = self.lock(self.bare, "nohash", "-v", env=env)
        self.assertEqual(code, 0, out + err)
        text = (lock / ("pylock.%s.toml" % TARGET)).read_text()
        for name in ("a-1.0-py3-none-any.whl", "c-2.1-py3-none-any.whl"):
            digest = hashlib.sha256(self.fx.files[name].read_bytes()).hexdigest()
            self.assertIn(digest, text)
            self.assertIn("find-links: %s has no #sha256= on its page; downloaded it" % name, err)
            self.assertIn("locked sha256 %s" % digest, err)
        # The downloads went into the cache `lock` used; fetch with that cache checks them by the lock.
        out_dir = self.dir / "nohash.wheels"
        code, out, err = self.build("fetch", self.bare, "--lock", lock, "-o", out_dir, "--cache-dir", self.dir / "nohash.cache",
                                    "-q", env=env)
        self.assertEqual(code, 0, out + err)
        self.assertEqual(sorted(p.name for p in out_dir.iterdir()), ["a-1.0-py3-none-any.whl", "c-2.1-py3-none-any.whl"])


if __name__ == "__main__":
    unittest.main()
