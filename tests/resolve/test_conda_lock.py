"""`airlock-build lock` with [conda]: one run locks linux-64 and win-64 targets with different
CUDA versions and a CPU-only one from real channels (pytorch, nvidia, conda-forge models) on
nginx; the records, the @EXPLICIT files and the lock files are what the channels hold; strict
and flexible channel priority; a mixed manifest resolves its pip part for the conda Python.
"""

import hashlib
import sys
import tomllib
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import conda, index, programs, venv, wheels  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402


class CondaLockTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir(prefix="airlock-conda-lock-")
        root = cls.tmp.path / "srv"
        cls.fx = conda.torch_channels(root)
        # A small PyPI index beside the channels for the mixed manifest: tinydep 1.0 needs
        # Python >=3.12.5 (the conda python is 3.12.7; a bare "3.12" target means 3.12.0).
        dist = cls.tmp.path / "dist"
        files = [wheels.build_wheel(dist, "tinydep", "0.9", requires_python=">=3.8"),
                 wheels.build_wheel(dist, "tinydep", "1.0", requires_python=">=3.12.5")]
        index.build_index(root, {"tinydep": files})
        cls.server = Nginx(root).start()
        cls.cache = cls.tmp.path / "cache"

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def lock(self, manifest_text, name, *extra, expect=0):
        d = self.tmp.path / name
        d.mkdir()
        (d / "manifest.toml").write_text(manifest_text)
        code, out, err = programs.run([programs.airlock_build(), "lock", d / "manifest.toml", "-o", d / "out",
                                       "--cache-dir", self.cache, *extra], env=venv.clean_env())
        self.assertEqual(code, expect, out + err)
        return d / "out", out, err

    def test_one_run_locks_every_target(self):
        out, stdout, _ = self.lock(conda.torch_manifest(self.server.url), "all")
        for target, expected in conda.TORCH_EXPECTED.items():
            with self.subTest(target=target):
                doc = tomllib.loads((out / ("conda.%s.lock.toml" % target)).read_text())
                self.assertEqual(doc["target"], target)
                got = {p["name"]: (p["version"], p["build"], p["channel"], p["subdir"]) for p in doc["package"]}
                self.assertEqual(got, expected)
                self.assertIn(target + ": %d conda packages" % len(expected), stdout)
                for p in doc["package"]:
                    f = self.fx.preferred(p["name"], p["version"], p["build"], p["subdir"])
                    self.assertEqual(p["file"], f.filename)  # .conda preferred over .tar.bz2
                    self.assertEqual((p["sha256"], p["md5"], p["size"]), (f.sha256, f.md5, f.size))
                    self.assertEqual(p["url"], "%s/%s/%s/%s" % (self.server.url, f.channel, p["subdir"], f.filename))
                    self.assertEqual(p["depends"], f.record["depends"])
                explicit = (out / ("conda.%s.txt" % target)).read_text().splitlines()
                body = explicit[explicit.index("@EXPLICIT") + 1:]
                self.assertEqual(len(body), len(expected))
                for line in body:
                    url, _, sha = line.partition("#")
                    data = (self.fx.root / url[len(self.server.url) + 1:]).read_bytes()
                    self.assertEqual(sha, hashlib.sha256(data).hexdigest())
                # Dependencies come before their dependents (conda installs in file order).
                names = [line.rsplit("/", 1)[1].rsplit("-", 2)[0] for line in body]
                self.assertLess(names.index("python"), names.index("numpy"))
                self.assertFalse((out / ("pylock.%s.toml" % target)).exists())  # no [python]
        virtual = tomllib.loads((out / "conda.linux-py311-cu118.lock.toml").read_text())["virtual-packages"]
        self.assertEqual(virtual, ["__archspec=1=x86_64", "__cuda=11.8=0", "__glibc=2.17=0", "__linux=5.10=0",
                                   "__unix=0=0"])

        # Same inputs, same bytes; and the cache is enough to lock again offline.
        again, _, _ = self.lock(conda.torch_manifest(self.server.url), "again", "--offline")
        for p in sorted(out.iterdir()):
            self.assertEqual(p.read_bytes(), (again / p.name).read_bytes(), p.name)

    def test_strict_priority_takes_a_package_only_from_the_first_channel_that_has_it(self):
        targets = {"linux-py312-cpu": conda.TORCH_TARGETS["linux-py312-cpu"]}
        _, _, err = self.lock(conda.torch_manifest(self.server.url, specs=["pytorch>=2.4"], targets=targets),
                              "strict", expect=1)
        self.assertIn("no version of pytorch matches; the newest is 2.3.1", err)
        flexible = conda.torch_manifest(self.server.url, specs=["pytorch>=2.4"], targets=targets).replace(
            "specs =", 'channel_priority = "flexible"\nspecs =')
        out, _, _ = self.lock(flexible, "flexible")
        doc = tomllib.loads((out / "conda.linux-py312-cpu.lock.toml").read_text())
        torch = next(p for p in doc["package"] if p["name"] == "pytorch")
        self.assertEqual((torch["version"], torch["channel"]), ("2.4.1", "conda-forge"))

    def test_mixed_manifest_resolves_pip_for_the_conda_python(self):
        targets = {"linux-py312-cpu": conda.TORCH_TARGETS["linux-py312-cpu"]}
        text = conda.torch_manifest(self.server.url, specs=["python", "numpy<2"], targets=targets)
        text += '\n[[index]]\nname = "pypi"\nurl = "%s/simple"\n\n[python]\nrequirements = ["tinydep"]\n' % self.server.url
        out, stdout, _ = self.lock(text, "mixed")
        conda_lock = tomllib.loads((out / "conda.linux-py312-cpu.lock.toml").read_text())
        python = next(p for p in conda_lock["package"] if p["name"] == "python")
        self.assertEqual(python["version"], "3.12.7")
        pylock = tomllib.loads((out / "pylock.linux-py312-cpu.toml").read_text())
        self.assertEqual([(p["name"], p["version"]) for p in pylock["packages"]], [("tinydep", "1.0")])
        self.assertIn("conda packages", stdout)

        # Without [conda] the same target means Python 3.12.0, which tinydep 1.0 does not accept.
        plain = text[:text.index("[conda]")] + text[text.index("[[index]]"):]
        out, _, _ = self.lock(plain, "pip-only")
        pylock = tomllib.loads((out / "pylock.linux-py312-cpu.toml").read_text())
        self.assertEqual([(p["name"], p["version"]) for p in pylock["packages"]], [("tinydep", "0.9")])


if __name__ == "__main__":
    unittest.main(verbosity=2)
