"""`airlock-build build` and `fetch` with [conda]: the fixture channels of the lock tests (real
.conda/.tar.bz2 packages made by cph, served by nginx) give one bundle for linux-64 and win-64
targets (CUDA and CPU). Its `conda/` is a valid local channel (each subdir's repodata.json lists
exactly the package files beside it, with their sha256, md5 and size), it carries the lock's
@EXPLICIT and lock files, `pkg:conda/` purls in the SBOM and a format 2 manifest; the installer's
`verify` and `list` accept it offline. The same inputs give the same bytes; a package whose bytes
on the server no longer match the lock is refused with nothing written; a mixed manifest carries
wheels and conda packages; credentials in the channel URL are written nowhere.
"""

import hashlib
import json
import os
import re
import sys
import tarfile
import tomllib
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "install"))

from airlock_testing import conda, index, programs, venv, wheels  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402
from install_support import require_unshare, run_install  # noqa: E402

EPOCH = "1767225600"


class CondaBundleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir(prefix="airlock-conda-bundle-")
        root = cls.tmp.path / "srv"
        cls.fx = conda.torch_channels(root)
        dist = cls.tmp.path / "dist"
        index.build_index(root, {"tinydep": [wheels.build_wheel(dist, "tinydep", "1.0", requires_python=">=3.8")]})
        cls.server = Nginx(root).start()
        # The same channels behind basic auth: every request must carry the credentials.
        (cls.tmp.path / "htpasswd").write_text("someone:{PLAIN}s3cr3t\n")
        cls.auth_server = Nginx(root, htpasswd=cls.tmp.path / "htpasswd").start()
        keys = cls.tmp.path / "keys"
        keys.mkdir()
        code, out, err = programs.run([programs.airlock_build(), "keygen", "--out", keys / "site", "--no-password"],
                                      env=venv.clean_env())
        assert code == 0, out + err
        cls.key, cls.pub = keys / "site.key", keys / "site.pub"
        cls.manifest = cls.write(cls.tmp.path / "torch", conda.torch_manifest(cls.server.url))
        cls.lock_dir = cls.tmp.path / "torch" / "lock"
        cls.run_build(["lock", cls.manifest, "-o", cls.lock_dir, "--cache-dir", cls.tmp.path / "lock-cache"])
        cls.bundle = cls.tmp.path / "torch" / "lab.tar"
        cls.run_build(["build", cls.manifest, "--lock", cls.lock_dir, "-o", cls.bundle, "--key", cls.key,
                       "--cache-dir", cls.tmp.path / "cache-a"])
        cls.x = cls.tmp.path / "torch" / "x"
        cls.x.mkdir()
        with tarfile.open(cls.bundle) as tf:
            tf.extractall(cls.x, filter="data")
        cls.doc = tomllib.loads((cls.x / "airlock" / "manifest.toml").read_text())

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.auth_server.stop()
        cls.tmp.cleanup()

    @staticmethod
    def write(d: Path, text: str) -> Path:
        d.mkdir(parents=True, exist_ok=True)
        (d / "manifest.toml").write_text(text)
        return d / "manifest.toml"

    @staticmethod
    def run_build(args, expect=0):
        env = venv.clean_env()
        env["SOURCE_DATE_EPOCH"] = EPOCH
        code, out, err = programs.run([programs.airlock_build(), *args], env=env)
        assert code == expect, "exit %d:\n%s\n%s" % (code, out, err)
        return out, err

    def files(self):
        return {f["path"]: f for f in self.doc["file"]}

    def test_manifest_is_format_2_with_conda_targets(self):
        self.assertEqual(self.doc["format"], 2)
        targets = {t["name"]: t for t in self.doc["target"]}
        self.assertEqual(set(targets), set(conda.TORCH_TARGETS))
        for name, t in targets.items():
            self.assertEqual(t["ecosystems"], ["conda"])
            self.assertEqual(t["conda_subdir"], "win-64" if name.startswith("win") else "linux-64")
            self.assertEqual(t["conda_specs"], ["pytorch=2.3.1", "numpy<2"])
        files = self.files()
        for name, expected in conda.TORCH_EXPECTED.items():
            for pkg, (version, build, channel, subdir) in expected.items():
                f = self.fx.preferred(pkg, version, build, subdir)
                entry = files["conda/%s/%s" % (subdir, f.filename)]
                self.assertEqual((entry["sha256"], entry["md5"], entry["size"]), (f.sha256, f.md5, f.size))
                self.assertEqual((entry["package"], entry["version"]), (pkg, version))
                self.assertIn(name, entry["targets"])
                self.assertEqual(entry["urls"], ["%s/%s/%s/%s" % (self.server.url, channel, subdir, f.filename)])
        # A package one target needs is listed for that target only.
        cpu = files["conda/noarch/" + self.fx.preferred("pytorch-mutex", "1.0", "cpu", "noarch").filename]
        self.assertEqual(cpu["targets"], ["linux-py312-cpu"])
        self.assertFalse(any(p.startswith("wheels/") or "pylock" in p for p in files))

    def test_conda_dir_is_a_valid_channel(self):
        conda_dir = self.x / "conda"
        self.assertEqual(sorted(p.name for p in conda_dir.iterdir()), ["linux-64", "noarch", "win-64"])
        listed = set()
        for subdir in conda_dir.iterdir():
            repodata = json.loads((subdir / "repodata.json").read_text())
            self.assertEqual(repodata["info"]["subdir"], subdir.name)
            records = dict(repodata["packages"])
            records.update(repodata["packages.conda"])
            self.assertEqual(set(repodata["packages.conda"]), {n for n in records if n.endswith(".conda")})
            on_disk = {p.name for p in subdir.iterdir() if p.name != "repodata.json"}
            self.assertEqual(set(records), on_disk, subdir.name)
            for fn, r in records.items():
                data = (subdir / fn).read_bytes()
                self.assertEqual((r["sha256"], r["md5"], r["size"]),
                                 (hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest(), len(data)), fn)
                self.assertEqual(r["subdir"], subdir.name)
                original = self.fx.file(self.fx_channel(fn, subdir.name), subdir.name, fn).record
                for key in ("name", "version", "build", "build_number", "depends"):
                    self.assertEqual(r[key], original[key], (fn, key))
                listed.add("conda/%s/%s" % (subdir.name, fn))
        self.assertEqual(listed, {p for p in self.files() if p.startswith("conda/") and not p.endswith("repodata.json")})

    def fx_channel(self, fn, subdir):
        return next(f.channel for f in self.fx.files if f.filename == fn and f.package.subdir == subdir)

    def test_explicit_and_lock_files_are_the_locks(self):
        for name in conda.TORCH_TARGETS:
            for suffix in (".txt", ".lock.toml"):
                got = (self.x / "airlock" / ("conda." + name + suffix)).read_bytes()
                self.assertEqual(got, (self.lock_dir / ("conda." + name + suffix)).read_bytes())
            body = (self.x / "airlock" / ("conda." + name + ".txt")).read_text().splitlines()
            body = body[body.index("@EXPLICIT") + 1:]
            self.assertEqual(len(body), len(conda.TORCH_EXPECTED[name]))
            for line in body:
                url, _, sha = line.partition("#")
                subdir, fn = url.rsplit("/", 2)[1:]
                data = (self.x / "conda" / subdir / fn).read_bytes()
                self.assertEqual(hashlib.sha256(data).hexdigest(), sha)

    def test_sbom_has_conda_purls(self):
        sbom = json.loads((self.x / "sbom.cdx.json").read_text())
        by_ref = {c["bom-ref"]: c for c in sbom["components"]}
        packages = [p for p in self.files() if p.startswith("conda/") and not p.endswith("repodata.json")]
        self.assertEqual(set(by_ref), set(packages))
        for path in packages:
            subdir, fn = path.split("/")[1:]
            f = self.fx.file(self.fx_channel(fn, subdir), subdir, fn)
            kind = "conda" if fn.endswith(".conda") else "tar.bz2"
            self.assertEqual(by_ref[path]["purl"], "pkg:conda/%s@%s?build=%s&channel=%s&subdir=%s&type=%s" % (
                f.package.name, f.package.version, f.package.build, f.channel, subdir, kind))
            self.assertEqual(by_ref[path]["hashes"], [{"alg": "SHA-256", "content": f.sha256}])

    def test_installer_verifies_and_lists_it_offline(self):
        require_unshare()
        state = self.tmp.path / "state"
        code, out, err = run_install(["verify", self.bundle, "--key", self.pub], state)
        self.assertEqual(code, 0, out + err)
        self.assertIn("OK: bundle `conda-lab`", out)
        code, out, err = run_install(["list", self.bundle, "--key", self.pub], state)
        self.assertEqual(code, 0, out + err)
        self.assertIn("win-py312-cu121", out)
        self.assertIn("pytorch 2.3.1", out)

    def test_same_inputs_same_bytes_and_fetch_lays_out_conda(self):
        again = self.tmp.path / "torch" / "again.tar"
        self.run_build(["build", self.manifest, "--lock", self.lock_dir, "-o", again, "--key", self.key,
                        "--cache-dir", self.tmp.path / "cache-b"])
        self.assertEqual(again.read_bytes(), self.bundle.read_bytes())
        out = self.tmp.path / "torch" / "fetched"
        stdout, _ = self.run_build(["fetch", self.manifest, "--lock", self.lock_dir, "-o", out,
                                    "--cache-dir", self.tmp.path / "cache-a"])
        fetched = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
        bundled = sorted(p for p in self.files() if p.startswith("conda/") and not p.endswith("repodata.json"))
        self.assertEqual(fetched, bundled)
        self.assertIn("%d files" % len(bundled), stdout)

    def test_a_conda_lock_that_misses_a_spec_is_stale(self):
        changed = self.write(self.tmp.path / "changed",
                             conda.torch_manifest(self.server.url, specs=("pytorch=2.3.1", "numpy>=2")))
        _, err = self.run_build(["build", changed, "--lock", self.lock_dir, "-o", changed.parent / "b.tar"],
                                expect=1)
        self.assertIn("is stale: the [conda] spec `numpy>=2` matches no package of `conda.", err)
        self.assertFalse((changed.parent / "b.tar").exists())

    def test_tampered_package_is_refused_with_nothing_written(self):
        f = self.fx.preferred("numpy", "1.26.4", "py312h8753c53_0", "linux-64")
        original = f.path.read_bytes()
        flipped = bytearray(original)
        flipped[len(flipped) // 2] ^= 0x01
        try:
            f.path.write_bytes(bytes(flipped))
            d = self.tmp.path / "tampered"
            d.mkdir()
            for cmd in (["fetch", self.manifest, "--lock", self.lock_dir, "-o", d / "out"],
                        ["build", self.manifest, "--lock", self.lock_dir, "-o", d / "b.tar"]):
                with self.subTest(cmd=cmd[0]):
                    _, err = self.run_build(cmd + ["--cache-dir", d / ("cache-" + cmd[0])], expect=1)
                    self.assertIn("`%s`: sha256 mismatch: expected %s, computed %s" % (
                        f.filename, f.sha256, hashlib.sha256(flipped).hexdigest()), err)
                    self.assertIn("/conda-forge/linux-64/" + f.filename, err)
            self.assertEqual(sorted(p.name for p in d.iterdir() if not p.name.startswith("cache-")), [])
            blobs = [p for p in (d / "cache-build").rglob("*") if p.is_file() and "blobs" in p.parts]
            self.assertNotIn(hashlib.sha256(flipped).hexdigest()[2:], [p.name for p in blobs])

            # A lock whose records carry md5 only (another tool's): md5 is checked instead.
            md5_lock = self.tmp.path / "md5-lock"
            md5_lock.mkdir()
            for p in self.lock_dir.iterdir():
                text = p.read_text()
                if p.name.endswith(".lock.toml"):
                    text = re.sub(r'(?m)^sha256 = "[0-9a-f]{64}"$', 'sha256 = ""', text)
                (md5_lock / p.name).write_text(text)
            _, err = self.run_build(["fetch", self.manifest, "--lock", md5_lock, "-o", d / "out",
                                     "--cache-dir", d / "cache-md5"], expect=1)
            self.assertIn("`%s`: md5 mismatch: expected %s, computed %s" % (
                f.filename, f.md5, hashlib.md5(flipped).hexdigest()), err)
            self.assertFalse((d / "out").exists())
        finally:
            f.path.write_bytes(original)
        self.run_build(["fetch", self.manifest, "--lock", md5_lock, "-o", d / "out", "--cache-dir", d / "cache-md5"])
        self.assertEqual((d / "out" / "conda" / "linux-64" / f.filename).read_bytes(), original)

    def test_mixed_manifest_carries_wheels_and_conda_packages(self):
        targets = {"linux-py312-cpu": conda.TORCH_TARGETS["linux-py312-cpu"]}
        text = conda.torch_manifest(self.auth_server.url, specs=["python", "numpy<2"], targets=targets)
        text += '\n[[index]]\nname = "pypi"\nurl = "%s/simple"\n\n[python]\nrequirements = ["tinydep"]\n' % \
            self.auth_server.url
        # The server wants credentials: those in the URLs are sent (repodata, packages, wheels),
        # never written.
        text = text.replace("http://", "http://someone:s3cr3t@")
        manifest = self.write(self.tmp.path / "mixed", text)
        bundle = self.tmp.path / "mixed" / "b.tar"
        self.run_build(["build", manifest, "-o", bundle, "--cache-dir", self.tmp.path / "cache-mixed"])
        with tarfile.open(bundle) as tf:
            names = tf.getnames()
            doc = tomllib.loads(tf.extractfile("airlock/manifest.toml").read().decode())
            texts = [tf.extractfile(n).read() for n in names if n.startswith("airlock/") or n.endswith(".json")]
        self.assertEqual(doc["target"][0]["ecosystems"], ["conda", "pip"])
        self.assertEqual(doc["target"][0]["conda_specs"], ["python", "numpy<2"])
        self.assertIn("wheels/tinydep-1.0-py3-none-any.whl", names)
        for n in ("airlock/pylock.linux-py312-cpu.toml", "airlock/requirements.linux-py312-cpu.txt",
                  "airlock/conda.linux-py312-cpu.txt", "airlock/conda.linux-py312-cpu.lock.toml",
                  "conda/linux-64/repodata.json", "conda/noarch/repodata.json"):
            self.assertIn(n, names)
        self.assertTrue(any(n.startswith("conda/linux-64/python-3.12.7") for n in names))
        for t in texts:
            self.assertNotIn(b"s3cr3t", t)
            self.assertNotIn(b"someone", t)


if __name__ == "__main__":
    unittest.main(verbosity=2)
