"""manifests/: the examples users copy. Each opens with a comment header, and each parses: locked
`--offline` with an empty cache, the only complaint is the missing cache (a manifest error would
come first, with file:line:col). The ones the fixtures can serve are locked: example.toml (the
demo's) as it is, and torch-lab.toml and pytorch-cpu.toml with their index URLs pointed at the
torch_like fixture (PyPI and the pytorch-style index) and their requirements cut to what it has."""

import os
import re
import unittest
from pathlib import Path

from airlock_testing import catalog, programs, venv
from airlock_testing.programs import TempDir

MANIFESTS = programs.source_dir() / "manifests"
FAKE = {"AIRLOCK_EXAMPLE_INDEX": "http://127.0.0.1:9/simple", "AIRLOCK_EXAMPLE_CU124_INDEX": "http://127.0.0.1:9/cu124"}


def lock(manifest: Path, out: Path, *extra, env=None):
    return programs.run([programs.airlock_build(), "lock", manifest, "-o", out, "--cache-dir", out.parent / "cache", *extra],
                        env=venv.clean_env(env or {}), timeout=600)


class ManifestExamplesTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir(prefix="airlock-manifests-")
        self.addCleanup(self.tmp.cleanup)

    def test_every_example_has_a_header_and_parses(self):
        examples = sorted(MANIFESTS.glob("*.toml"))
        names = [p.name for p in examples]
        for wanted in ("torch-lab.toml", "pytorch-cpu.toml", "conda-pytorch-cuda.toml", "data-science.toml",
                       "example.toml"):
            self.assertIn(wanted, names)
        for path in examples:
            with self.subTest(path.name):
                text = path.read_text()
                self.assertTrue(text.startswith("# "), "%s has no comment header" % path.name)
                self.assertIn("airlock-build build manifests/%s" % path.name if path.name != "example.toml"
                              else "packaging/setup.sh demo", text)
                code, out, err = lock(path, self.tmp.path / path.stem, "--offline", env=FAKE)
                self.assertEqual(code, 1, err)
                self.assertRegex(err, r"offline mode and \S+ is not in the cache", err)
                self.assertNotRegex(err, r"\.toml:\d+:\d+:", err)

    def test_the_examples_the_fixture_serves_lock(self):
        fx = catalog.torch_like()
        with fx.serve() as server:
            pypi = fx.index_url(server.url, "pypi")
            cu124 = fx.index_url(server.url, "pytorch-cu124")
            code, out, err = lock(MANIFESTS / "example.toml", self.tmp.path / "example",
                                  env={"AIRLOCK_EXAMPLE_INDEX": pypi, "AIRLOCK_EXAMPLE_CU124_INDEX": cu124})
            self.assertEqual(code, 0, err)
            self.assertIn("linux-py312:", out)
            for name, index in (("torch-lab.toml", "https://download.pytorch.org/whl/cu124"),
                                ("pytorch-cpu.toml", "https://download.pytorch.org/whl/cpu")):
                with self.subTest(name):
                    text = (MANIFESTS / name).read_text()
                    text = text.replace('"https://pypi.org/simple"', '"%s"' % pypi).replace('"%s"' % index, '"%s"' % cu124)
                    text = re.sub(r"(?m)^mirrors = .*$", "", text)
                    text = re.sub(r"(?s)requirements = \[.*?\]", 'requirements = ["torch==2.5.1"]', text)
                    manifest = self.tmp.path / name
                    manifest.write_text(text)
                    code, out, err = lock(manifest, self.tmp.path / ("out-" + name))
                    self.assertEqual(code, 0, err)
                    for target in re.findall(r'(?m)^name = "([a-z0-9-]+)"\s*(?:#.*)?$', text.split("[[index]]")[0]):
                        if target in ("torch-lab", "pytorch-cpu"):
                            continue
                        self.assertTrue((self.tmp.path / ("out-" + name) / ("pylock.%s.toml" % target)).is_file(), target)


if __name__ == "__main__":
    unittest.main(verbosity=2)
