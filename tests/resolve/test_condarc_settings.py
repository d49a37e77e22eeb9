"""`.condarc` settings for a [conda] that omits them, against the real conda fixture channels on
nginx: channels and channel_alias from $CONDARC, custom_channels from ~/.condarc, the manifest's
own values winning, and .netrc credentials for an htpasswd-protected channel server.

Every run sets HOME, PIP_CONFIG_FILE, CONDARC and NETRC to files of the test and clears every
PIP_* variable of this machine.
"""

import sys
import tomllib
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import conda, programs, venv  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402

TARGET = "linux-py312-cu124"
TARGETS = {TARGET: conda.TORCH_TARGETS[TARGET]}


def manifest_without_channels(extra_conda: str = "") -> str:
    """torch_manifest's [conda] with neither channels nor channel_alias."""
    text = conda.torch_manifest("http://unused", targets=TARGETS)
    lines = [line for line in text.splitlines() if not line.startswith(("channels =", "channel_alias ="))]
    return "\n".join(lines).replace("[conda]", "[conda]\n" + extra_conda) + "\n"


class CondarcSettings(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir(prefix="airlock-condarc-")
        d = cls.dir = cls.tmp.path
        cls.fx = conda.torch_channels(d / "srv")
        cls.server = Nginx(d / "srv").start()
        (d / "htpasswd").write_text("carol:{PLAIN}conda-secret\n")
        cls.private = Nginx(d / "srv", htpasswd=d / "htpasswd").start()
        cls.home = d / "home"
        cls.home.mkdir()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.private.stop()
        cls.tmp.cleanup()

    def run_lock(self, name, manifest_text, condarc="", home_condarc=None, netrc="", *extra):
        d = self.dir / name
        d.mkdir()
        (d / "manifest.toml").write_text(manifest_text)
        (d / "condarc.yml").write_text(condarc)
        (d / "netrc").write_text(netrc)
        home = d / "home"
        home.mkdir()
        if home_condarc is not None:
            (home / ".condarc").write_text(home_condarc)
        env = venv.clean_env()
        env.update(HOME=str(home), PIP_CONFIG_FILE=str(d / "no-pip.conf"), CONDARC=str(d / "condarc.yml"),
                   NETRC=str(d / "netrc"))
        code, out, err = programs.run([programs.airlock_build(), "lock", d / "manifest.toml", "-o", d / "out",
                                       "--cache-dir", d / "cache", "-v", *extra], env=env, timeout=600)
        return code, out, err, d

    def packages(self, d):
        doc = tomllib.loads((d / "out" / ("conda.%s.lock.toml" % TARGET)).read_text())
        return {p["name"]: (p["version"], p["build"], p["channel"], p["subdir"]) for p in doc["package"]}, doc

    def test_channels_and_alias_from_condarc(self):
        condarc = "channel_alias: %s/\nchannels:\n  - pytorch\n  - nvidia\n  - conda-forge\n" % self.server.url
        code, out, err, d = self.run_lock("alias", manifest_without_channels(), condarc)
        self.assertEqual(code, 0, out + err)
        got, _ = self.packages(d)
        self.assertEqual(got, conda.TORCH_EXPECTED[TARGET])
        rc = d / "condarc.yml"
        self.assertIn("channel_alias  %s  (from %s:1:16)" % (self.server.url, rc), err)
        self.assertIn("channel        pytorch %s/pytorch  (from %s:3)" % (self.server.url, rc), err)

    def test_custom_channels_from_home_and_the_manifest_winning(self):
        # The alias points nowhere; custom_channels in ~/.condarc send each channel to the server.
        home = "custom_channels:\n" + "".join("  %s: %s\n" % (c, self.server.url) for c in ("pytorch", "nvidia", "conda-forge"))
        condarc = "channel_alias: http://127.0.0.1:9/\nchannels: [pytorch, nvidia, conda-forge]\n"
        code, out, err, d = self.run_lock("custom", manifest_without_channels(), condarc, home)
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.packages(d)[0], conda.TORCH_EXPECTED[TARGET])
        # The manifest's channels and alias win over both files.
        own = conda.torch_manifest(self.server.url, targets=TARGETS)
        code, out, err, d = self.run_lock("manifest-wins", own, "channels: [does-not-exist]\nchannel_alias: http://127.0.0.1:9/\n")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.packages(d)[0], conda.TORCH_EXPECTED[TARGET])
        self.assertIn("(from %s:" % (d / "manifest.toml"), err)

    def test_netrc_credentials_for_a_private_channel_server(self):
        condarc = "channel_alias: %s\nchannels: [pytorch, nvidia, conda-forge]\n" % self.private.url
        code, out, err, d = self.run_lock("nonetrc", manifest_without_channels(), condarc)
        self.assertEqual(code, 1, out + err)
        self.assertIn("401", err)
        code, out, err, d = self.run_lock("netrc", manifest_without_channels(), condarc,
                                          netrc="machine 127.0.0.1 login carol password conda-secret\n")
        self.assertEqual(code, 0, out + err)
        self.assertIn("credentials    127.0.0.1  (from %s:1)" % (d / "netrc"), err)
        got, _ = self.packages(d)
        self.assertEqual(got, conda.TORCH_EXPECTED[TARGET])
        for path in (d / "out").iterdir():
            self.assertNotIn("conda-secret", path.read_text(), path)
            self.assertNotIn("carol", path.read_text(), path)

    def test_isolated_ignores_condarc(self):
        condarc = "channel_alias: %s/\nchannels: [pytorch, nvidia, conda-forge]\n" % self.server.url
        code, out, err, _ = self.run_lock("isolated", manifest_without_channels(), condarc, None, "", "--isolated")
        self.assertEqual(code, 1, out + err)
        self.assertIn("channels", err)


if __name__ == "__main__":
    unittest.main()
