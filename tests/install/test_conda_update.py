"""`airlock-install install BUNDLE --prefix DIR --update`: an existing conda environment (made by
installing bundle A) updated to bundle B, replacing only what changes, all or nothing.

The packages are real, made with conda-package-handling (test_conda_prefix.py's `python` package from
a CPython 3.12 of this machine, the `noarch: python` greet package, plain data packages). A holds
python, greet, tool 1.0, gone; B holds python, greet, tool 2.0 (a changed version), fresh (added)
and newpy (a new noarch: python package). Checked: after the update conda-meta/ and the files are
exactly B's, the unchanged packages' files keep their inodes (untouched), only newpy is
byte-compiled, history lists the removals and additions. Failing updates leave the prefix
byte-identical (a listing of every path with its type, mode and sha256; the same inodes): a tampered package in B,
a package needing __glibc >=99, and a failure in the middle of the swap (a new file where the
prefix holds a directory). Without --update a non-empty prefix is refused naming --update."""

import hashlib
import json
import os
import stat
import sys
import unittest
from pathlib import Path

from airlock_testing import conda, programs
from airlock_testing.conda_install_case import CondaInstallCase

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundlemaker as bm  # noqa: E402
from install_support import leftovers  # noqa: E402
from test_conda_prefix import greet_package, python_package  # noqa: E402

CHANNEL = "https://conda.example.org/conda-forge"
TARGET = bm.CondaTarget("linux-py312", "3.12", "manylinux_2_17_x86_64", "linux-64", specs=("tool", "greet"))


def data_package(name, version, files, depends=()):
    return conda.Package(name, version, "h0_0", "linux-64", formats=(".conda",), depends=list(depends), files=files)


def tree(root: Path, replace=(b"", b"")) -> dict:
    """Every path under `root`: type, mode and content hash (or link target); `replace` rewrites
    bytes of the content first (another prefix of the same length)."""
    out = {}
    for dirpath, dirs, names in os.walk(root):
        for n in dirs + names:
            p = Path(dirpath) / n
            st = p.lstat()
            rel = p.relative_to(root).as_posix()
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", stat.S_IMODE(st.st_mode))
            else:
                out[rel] = ("file", stat.S_IMODE(st.st_mode), hashlib.sha256(p.read_bytes().replace(*replace)).hexdigest())
    return out


