"""The fixtures are real: real pip downloads them from real nginx and installs them into real venvs.

Also checks what the rest of the suite relies on: deterministic wheels with correct RECORDs, the
index pages (PEP 503 attributes, PEP 691 negotiation, PEP 658 files, the pytorch-style quirks),
the catalog's expected closures (pip on the target computes the same), and nginx's limits.
"""

import base64
import hashlib
import html.parser
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import catalog, index, pythons, venv, wheels  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402


def fetch(url, accept=None, headers=None):
    req = urllib.request.Request(url, headers=dict(headers or {}))
    if accept:
        req.add_header("Accept", accept)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, dict(r.headers), r.read()


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


class WheelTest(unittest.TestCase):
    def test_same_inputs_give_the_same_bytes(self):
        with TempDir() as d:
            kw = dict(tags="cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64", payload_size=3 * 1024 * 1024 + 7,
                      requires_dist=['b>=1; python_version >= "3.9"'], requires_python=">=3.8")
            a = wheels.build_wheel(d / "a", "My.Pkg", "2.5.1+cu124", **kw)
            b = wheels.build_wheel(d / "b", "My.Pkg", "2.5.1+cu124", **kw)
            self.assertEqual(a.name, "My_Pkg-2.5.1+cu124-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
            self.assertEqual(a.read_bytes(), b.read_bytes())
            c = wheels.build_wheel(d / "c", "My.Pkg", "2.5.2", **kw)
            self.assertNotEqual(wheels.sha256_file(a), wheels.sha256_file(c))
            s1 = wheels.build_sdist(d / "a", "legacy-only", "1.0")
            s2 = wheels.build_sdist(d / "b", "legacy-only", "1.0")
            self.assertEqual(s1.name, "legacy_only-1.0.tar.gz")
            self.assertEqual(s1.read_bytes(), s2.read_bytes())

    def test_record_matches_every_member(self):
        with TempDir() as d:
            w = wheels.build_wheel(d, "pkg", "1.0", payload_size=100_000, build_tag="1", provides_extra=["x"],
                                   requires_dist=['y; extra == "x"'])
            self.assertEqual(w.name, "pkg-1.0-1-py3-none-any.whl")
            with zipfile.ZipFile(w) as zf:
                self.assertEqual(zf.getinfo("pkg/_payload.bin").compress_type, zipfile.ZIP_STORED)
                rows = [r.split(",") for r in zf.read("pkg-1.0.dist-info/RECORD").decode().splitlines()]
                listed = {r[0] for r in rows}
                self.assertEqual(listed, set(zf.namelist()))
                for path, digest, size in rows:
                    if path.endswith("RECORD"):
                        self.assertEqual((digest, size), ("", ""))
                        continue
                    data = zf.read(path)
                    want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    self.assertEqual((digest, int(size)), (want, len(data)), path)
                meta = zf.read("pkg-1.0.dist-info/METADATA").decode()
                self.assertIn("Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n", meta)
                self.assertIn('Requires-Dist: y; extra == "x"', meta)
                self.assertIn("Provides-Extra: x", meta)
                self.assertIn("Tag: py3-none-any", zf.read("pkg-1.0.dist-info/WHEEL").decode())

    def test_compressed_tags_expand(self):
        self.assertEqual(
            wheels.expand_tags("py2.py3-none-any"), [("py2", "none", "any"), ("py3", "none", "any")]
        )
        self.assertEqual(
            wheels.compress_tags(wheels.expand_tags("cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64")),
            "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
        )


class IndexTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fx = catalog.torch_like()
        cls.server = Nginx(cls.fx.root, access_log=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def page(self, path, accept=None):
        return fetch(self.server.url + path, accept)

    def test_html_page_has_pep503_and_pep658_attributes(self):
        status, headers, body = self.page("/simple/jinja2/")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn('data-requires-python="&gt;=3.7"', body.decode())
        parser = Links()
        parser.feed(body.decode())
        self.assertEqual(len(parser.links), 2)
        for link in parser.links:
            href = link["href"]
            url, _, frag = href.partition("#")
            self.assertTrue(url.startswith("../../packages/jinja2/"), href)
            self.assertEqual(link["data-requires-python"], ">=3.7")  # the parser unescapes &gt;
            full = urllib.request.urljoin(self.server.url + "/simple/jinja2/", url)
            _, _, data = fetch(full)
            self.assertEqual(frag, "sha256=" + hashlib.sha256(data).hexdigest())
            _, _, meta = fetch(full + ".metadata")
            self.assertEqual(link["data-core-metadata"], "sha256=" + hashlib.sha256(meta).hexdigest())
            self.assertEqual(link["data-dist-info-metadata"], link["data-core-metadata"])

    def test_json_is_served_to_pep691_clients(self):
        status, headers, body = self.page(
            "/simple/fsspec/", accept="application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2"
        )
        self.assertEqual(headers["Content-Type"], "application/vnd.pypi.simple.v1+json")
        self.assertEqual(headers.get("Vary"), "Accept")
        doc = json.loads(body)
        self.assertEqual(doc["meta"]["api-version"], "1.1")
        self.assertEqual(doc["name"], "fsspec")
        self.assertEqual(set(doc["versions"]), {"2024.12.0", "2024.10.0", "2024.9.0"})
        by_name = {f["filename"]: f for f in doc["files"]}
        self.assertEqual(by_name["fsspec-2024.12.0-py3-none-any.whl"]["yanked"], "broken release, use 2024.10.0")
        f = by_name["fsspec-2024.10.0-py3-none-any.whl"]
        self.assertIs(f["yanked"], False)
        self.assertEqual(f["requires-python"], ">=3.8")
        url = urllib.request.urljoin(self.server.url + "/simple/fsspec/", f["url"])
        _, _, data = fetch(url)
        self.assertEqual(f["hashes"]["sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual(f["size"], len(data))
        _, _, meta = fetch(url + ".metadata")
        self.assertEqual(f["core-metadata"], {"sha256": hashlib.sha256(meta).hexdigest()})
        with zipfile.ZipFile(self.fx.files[f["filename"]]) as zf:
            self.assertEqual(meta, zf.read("fsspec-2024.10.0.dist-info/METADATA"))
        # The project list negotiates too; a plain client still gets HTML.
        _, headers, body = self.page("/simple/", accept="application/vnd.pypi.simple.v1+json")
        self.assertIn({"name": "Jinja2"}, json.loads(body)["projects"])
        _, headers, body = self.page("/simple/fsspec/")
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn('data-yanked="broken release, use 2024.10.0"', body.decode())

    def test_pytorch_style_index(self):
        _, _, body = self.page("/whl/cu124/torch/")
        parser = Links()
        parser.feed(body.decode())
        hrefs = [link["href"] for link in parser.links]
        names = [urllib.parse.unquote(h.split("#")[0].split("/")[-1]) for h in hrefs]
        self.assertIn("torch-2.5.1+cu124-cp312-cp312-linux_x86_64.whl", names)
        self.assertNotIn("data-core-metadata", body.decode())
        for h in hrefs:
            self.assertTrue(h.startswith("../../../whl/cu124/torch-2.5.1%2Bcu124-"), h)
            url, _, frag = h.partition("#")
            _, _, data = fetch(urllib.request.urljoin(self.server.url + "/whl/cu124/torch/", url))
            self.assertEqual(frag, "sha256=" + hashlib.sha256(data).hexdigest())
        with self.assertRaises(urllib.error.HTTPError):
            fetch(self.server.url + "/whl/cu124/torch/index.json")

    def test_mirror_serves_the_same_pages_under_another_root(self):
        server = self.fx.serve().start()
        try:
            for accept in (None, "application/vnd.pypi.simple.v1+json"):
                _, _, primary = fetch(self.fx.index_url(server.url) + "/sympy/", accept)
                _, headers, mirror = fetch(self.fx.mirror_url(server.url) + "/sympy/", accept)
                self.assertEqual(primary, mirror)
            self.assertEqual(headers["Content-Type"], "application/vnd.pypi.simple.v1+json")
            _, _, page = fetch(self.fx.mirror_url(server.url) + "/sympy/")
            parser = Links()
            parser.feed(page.decode())
            href = parser.links[0]["href"].split("#")[0]
            status, _, _ = fetch(urllib.request.urljoin(self.fx.mirror_url(server.url) + "/sympy/", href))
            self.assertEqual(status, 200)
        finally:
            server.stop()

    def test_metadata_file_equals_the_wheels_metadata(self):
        for name, path in self.fx.files.items():
            if name.endswith(".whl") and "/whl/" not in path.as_posix():
                self.assertEqual(path.with_name(name + ".metadata").read_bytes(), wheels.wheel_metadata(path), name)


class PipInstallsTheFixturesTest(unittest.TestCase):
    """What issue 2 asks: pip download from nginx, then install offline into a fresh venv."""

    @classmethod
    def setUpClass(cls):
        cls.fx = catalog.torch_like()
        cls.server = Nginx(cls.fx.root).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def download_then_install_offline(self, version, target):
        python = pythons.require_python(self, version)
        with TempDir() as tmp:
            env = venv.make_venv(python, tmp / "venv")
            baseline = venv.installed(env)
            dl = tmp / "wheels"
            venv.pip(env, "download", "torch==2.5.1", "--only-binary", ":all:", "-d", dl,
                     "--index-url", self.fx.index_url(self.server.url, "pypi"),
                     "--extra-index-url", self.fx.index_url(self.server.url, "pytorch-cu124"))
            self.assertEqual({p.name for p in dl.iterdir()}, self.fx.expected_files[target])
            venv.pip(env, "install", "--no-index", "--find-links", dl, "torch==2.5.1")
            now = venv.installed(env)
            added = {k: v for k, v in now.items() if baseline.get(k) != v}
            self.assertEqual(added, self.fx.expected[target])
            r = venv.pip(env, "check")
            self.assertIn("No broken requirements", r.stdout)
            code = ("import os, torch, jinja2, markupsafe; print(torch.__version__, jinja2.__version__, "
                    "os.path.getsize(os.path.join(os.path.dirname(torch.__file__), '_payload.bin')))")
            out = subprocess.run([str(venv.venv_python(env)), "-c", code], capture_output=True,
                                               text=True, env=venv.clean_env(), check=True).stdout.split()
            self.assertEqual(out[:2], ["2.5.1+cu124", "3.1.4"])
            self.assertEqual(int(out[2]), catalog.DEFAULT_SCALE)

    def test_linux_py312_closure_is_what_pip_on_the_target_installs(self):
        self.download_then_install_offline("3.12", "linux-py312")

    def test_linux_py311_closure_is_what_pip_on_the_target_installs(self):
        self.download_then_install_offline("3.11", "linux-py311")

    def test_plain_pip_download_and_offline_install(self):
        python = pythons.require_python(self, "%d.%d" % sys.version_info[:2])
        with TempDir() as tmp:
            env = venv.make_venv(python, tmp / "venv")
            venv.pip(env, "download", "jinja2", "-d", tmp / "dl", "--index-url", self.server.url + "/simple")
            names = sorted(p.name for p in (tmp / "dl").iterdir())
            self.assertEqual(len(names), 2, names)
            self.assertTrue(names[0].startswith("Jinja2-3.1.4-"), names)
            self.assertTrue(names[1].startswith("MarkupSafe-3.0.2-cp"), names)
            venv.pip(env, "install", "--no-index", "--find-links", tmp / "dl", "jinja2")
            self.assertEqual(venv.installed(env, exclude=["pip", "setuptools"]), {"jinja2": "3.1.4", "markupsafe": "3.0.2"})


class ErrorSetsTest(unittest.TestCase):
    """The small sets really fail (or succeed) the way their cases say, with real pip."""

    def test_pip_agrees_with_the_small_sets(self):
        python = pythons.require_python(self, "%d.%d" % sys.version_info[:2])
        with TempDir() as tmp:
            env = venv.make_venv(python, tmp / "venv")
            for fx in (catalog.conflict(), catalog.missing_dependency(), catalog.sdist_only(), catalog.yanked_only()):
                with fx.serve() as server:
                    for name, case in fx.cases.items():
                        r = venv.pip(env, "download", "--only-binary", ":all:", "-d", tmp / fx.name / name,
                                     "--index-url", fx.index_url(server.url), *case.requirements, check=False)
                        if case.expected is None:
                            self.assertNotEqual(r.returncode, 0, "%s/%s: %s" % (fx.name, name, r.stdout))
                        else:
                            got = {p.name.split("-")[0].lower() + "==" + p.name.split("-")[1]
                                   for p in (tmp / fx.name / name).iterdir()}
                            want = {n + "==" + v for n, v in case.expected["linux-py312"].items()}
                            self.assertEqual(r.returncode, 0, r.stderr)
                            self.assertEqual(got, want, "%s/%s" % (fx.name, name))


class NginxTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        (cls.tmp.path / "big.bin").write_bytes(os.urandom(2 * 1024 * 1024))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_limit_rate_caps_each_connection(self):
        with Nginx(self.tmp.path, limit_rate="1m") as server:
            start = time.monotonic()
            _, _, data = fetch(server.url + "/big.bin")
            elapsed = time.monotonic() - start
        self.assertEqual(len(data), 2 * 1024 * 1024)
        # 2 MiB at 1 MiB/s: nginx sends the first second's worth at once, then paces: ~1 s in all.
        self.assertGreater(elapsed, 0.8)
        self.assertLess(elapsed, 5)

    def test_limit_conn_answers_503_beyond_the_cap(self):
        with Nginx(self.tmp.path, limit_rate="256k", limit_conn=1) as server:
            holder = socket.create_connection(("127.0.0.1", server.port))
            try:
                holder.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
                holder.recv(1024)  # the first connection is being served (slowly)
                with self.assertRaises(urllib.error.HTTPError) as cm:
                    fetch(server.url + "/big.bin")
                self.assertEqual(cm.exception.code, 503)
            finally:
                holder.close()

    def test_ranges_on_and_off(self):
        with Nginx(self.tmp.path, access_log=True) as server:
            status, headers, data = fetch(server.url + "/big.bin", headers={"Range": "bytes=10-19"})
            self.assertEqual((status, len(data)), (206, 10))
            self.assertTrue(any(" bytes=10-19 " in line for line in server.access_log_lines()))
        with Nginx(self.tmp.path, ranges=False) as server:
            status, headers, data = fetch(server.url + "/big.bin", headers={"Range": "bytes=10-19"})
            self.assertEqual((status, len(data)), (200, 2 * 1024 * 1024))

    def test_a_broken_config_reports_the_error_log(self):
        from airlock_testing.nginx import NginxError

        with self.assertRaises(NginxError) as cm:
            Nginx(self.tmp.path, locations=["this_is_not_a_directive;"]).start()
        self.assertIn("unknown directive", str(cm.exception))

    def test_index_module_groups_files(self):
        groups = index.project_files(["x/Jinja2-3.1.4-py3-none-any.whl", "x/legacy_only-1.0.tar.gz"])
        self.assertEqual(sorted(groups), ["jinja2", "legacy-only"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
