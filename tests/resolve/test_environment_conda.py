"""`--environment environment.yml` with conda dependencies and a `pip:` section: the same lock as
the equivalent manifest ([conda] and [python]), from real conda channels (pytorch, nvidia,
conda-forge models made by cph) and a small PyPI index on nginx; `init --from` writes that
manifest; `build` names the bundle after the environment and carries both parts.
"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import conda, index, programs, venv, wheels  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402

TARGET = "linux-py312-cu124:manylinux_2_28_x86_64:3.12:12.4"


def build(*args, expect=0) -> str:
    code, out, err = programs.run([programs.airlock_build(), *args], env=venv.clean_env())
    if code != expect:
        raise AssertionError("airlock-build %s exited %d:\n%s%s" % (args[0], code, out, err))
    return out + err


def files(directory: Path):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


class EnvironmentConda(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir(prefix="airlock-env-conda-")
        root = cls.tmp.path / "srv"
        conda.torch_channels(root)
        dist = cls.tmp.path / "dist"
        index.build_index(root, {"tinydep": [wheels.build_wheel(dist, "tinydep", "1.0", requires_python=">=3.8")]})
        cls.server = Nginx(root).start()
        cls.cache = cls.tmp.path / "cache"

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def test_environment_locks_like_the_manifest(self):
        d = self.tmp.path
        url = self.server.url
        channels = ["%s/%s" % (url, c) for c in ("pytorch", "nvidia", "conda-forge")]
        (d / "environment.yml").write_text(
            "name: torch-env\n"
            "channels:\n" + "".join("  - %s\n" % c for c in channels) +
            "dependencies:\n"
            "  - pytorch=2.3.1\n"
            "  - numpy<2\n"
            "  - pip:\n"
            "      - --index-url %s/simple\n"
            "      - tinydep==1.0\n" % url)
        build("lock", "--environment", d / "environment.yml", "--add-target", TARGET, "-o", d / "from-env",
              "--cache-dir", self.cache)
        (d / "manifest.toml").write_text(
            '[bundle]\nname = "torch-env"\nversion = "1.0.0"\n\n'
            '[[target]]\nname = "linux-py312-cu124"\nplatform = "manylinux_2_28_x86_64"\npython = "3.12"\ncuda = "12.4"\n\n'
            '[[index]]\nname = "index"\nurl = "%s/simple"\n\n'
            '[python]\nrequirements = ["tinydep==1.0"]\n\n'
            '[conda]\nchannels = [%s]\nspecs = ["pytorch=2.3.1", "numpy<2"]\n'
            % (url, ", ".join('"%s"' % c for c in channels)))
        build("lock", d / "manifest.toml", "-o", d / "from-manifest", "--cache-dir", self.cache)
        got = files(d / "from-env")
        self.assertEqual(sorted(got), ["conda.linux-py312-cu124.lock.toml", "conda.linux-py312-cu124.txt",
                                       "pylock.linux-py312-cu124.toml", "requirements.linux-py312-cu124.txt"])
        self.assertEqual(got, files(d / "from-manifest"))
        self.assertIn(b'name = "pytorch"', got["conda.linux-py312-cu124.lock.toml"])

        build("init", "--from", d / "environment.yml", "--add-target", TARGET, "-o", d / "init.toml")
        build("lock", d / "init.toml", "-o", d / "from-init", "--cache-dir", self.cache)
        self.assertEqual(got, files(d / "from-init"))

        build("build", "--environment", d / "environment.yml", "--add-target", TARGET, "-o", d / "env.tar",
              "--cache-dir", self.cache, "-q")
        code, listing, err = programs.run([programs.airlock_install(), "list", d / "env.tar"], env=venv.clean_env())
        self.assertEqual(code, 0, err)
        self.assertIn("torch-env", listing)
        self.assertIn("tinydep", listing)
        self.assertIn("pytorch", listing)


if __name__ == "__main__":
    unittest.main(verbosity=2)
