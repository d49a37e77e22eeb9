"""The conda fixture channels are real: Debian's conda-package-handling (cph) reads every package
back, paths.json describes the extracted files exactly, and nginx serves repodata.json (and
.json.zst) whose records match the files byte for byte.
"""

import hashlib
import json
import os
import subprocess
import sys
import unittest
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import conda  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402

_EXTRACT = r"""
import json, sys
from conda_package_handling import api
for archive, dest in json.load(sys.stdin):
    api.extract(archive, dest_dir=dest)
"""


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


class CondaChannelsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        cls.fx = conda.torch_channels(cls.tmp.path / "channels")
        cls.server = Nginx(cls.fx.root).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def test_both_formats_and_every_subdir(self):
        names = {f.filename for f in self.fx.files}
        self.assertIn("pytorch-2.3.1-py3.12_cuda12.1_cudnn8_0.tar.bz2", names)
        self.assertIn("cuda-version-12.1-h1d6eff3_3.conda", names)
        self.assertIn("typing_extensions-4.12.2-pyha770c72_0.conda", names)
        self.assertIn("typing_extensions-4.12.2-pyha770c72_0.tar.bz2", names)
        for channel in ("pytorch", "nvidia", "conda-forge"):
            for subdir in ("linux-64", "win-64", "noarch"):
                self.assertTrue((self.fx.root / channel / subdir / "repodata.json").is_file(), (channel, subdir))

    def test_cph_reads_every_package_back(self):
        out = self.tmp.path / "extracted"
        jobs = [[str(f.path), str(out / f.channel / f.package.subdir / f.filename)] for f in self.fx.files]
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        subprocess.run([conda.cph_python(), "-c", _EXTRACT], input=json.dumps(jobs), text=True, check=True,
                       env=env)
        for f, (_, dest) in zip(self.fx.files, jobs):
            dest = Path(dest)
            index = json.loads((dest / "info" / "index.json").read_text())
            record = dict(f.record)
            for k in ("md5", "sha256", "size"):
                record.pop(k)
            self.assertEqual({k: v for k, v in index.items() if v is not None}, record, f.filename)
            paths = json.loads((dest / "info" / "paths.json").read_text())
            self.assertEqual(paths["paths_version"], 1)
            listed = (dest / "info" / "files").read_text().splitlines()
            self.assertEqual(listed, [p["_path"] for p in paths["paths"]], f.filename)
            payload = {str(p.relative_to(dest)) for p in dest.rglob("*")
                       if (p.is_file() or p.is_symlink()) and not str(p.relative_to(dest)).startswith("info/")}
            self.assertEqual(payload, set(listed), f.filename)
            for p in paths["paths"]:
                target = dest / p["_path"]
                if p["path_type"] == "softlink":
                    data = os.readlink(target).encode()
                else:
                    self.assertEqual(p["path_type"], "hardlink")
                    data = target.read_bytes()
                self.assertEqual((hashlib.sha256(data).hexdigest(), len(data)), (p["sha256"], p["size_in_bytes"]))
                if "prefix_placeholder" in p:
                    self.assertIn(p["file_mode"], ("text", "binary"))
                    self.assertIn(p["prefix_placeholder"].encode(), data)
            if f.package.noarch == "python":
                link = json.loads((dest / "info" / "link.json").read_text())
                self.assertEqual(link["noarch"], {"type": "python"})
                self.assertTrue(all(p.startswith("site-packages/") for p in listed), listed)

    def test_the_cph_command_extracts_both_formats(self):
        for name in ("pytorch-2.3.1-py3.12_cuda12.1_cudnn8_0.tar.bz2", "cuda-cudart-12.1.105-0.conda"):
            f = next(f for f in self.fx.files if f.filename == name and f.package.subdir == "linux-64")
            dest = self.tmp.path / "cph" / name
            subprocess.run(["cph", "x", "--dest", str(dest), str(f.path)], check=True, capture_output=True)
            self.assertEqual(json.loads((dest / "info" / "index.json").read_text())["name"], f.package.name)

    def test_repodata_served_by_nginx_matches_the_files(self):
        for channel in ("pytorch", "nvidia", "conda-forge"):
            for subdir in ("linux-64", "win-64", "noarch"):
                base = "%s/%s/%s/" % (self.server.url, channel, subdir)
                doc = json.loads(fetch(base + "repodata.json"))
                self.assertEqual(doc["info"]["subdir"], subdir)
                for key in ("packages", "packages.conda"):
                    for filename, record in doc[key].items():
                        self.assertEqual(filename.endswith(".conda"), key == "packages.conda")
                        data = fetch(base + filename)
                        self.assertEqual(record["sha256"], hashlib.sha256(data).hexdigest())
                        self.assertEqual(record["md5"], hashlib.md5(data).hexdigest())
                        self.assertEqual(record["size"], len(data))
                        self.assertEqual(record["subdir"], subdir)
        zst = fetch(self.server.url + "/conda-forge/linux-64/repodata.json.zst")
        plain = subprocess.run(["zstd", "-d", "-c"], input=zst, capture_output=True, check=True).stdout
        self.assertEqual(plain, fetch(self.server.url + "/conda-forge/linux-64/repodata.json"))

    def test_the_model_of_the_real_channels(self):
        def record(channel, subdir, filename):
            return self.fx.file(channel, subdir, filename).record

        cuda = record("pytorch", "linux-64", "pytorch-2.3.1-py3.12_cuda12.1_cudnn8_0.tar.bz2")
        self.assertIn("pytorch-cuda >=12.1,<12.2", cuda["depends"])
        self.assertIn("pytorch-mutex 1.0 cuda", cuda["depends"])
        self.assertEqual(record("pytorch", "noarch", "cpuonly-2.0-0.tar.bz2")["track_features"], "cpuonly")
        self.assertIn("cuda-cudart >=12.1,<12.2",
                      record("pytorch", "linux-64", "pytorch-cuda-12.1-ha16c6d3_6.tar.bz2")["depends"])
        self.assertIn("__cuda >=12.1", record("nvidia", "noarch", "cuda-version-12.1-h1d6eff3_3.conda")["constrains"])
        self.assertEqual(record("nvidia", "noarch", "cuda-version-12.1-h1d6eff3_3.conda")["noarch"], "generic")

    def test_same_inputs_give_the_same_bytes(self):
        pkgs = [p for p in conda.conda_forge_channel() if p.name in ("typing_extensions", "libzlib")]
        a = conda.build_channels(self.tmp.path / "a", {"c": pkgs})
        b = conda.build_channels(self.tmp.path / "b", {"c": pkgs})
        self.assertEqual([(f.filename, f.sha256) for f in a.files], [(f.filename, f.sha256) for f in b.files])
        self.assertEqual((a.root / "c/noarch/repodata.json").read_bytes(), (b.root / "c/noarch/repodata.json").read_bytes())


if __name__ == "__main__":
    unittest.main(verbosity=2)
