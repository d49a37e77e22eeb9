"""The files users already have, as inputs of `airlock-build lock|fetch|build` and `init`.

Against the torch-like fixture index (nginx on loopback): a pip requirements file with `-r`/`-c`
includes and `--hash` pins for every package (as `pip-compile --generate-hashes` writes them),
an environment.yml with a `pip:` section, and `init --from` each produce byte-for-byte the lock of
the equivalent manifest; targets come from `--add-target`; a wrong pin is refused; a PEP 751 file
with several wheels per package and markers (as uv writes for many platforms) is taken as it is,
per target; `fetch` downloads and verifies what these inputs locked.
"""

import json
import sys
import tomllib
import unittest
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import catalog, programs, venv  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402

TARGETS = ["linux-py312:manylinux_2_28_x86_64:3.12:12.4", "win-py312:win_amd64:3.12"]
TARGET_FLAGS = [a for t in TARGETS for a in ("--add-target", t)]


def build(*args, cwd=None, expect=0) -> str:
    code, out, err = programs.run([programs.airlock_build(), *args], env=venv.clean_env(), cwd=cwd)
    if code != expect:
        raise AssertionError("airlock-build %s exited %d, not %d:\n%s%s" % (args[0], code, expect, out, err))
    return out + err


def files(directory: Path) -> Dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def packages(pylock: Path) -> Dict[str, str]:
    return {p["name"]: p["version"] for p in tomllib.loads(pylock.read_text())["packages"]}


class InputFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fx = catalog.torch_like(scale=4096)
        cls.server = cls.fx.serve().start()
        cls.tmp = TempDir(prefix="airlock-inputs-")
        cls.dir = cls.tmp.path
        cls.cache = cls.dir / "cache"
        cls.index = cls.fx.index_url(cls.server.url, "pypi")
        # The reference: the manifest with PyPI only, locked for both targets.
        reference = cls.dir / "reference.toml"
        reference.write_text(cls.fx.manifest(cls.server.url, case="pypi_only", targets=["linux-py312", "win-py312"]))
        build("lock", reference, "-o", cls.dir / "reference", "--cache-dir", cls.cache)
        cls.linux = tomllib.loads((cls.dir / "reference" / "pylock.linux-py312.toml").read_text())
        cls.win = tomllib.loads((cls.dir / "reference" / "pylock.win-py312.toml").read_text())

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def pins(self) -> List[tuple]:
        """(name, version, marker, sorted sha256s) of every package either target locked."""
        by_name: Dict[str, dict] = {}
        for data, linux in ((self.linux, True), (self.win, False)):
            for p in data["packages"]:
                entry = by_name.setdefault(p["name"], {"version": p["version"], "linux": False, "win": False, "hashes": set()})
                entry["linux" if linux else "win"] = True
                entry["hashes"].update(w["hashes"]["sha256"] for w in p["wheels"])
        out = []
        for name, e in sorted(by_name.items()):
            marker = "" if e["linux"] and e["win"] else ' ; sys_platform == "linux"' if e["linux"] else ' ; sys_platform == "win32"'
            out.append((name, e["version"], marker, sorted(e["hashes"])))
        return out

    def hashed_requirements(self, work: Path) -> Path:
        """top.txt → -r deps/rest.txt and -c deps/pins.txt; torch in the top file."""
        (work / "deps").mkdir(parents=True)
        lines = {"top": ["# made like pip-compile --generate-hashes", "--index-url " + self.index], "rest": []}
        for name, version, marker, hashes in self.pins():
            text = "%s==%s%s \\\n" % (name, version, marker) + " \\\n".join("    --hash=sha256:" + h for h in hashes)
            lines["top" if name == "torch" else "rest"].append(text)
        lines["top"] += ["-r deps/rest.txt", "-c deps/pins.txt"]
        (work / "top.txt").write_text("\n".join(lines["top"]) + "\n")
        (work / "deps" / "rest.txt").write_text("\n".join(lines["rest"]) + "\n")
        (work / "deps" / "pins.txt").write_text("filelock<4  # a constraint, relative to rest.txt's folder\n")
        return work / "top.txt"

    def equivalent_manifest(self, path: Path) -> None:
        """The manifest saying what the hashed requirements say, in the same order."""
        pins = self.pins()
        order = [p for p in pins if p[0] == "torch"] + [p for p in pins if p[0] != "torch"]
        out = ['[bundle]', 'name = "bundle"', 'version = "1.0.0"', ""]
        for t in TARGETS:
            name, platform, python, *cuda = t.split(":")
            out += ["[[target]]", 'name = "%s"' % name, 'platform = "%s"' % platform, 'python = "%s"' % python]
            out += ['cuda = "%s"' % c for c in cuda] + [""]
        out += ["[[index]]", 'name = "index"', 'url = "%s"' % self.index, ""]
        out += ["[python]", "requirements = %s" % json.dumps(["%s==%s%s" % (n, v, m) for n, v, m, _ in order])]
        out += ['constraints = ["filelock<4"]', "", "[python.hashes]"]
        out += ['%s = %s' % (n, json.dumps(["sha256:" + h for h in hs])) for n, _, _, hs in pins]
        path.write_text("\n".join(out) + "\n")

    def test_hashed_requirements_with_includes_lock_like_the_manifest(self):
        work = self.dir / "hashed"
        top = self.hashed_requirements(work)
        build("lock", "-r", top, *TARGET_FLAGS, "-o", work / "from-requirements", "--cache-dir", self.cache)
        self.equivalent_manifest(work / "manifest.toml")
        build("lock", work / "manifest.toml", "-o", work / "from-manifest", "--cache-dir", self.cache)
        self.assertEqual(files(work / "from-requirements"), files(work / "from-manifest"))
        for target in ("linux-py312", "win-py312"):
            self.assertEqual(packages(work / "from-requirements" / ("pylock.%s.toml" % target)),
                             packages(self.dir / "reference" / ("pylock.%s.toml" % target)))

        # init --from writes that manifest (commented), and it locks the same.
        build("init", "--from", top, *TARGET_FLAGS, "-o", work / "init.toml")
        self.assertIn("# --hash pins", (work / "init.toml").read_text())
        build("lock", work / "init.toml", "-o", work / "from-init", "--cache-dir", self.cache)
        self.assertEqual(files(work / "from-requirements"), files(work / "from-init"))
        out = build("init", "--from", top, "-o", work / "init.toml", expect=1)
        self.assertIn("exists already", out)

        # fetch takes the same inputs and verifies every file it downloads.
        out = build("fetch", "-r", top, *TARGET_FLAGS, "-o", work / "wheels", "--cache-dir", self.cache, "-q")
        names = {w["name"] for data in (self.linux, self.win) for p in data["packages"] for w in p["wheels"]}
        self.assertEqual({p.name for p in (work / "wheels").iterdir()}, names)

        # --target selects among the targets --add-target defined.
        build("lock", "-r", top, *TARGET_FLAGS, "--target", "win-py312", "-o", work / "win-only", "--cache-dir", self.cache)
        self.assertEqual(sorted(files(work / "win-only")), ["pylock.win-py312.toml", "requirements.win-py312.txt"])

    def test_a_wrong_or_missing_pin_is_refused(self):
        work = self.dir / "wrong"
        top = self.hashed_requirements(work)
        rest = work / "deps" / "rest.txt"
        text = rest.read_text()
        sympy = next(h for n, _, _, hs in self.pins() if n == "sympy" for h in hs)
        rest.write_text(text.replace(sympy, "0" * 64))
        out = build("lock", "-r", top, *TARGET_FLAGS, "-o", work / "out", "--cache-dir", self.cache, expect=1)
        self.assertIn("sympy 1.13.1 has none of its 1 wheel(s) matching the --hash pins", out)
        self.assertFalse((work / "out").exists())
        # A dependency left out: pip's hash-checking mode needs it pinned too.
        lines = [line for line in text.splitlines(keepends=True)]
        start = next(i for i, line in enumerate(lines) if line.startswith("mpmath=="))
        end = start + 1
        while end < len(lines) and lines[end].startswith("    --hash"):
            end += 1
        rest.write_text("".join(lines[:start] + lines[end:]))
        out = build("lock", "-r", top, *TARGET_FLAGS, "-o", work / "out", "--cache-dir", self.cache, expect=1)
        self.assertIn("mpmath 1.3.0 has no --hash pin (hash-checking mode)", out)

    def test_environment_yml_pip_section_locks_like_the_manifest(self):
        work = self.dir / "env"
        work.mkdir()
        (work / "more.txt").write_text("filelock==3.15.4\n")
        (work / "environment.yml").write_text(
            "name: lab-env\n"
            "dependencies:\n"
            "  - pip:\n"
            "      - --index-url %s\n"
            "      - jinja2==3.1.4\n"
            "      - -r more.txt\n" % self.index)
        build("lock", "--environment", work / "environment.yml", *TARGET_FLAGS, "-o", work / "from-env",
              "--cache-dir", self.cache)
        (work / "manifest.toml").write_text(
            '[bundle]\nname = "lab-env"\nversion = "1.0.0"\n\n'
            + "".join('[[target]]\nname = "%s"\nplatform = "%s"\npython = "%s"\n%s\n'
                      % (t.split(":")[0], t.split(":")[1], t.split(":")[2],
                         'cuda = "%s"\n' % t.split(":")[3] if t.count(":") == 3 else "") for t in TARGETS)
            + '[[index]]\nname = "index"\nurl = "%s"\n\n[python]\nrequirements = ["jinja2==3.1.4", "filelock==3.15.4"]\n'
            % self.index)
        build("lock", work / "manifest.toml", "-o", work / "from-manifest", "--cache-dir", self.cache)
        self.assertEqual(files(work / "from-env"), files(work / "from-manifest"))
        self.assertEqual(packages(work / "from-env" / "pylock.win-py312.toml"),
                         {"filelock": "3.15.4", "jinja2": "3.1.4", "markupsafe": "3.0.2"})
        # `name` becomes the bundle's name.
        out = build("build", "--environment", work / "environment.yml", *TARGET_FLAGS, "-o", work / "lab.tar",
                    "--cache-dir", self.cache, "-q")
        self.assertEqual(out, "")
        code, listing, err = programs.run([programs.airlock_install(), "list", work / "lab.tar"],
                                          env=venv.clean_env())
        self.assertEqual(code, 0, err)
        self.assertIn("lab-env", listing)
        # --bundle-name and --bundle-version win over the environment's name (and 1.0.0).
        build("build", "--environment", work / "environment.yml", *TARGET_FLAGS, "-o", work / "named.tar",
              "--cache-dir", self.cache, "-q", "--lock", work / "from-env",
              "--bundle-name", "lab-night", "--bundle-version", "2026.12.1")
        code, listing, err = programs.run([programs.airlock_install(), "list", work / "named.tar", "--json"],
                                          env=venv.clean_env())
        self.assertEqual(code, 0, err)
        self.assertEqual((json.loads(listing)["bundle"], json.loads(listing)["version"]), ("lab-night", "2026.12.1"))

    def test_pylock_is_taken_as_it_is_per_target(self):
        """One PEP 751 file for both platforms: every wheel listed, platform-only packages by marker."""
        work = self.dir / "pylock"
        work.mkdir()
        by_name: Dict[str, dict] = {}
        for data, platform in ((self.linux, "linux"), (self.win, "win32")):
            for p in data["packages"]:
                entry = by_name.setdefault(p["name"], {"version": p["version"], "index": p["index"], "wheels": {}, "on": set()})
                entry["on"].add(platform)
                for w in p["wheels"]:
                    entry["wheels"][w["name"]] = w
        lines = ['lock-version = "1.0"', 'environments = [\'sys_platform == "linux"\', \'sys_platform == "win32"\']',
                 'requires-python = ">=3.11"', 'created-by = "uv"', ""]
        for name, e in sorted(by_name.items()):
            lines += ["[[packages]]", 'name = "%s"' % name, 'version = "%s"' % e["version"], 'index = "%s"' % e["index"]]
            if len(e["on"]) == 1:
                lines.append("marker = 'sys_platform == \"%s\"'" % next(iter(e["on"])))
            lines.append("wheels = [")
            for w in sorted(e["wheels"].values(), key=lambda w: w["name"]):
                lines.append('  { name = "%s", url = "%s", size = %d, hashes = { sha256 = "%s" } },'
                             % (w["name"], w["url"], w["size"], w["hashes"]["sha256"]))
            lines += ["]", ""]
        (work / "pylock.toml").write_text("\n".join(lines))
        build("lock", "--pylock", work / "pylock.toml", *TARGET_FLAGS, "-o", work / "out")
        for target, reference in (("linux-py312", self.linux), ("win-py312", self.win)):
            got = tomllib.loads((work / "out" / ("pylock.%s.toml" % target)).read_text())
            self.assertEqual({p["name"]: (p["version"], p["wheels"][0]["name"], p["wheels"][0]["hashes"]["sha256"])
                              for p in got["packages"]},
                             {p["name"]: (p["version"], p["wheels"][0]["name"], p["wheels"][0]["hashes"]["sha256"])
                              for p in reference["packages"]}, target)
        build("fetch", "--pylock", work / "pylock.toml", *TARGET_FLAGS, "-o", work / "wheels", "--cache-dir", self.cache, "-q")
        self.assertEqual(len(list((work / "wheels").iterdir())),
                         len({w["name"] for d in (self.linux, self.win) for p in d["packages"] for w in p["wheels"]}))
        # init --from turns it into a manifest of pinned, hashed requirements that locks the same.
        build("init", "--from", work / "pylock.toml", *TARGET_FLAGS, "-o", work / "pinned.toml")
        build("lock", work / "pinned.toml", "-o", work / "pinned", "--cache-dir", self.cache)
        for target in ("linux-py312", "win-py312"):
            self.assertEqual(packages(work / "pinned" / ("pylock.%s.toml" % target)),
                             packages(self.dir / "reference" / ("pylock.%s.toml" % target)))
        # A target the lock's environments leave out is refused.
        out = build("lock", "--pylock", work / "pylock.toml", "--add-target", "mac:macosx_11_0_arm64:3.12",
                    "-o", work / "mac", expect=1)
        self.assertIn("the lock's `environments` do not include target `mac`", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