class CondaUpdateTest(CondaInstallCase):
    TEMP_PREFIX = "airlock-conda-update-"
    ROOT_PREFIX = "acu"

    @classmethod
    def conda_packages(cls, work: Path, python_exe: Path):
        newpy = conda.Package("newpy", "1.0", "pyh0_0", "noarch", noarch="python", formats=(".conda",),
                              depends=["python >=3"],
                              files=[("site-packages/newpy/__init__.py", b"VALUE = 42\n")])
        pkgs = [python_package(python_exe, work), greet_package(),
                data_package("tool", "1.0", [("share/tool/version.txt", b"1.0\n"), ("share/tool/old-only.txt", b"old\n")]),
                data_package("tool", "2.0", [("share/tool/version.txt", b"2.0\n"), ("share/tool/new-only.txt", b"new\n")]),
                data_package("gone", "1.0", [("share/gone/gone.txt", b"gone\n")]),
                data_package("fresh", "1.0", [("share/fresh/fresh.txt", b"fresh\n")]),
                data_package("newglibc", "1.0", [("share/newglibc/x.txt", b"x\n")], depends=["__glibc >=99.0"]),
                # A file where the environment has greet's directory: fails in the swap.
                data_package("clash", "1.0", [("share/clash/c.txt", b"c\n"),
                                              ("lib/python3.12/site-packages/greet", b"not a directory\n")]),
                newpy]
        return [(p, ".conda") for p in pkgs]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.f = {p.stem: bm.CondaFile(cls.built[p.stem], p.subdir, CHANNEL) for p in cls.packages}
        cls.pub, cls.sec = bm.keypair(cls.tmp.path)
        cls.sequence = 0

    def bundle(self, name, stems):
        CondaUpdateTest.sequence += 1
        files = [self.f[s] if isinstance(s, str) else s for s in stems]
        return bm.make_conda_bundle(self.tmp.path / (name + ".airlock"), {TARGET: (files, [])},
                                    secret_key=self.sec, sequence=self.sequence)

    def a_files(self):
        return ["python-%s-h0_airlock" % self.python_version(), "greet-1.0-pyh0_0", "tool-1.0-h0_0", "gone-1.0-h0_0"]

    def python_version(self):
        return next(s for s in self.f if s.startswith("python-")).split("-")[1]

    def environment_a(self, name):
        prefix = self.root / name
        code, o, e = self.run_install(self.bundle("a-" + name, self.a_files()), prefix)
        self.assertEqual(code, 0, o + e)
        return prefix

    def records(self, prefix):
        return sorted(p.name for p in (prefix / "conda-meta").glob("*.json"))

    def test_update_replaces_only_what_changes(self):
        prefix = self.environment_a("env1")
        site = "lib/python3.12/site-packages"
        keep = [prefix / "bin/python3.12", prefix / site / "greet/__init__.py", prefix / "bin/greet"]
        inodes = {p: p.lstat().st_ino for p in keep}
        greet_pyc = sorted((prefix / site / "greet/__pycache__").iterdir())
        pyc_inodes = [p.stat().st_ino for p in greet_pyc]
        b = self.bundle("b", ["python-%s-h0_airlock" % self.python_version(), "greet-1.0-pyh0_0",
                              "tool-2.0-h0_0", "fresh-1.0-h0_0", "newpy-1.0-pyh0_0"])
        code, o, e = self.run_install(b, prefix, "--update")
        self.assertEqual(code, 0, o + e)
        self.assertIn("updated %s: 3 conda packages installed" % prefix, o)
        self.assertIn("2 removed, 2 unchanged", o)
        self.assertIn("byte-compiling 1 modules", o)  # newpy only
        # conda-meta and the files are B's, exactly.
        self.assertEqual(self.records(prefix), sorted(
            s + ".json" for s in ["python-%s-h0_airlock" % self.python_version(), "greet-1.0-pyh0_0",
                                  "tool-2.0-h0_0", "fresh-1.0-h0_0", "newpy-1.0-pyh0_0"]))
        fresh = self.root / "env2"  # B installed new, at a prefix of the same length
        code, o2, e2 = self.run_install(b, fresh)
        self.assertEqual(code, 0, o2 + e2)
        updated, new = tree(prefix), tree(fresh, (str(fresh).encode(), str(prefix).encode()))
        self.assertEqual(sorted(updated), sorted(new))
        for rel, entry in new.items():
            self.assertEqual(updated[rel][0], entry[0], rel)
            if entry[0] != "file" or not (rel.startswith("conda-meta/") or rel.endswith(".pyc")):
                self.assertEqual(updated[rel], entry, rel)
        for r in self.records(prefix):
            a, f = json.loads((prefix / "conda-meta" / r).read_text()), json.loads((fresh / "conda-meta" / r).read_text())
            self.assertEqual(a["files"], f["files"], r)
            self.assertEqual(a["sha256"], f["sha256"], r)
            for p in a["files"]:
                self.assertTrue(os.path.lexists(prefix / p), "%s lists %s, which is not there" % (r, p))
        self.assertFalse((prefix / "share/gone").exists())
        self.assertFalse((prefix / "share/tool/old-only.txt").exists())
        self.assertEqual((prefix / "share/tool/version.txt").read_text(), "2.0\n")
        # Unchanged packages were not touched.
        for p, ino in inodes.items():
            self.assertEqual(p.lstat().st_ino, ino, "%s was replaced" % p)
        self.assertEqual([p.stat().st_ino for p in greet_pyc], pyc_inodes)
        self.assertTrue(list((prefix / site / "newpy/__pycache__").glob("*.pyc")))
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.tmp.path)}
        r = programs.run([prefix / "bin/python", "-c", "import newpy, greet; print(newpy.VALUE)"], env=env)
        self.assertEqual(r[0], 0, r[1] + r[2])
        self.assertEqual(r[1], "42\n")
        history = (prefix / "conda-meta/history").read_text()
        self.assertEqual(history.count("==> "), 2)
        self.assertIn("-conda-forge/linux-64::tool-1.0-h0_0\n", history)
        self.assertIn("-conda-forge/linux-64::gone-1.0-h0_0\n", history)
        self.assertIn("+conda-forge/linux-64::tool-2.0-h0_0\n", history)
        self.assertIn("+conda-forge/noarch::newpy-1.0-pyh0_0\n", history)
        self.assertNotIn("+conda-forge/noarch::greet-1.0-pyh0_0\n", history.split("==> ")[2])
        self.assertIn("--update", history)
        self.assertEqual(leftovers(self.root), [])

    def failing_update(self, name, stems, expect):
        prefix = self.environment_a(name)
        before = tree(prefix)
        inodes = {p: p.lstat().st_ino for p in prefix.rglob("*")}
        code, o, e = self.run_install(self.bundle("bad-" + name, stems), prefix, "--update")
        self.assertEqual(code, 1, o + e)
        self.assertIn(expect, e)
        self.assertEqual(tree(prefix), before)
        self.assertEqual({p: p.lstat().st_ino for p in prefix.rglob("*")}, inodes)
        self.assertEqual(leftovers(self.root), [])

    def test_tampered_package_leaves_prefix_as_it_was(self):
        bad = conda.flip_byte_in_inner_tar(self.f["tool-2.0-h0_0"].path, self.tmp.path / "tampered")
        self.failing_update("tampered", self.a_files()[:2] + [bm.CondaFile(bad, "linux-64", CHANNEL)],
                            "tool-2.0-h0_0.conda")

    def test_glibc_too_new_leaves_prefix_as_it_was(self):
        self.failing_update("glibc", self.a_files() + ["newglibc-1.0-h0_0"],
                            "newglibc-1.0-h0_0.conda needs __glibc >=99.0")

    def test_failure_in_the_swap_leaves_prefix_as_it_was(self):
        # gone and tool 1.0 are moved aside, fresh's and clash's files move in until clash's file
        # meets greet's directory: everything is put back.
        self.failing_update("swap", self.a_files()[:2] + ["fresh-1.0-h0_0", "clash-1.0-h0_0"],
                            "a directory in the prefix")

    def test_non_empty_prefix_without_update_refused(self):
        prefix = self.environment_a("noupdate")
        before = tree(prefix)
        code, o, e = self.run_install(self.bundle("again", self.a_files()), prefix)
        self.assertEqual(code, 1, o + e)
        self.assertIn("exists and is not an empty directory", e)
        self.assertIn("--update", e)
        self.assertEqual(tree(prefix), before)

    def test_update_of_a_directory_that_is_no_environment(self):
        prefix = self.root / "plain"
        prefix.mkdir()
        (prefix / "file.txt").write_text("mine\n")
        code, o, e = self.run_install(self.bundle("plain", self.a_files()), prefix, "--update")
        self.assertEqual(code, 1, o + e)
        self.assertIn("is not a conda environment (no conda-meta/ directory)", e)
        self.assertEqual(sorted(p.name for p in prefix.iterdir()), ["file.txt"])


if __name__ == "__main__":
    unittest.main()
