"""CLI golden tests: run every case in tests/cli/cases/ and compare what the user sees, exactly.

A case is a directory tests/cli/cases/<name>/ with:
  cmd       one command line (shell-split). Placeholders: [BIN] [TEMP_DIR] [SOURCE_DIR], and with a
            fixture: [SERVER] [INDEX_URL] [INDEX_URL:<index name>] [MANIFEST]
  exit      the expected exit code
  stdout    expected standard output (missing = empty)
  stderr    expected standard error (missing = empty)
  fixture   optional: `<catalog set> [case]`, e.g. `conflict` or `torch_like pypi_only`. The set is
            served by nginx on loopback and its manifest (for that case) written to [MANIFEST]
            (= [TEMP_DIR]/manifest.toml). `conda` serves the conda channels of
            airlock_testing.conda.torch_channels (built once per run) at [SERVER]/<channel>; the
            case brings its own manifest in files/ (channel_alias = "[SERVER]").
  env       optional: KEY=VALUE lines (placeholders expanded) added to a clean environment
  files/    optional: copied into [TEMP_DIR] before the run, placeholders expanded in text files

The command runs in [TEMP_DIR] (fresh per case) with every PIP_* variable removed. In the output,
the temp dir, source dir, bin dir, index URLs and the server are replaced by their placeholders and
any other loopback port by [PORT], and durations ("0.42 s", "12ms") by [TIME], so files are stable
across machines.

Regenerate the expected files after an intended change:  AIRLOCK_UPDATE_GOLDEN=1 python3 tests/cli/test_golden.py
"""

import atexit
import os
import re
import shlex
import shutil
import sys
import unittest
from pathlib import Path
from typing import Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import catalog, conda, programs, venv  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from airlock_testing.programs import TempDir  # noqa: E402

CASES = Path(__file__).resolve().parent / "cases"
UPDATE = os.environ.get("AIRLOCK_UPDATE_GOLDEN") == "1"
PLACEHOLDER = re.compile(r"\[(BIN|TEMP_DIR|SOURCE_DIR|SERVER|INDEX_URL(?::[A-Za-z0-9_.-]+)?|MANIFEST)\]")


_conda_channels = None


def conda_channels() -> Path:
    """The conda fixture channels, built on first use and kept for the whole run."""
    global _conda_channels
    if _conda_channels is None:
        _conda_channels = TempDir(prefix="airlock-cli-conda-")
        atexit.register(_conda_channels.cleanup)
        conda.torch_channels(_conda_channels.path / "channels")
    return _conda_channels.path / "channels"


class Case:
    def __init__(self, path: Path):
        self.path = path
        self.name = path.name

    def read(self, name: str, default: str = "") -> str:
        p = self.path / name
        return p.read_text(encoding="utf-8") if p.exists() else default

    def run(self, tmp: Path) -> Tuple[int, str, str]:
        values: Dict[str, str] = {
            "BIN": str(programs.bin_dir()),
            "TEMP_DIR": str(tmp),
            "SOURCE_DIR": str(programs.source_dir()),
        }
        server = None
        try:
            fixture = self.read("fixture").split()
            if fixture == ["conda"]:
                server = Nginx(conda_channels()).start()
                values["SERVER"] = server.url
            elif fixture:
                fx = catalog.get(fixture[0])
                which = fixture[1] if len(fixture) > 1 else "default"
                server = fx.serve().start()
                values["SERVER"] = server.url
                values["INDEX_URL"] = fx.index_url(server.url)
                for name in fx.indexes:
                    values["INDEX_URL:" + name] = fx.index_url(server.url, name)
                values["MANIFEST"] = str(tmp / "manifest.toml")
                (tmp / "manifest.toml").write_text(fx.manifest(server.url, case=which))

            def expand(text: str) -> str:
                def sub(m: "re.Match[str]") -> str:
                    if m.group(1) not in values:
                        raise AssertionError("%s: placeholder %s needs a `fixture` file" % (self.name, m.group(0)))
                    return values[m.group(1)]

                return PLACEHOLDER.sub(sub, text)

            files = self.path / "files"
            if files.is_dir():
                for src in sorted(files.rglob("*")):
                    dest = tmp / src.relative_to(files)
                    if src.is_dir():
                        dest.mkdir(parents=True, exist_ok=True)
                        continue
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        dest.write_text(expand(src.read_text(encoding="utf-8")), encoding="utf-8")
                    except UnicodeDecodeError:
                        shutil.copyfile(src, dest)

            env = venv.clean_env({"NO_COLOR": "1", "TERM": "dumb", "LC_ALL": "C.UTF-8"})
            for line in self.read("env").splitlines():
                if line.strip() and not line.startswith("#"):
                    key, _, value = line.partition("=")
                    env[key.strip()] = expand(value.strip())
            lines = [line for line in self.read("cmd").splitlines() if line.strip()]
            if len(lines) != 1:
                raise AssertionError("%s/cmd must hold exactly one command line" % self.name)
            argv = [expand(a) for a in shlex.split(lines[0])]
            code, out, err = programs.run(argv, env=env, cwd=tmp, timeout=300)
            return code, normalize(out, values), normalize(err, values)
        finally:
            if server is not None:
                server.stop()


def normalize(text: str, values: Dict[str, str]) -> str:
    pairs: List[Tuple[str, str]] = []
    for key, value in values.items():
        if key == "MANIFEST":
            continue
        pairs.append((value, "[%s]" % key))
        real = os.path.realpath(value) if key in ("TEMP_DIR", "SOURCE_DIR", "BIN") else value
        if real != value:
            pairs.append((real, "[%s]" % key))
    for value, placeholder in sorted(pairs, key=lambda p: -len(p[0])):  # longest (most specific) first
        text = text.replace(value, placeholder)
    text = re.sub(r"(127\.0\.0\.1|localhost):\d+", r"\1:[PORT]", text)
    return re.sub(r"\b\d+(\.\d+)? ?(ms|s)\b", "[TIME]", text)  # durations: "0.42 s", "12ms"


class GoldenTest(unittest.TestCase):
    maxDiff = None


def _make_test(case: Case):
    def test(self: GoldenTest) -> None:
        tmp = TempDir(prefix="airlock-cli-%s-" % case.name)
        try:
            code, out, err = case.run(tmp.path)
        finally:
            tmp.cleanup()
        if UPDATE:
            (case.path / "exit").write_text("%d\n" % code)
            for name, text in (("stdout", out), ("stderr", err)):
                p = case.path / name
                if text:
                    p.write_text(text, encoding="utf-8")
                elif p.exists():
                    p.unlink()
            return
        if not (case.path / "exit").exists():
            self.fail("%s has no `exit` file; create the expected files with AIRLOCK_UPDATE_GOLDEN=1" % case.path)
        cmd = case.read("cmd").strip()
        hint = "\n(case %s: `%s`; after an intended change: AIRLOCK_UPDATE_GOLDEN=1 python3 %s)" % (
            case.name, cmd, "tests/cli/test_golden.py")
        self.assertEqual(case.read("stderr"), err, "stderr differs" + hint)
        self.assertEqual(case.read("stdout"), out, "stdout differs" + hint)
        self.assertEqual(int(case.read("exit").strip()), code, "exit code differs" + hint)

    return test


for _dir in sorted(CASES.iterdir()) if CASES.is_dir() else []:
    if _dir.is_dir() and (_dir / "cmd").exists():
        setattr(GoldenTest, "test_" + re.sub(r"\W", "_", _dir.name), _make_test(Case(_dir)))


if __name__ == "__main__":
    unittest.main(verbosity=2)
