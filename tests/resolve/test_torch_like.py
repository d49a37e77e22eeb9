"""`airlock-build lock` on the torch-like graph, checked against what pip on each target installs.

One lock run for linux/py3.12, linux/py3.11 and win_amd64/py3.12 (nginx serving the `pypi` and
`pytorch-cu124` fixture indexes) must give, per target, exactly the catalog's expected closure
(the one pip running on that target computes), take torch `+cu124` from the index that
`packages = ["torch"]` pins it to, and write the same bytes twice. The Linux
`requirements.<target>.txt` files are then installed by real pip into real venvs of Python 3.11
and 3.12 with `--no-index --require-hashes`, from the locked URLs downloaded and verified here.
"""

import hashlib
import shutil
import sys
import tomllib
import unittest
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import catalog, programs, pythons, venv  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402

SCALE = 64 * 1024  # payload bytes of the big wheels: enough to be real, small enough to be quick


def lock(manifest: Path, out: Path, cache: Path, *extra: str) -> str:
    code, stdout, stderr = programs.run(
        [programs.airlock_build(), "lock", manifest, "-o", out, "--cache-dir", cache, *extra],
        env=venv.clean_env(),
    )
    if code != 0:
        raise AssertionError("airlock-build lock failed (exit %d):\n%s%s" % (code, stdout, stderr))
    return stdout


def closure(pylock: Path):
    data = tomllib.loads(pylock.read_text())
    return data, {p["name"]: p["version"] for p in data["packages"]}


class TorchLikeLock(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fx = catalog.torch_like(scale=SCALE)
        cls.server = cls.fx.serve().start()
        cls.tmp = TempDir(prefix="airlock-resolve-")
        cls.dir = cls.tmp.path
        cls.manifest = cls.dir / "manifest.toml"
        cls.manifest.write_text(cls.fx.manifest(cls.server.url))
        cls.out = cls.dir / "lock"
        cls.summary = lock(cls.manifest, cls.out, cls.dir / "cache")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def test_each_target_gets_the_closure_pip_on_that_target_installs(self):
        self.assertEqual(set(self.fx.expected), {"linux-py312", "linux-py311", "win-py312"})
        for target, expected in self.fx.expected.items():
            with self.subTest(target=target):
                data, got = closure(self.out / ("pylock.%s.toml" % target))
                self.assertEqual(got, expected)
                files = {w["name"] for p in data["packages"] for w in p["wheels"]}
                self.assertEqual(files, self.fx.expected_files[target])
                self.assertIn("%s: %d packages" % (target, len(expected)), self.summary)

    def test_markers_are_evaluated_for_the_target_not_the_host(self):
        _, py312 = closure(self.out / "pylock.linux-py312.toml")
        _, py311 = closure(self.out / "pylock.linux-py311.toml")
        _, win = closure(self.out / "pylock.win-py312.toml")
        self.assertIn("setuptools", py312)  # setuptools; python_version >= "3.12"
        self.assertNotIn("setuptools", py311)
        self.assertIn("triton", py311)  # Linux and python < 3.13
        self.assertFalse([n for n in win if n.startswith("nvidia-") or n == "triton"])

    def test_cuda_build_comes_from_the_pinned_index(self):
        data, _ = closure(self.out / "pylock.linux-py312.toml")
        self.assertEqual(data["lock-version"], "1.0")
        self.assertEqual(data["created-by"], "airlock")
        self.assertEqual(data["requires-python"], "==3.12.*")
        torch = next(p for p in data["packages"] if p["name"] == "torch")
        self.assertEqual(torch["version"], "2.5.1+cu124")
        self.assertEqual(torch["index"], self.fx.index_url(self.server.url, "pytorch-cu124"))
        self.assertEqual(torch["tool"]["airlock"]["index-name"], "pytorch-cu124")
        wheel = torch["wheels"][0]
        self.assertEqual(wheel["name"], "torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl")
        self.assertIn("/whl/cu124/", wheel["url"])
        self.assertEqual(len(wheel["hashes"]["sha256"]), 64)
        others = [p for p in data["packages"] if p["name"] != "torch"]
        self.assertTrue(all(p["index"] == self.fx.index_url(self.server.url, "pypi") for p in others))

    def test_same_inputs_give_identical_files(self):
        again = self.dir / "again"
        lock(self.manifest, again, self.dir / "cache2")
        names = sorted(p.name for p in self.out.iterdir())
        self.assertEqual(names, sorted(p.name for p in again.iterdir()))
        self.assertEqual(len(names), 6)
        for name in names:
            self.assertEqual((self.out / name).read_bytes(), (again / name).read_bytes(), name)

    def test_one_target_only(self):
        only = self.dir / "only"
        lock(self.manifest, only, self.dir / "cache", "--target", "win-py312")
        self.assertEqual(sorted(p.name for p in only.iterdir()),
                         ["pylock.win-py312.toml", "requirements.win-py312.txt"])

    def test_pypi_only_case_takes_plain_torch(self):
        manifest = self.dir / "pypi-only.toml"
        manifest.write_text(self.fx.manifest(self.server.url, case="pypi_only"))
        out = self.dir / "pypi-only"
        lock(manifest, out, self.dir / "cache")
        for target, expected in self.fx.cases["pypi_only"].expected.items():
            with self.subTest(target=target):
                self.assertEqual(closure(out / ("pylock.%s.toml" % target))[1], expected)

    def test_real_pip_installs_the_linux_requirements(self):
        for target, version in (("linux-py312", "3.12"), ("linux-py311", "3.11")):
            with self.subTest(target=target):
                python = pythons.require_python(self, version)
                data, expected = closure(self.out / ("pylock.%s.toml" % target))
                work = self.dir / ("install-" + target)
                wheels = work / "wheels"
                wheels.mkdir(parents=True)
                # Until `airlock-build fetch` is wired in: download the locked URLs, verify them.
                for p in data["packages"]:
                    for w in p["wheels"]:
                        with urllib.request.urlopen(w["url"], timeout=60) as r:
                            body = r.read()
                        self.assertEqual(hashlib.sha256(body).hexdigest(), w["hashes"]["sha256"], w["name"])
                        if "size" in w:
                            self.assertEqual(len(body), w["size"], w["name"])
                        (wheels / w["name"]).write_bytes(body)
                env = venv.make_venv(python, work / "venv")
                before = venv.installed(env)
                venv.pip(env, "install", "--no-index", "--require-hashes", "--find-links", str(wheels),
                         "-r", str(self.out / ("requirements.%s.txt" % target)))
                after = venv.installed(env)
                new = {k: v for k, v in after.items() if before.get(k) != v}
                # pip/setuptools bundled by venv stay unless the lock names them.
                self.assertEqual(new, {k: v for k, v in expected.items() if before.get(k) != v})
                for name, ver in expected.items():
                    self.assertEqual(after.get(name), ver, name)
                shutil.rmtree(work)


if __name__ == "__main__":
    unittest.main(verbosity=2)
