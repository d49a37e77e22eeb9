"""The README's tour runs as written (issue 13): the `sh` block after `<!-- tour` in README.md,
line by line, with bash, in a fresh directory holding a copy of manifests/, against the
readme_tour fixture index on loopback nginx (torch_like plus torchvision, torchaudio and numpy:
what manifests/torch-lab.toml asks for).

Only these substitutions are made (README.md lists them under the block):
- in the copied manifests/torch-lab.toml, the index URLs: https://pypi.org/simple, its TUNA mirror
  and https://download.pytorch.org/whl/cu124 -> the fixture's /simple, /mirror/simple, /whl/cu124;
- in the commands, an absolute /opt/... or /srv/... path -> the same path under the temp root;
- the environment: AIRLOCK_KEY_PASSWORD (keygen and build run unattended), AIRLOCK_CACHE_DIR and
  AIRLOCK_STATE_DIR under the temp root, pip's variables dropped, build/bin first on PATH.
The lines after the "carry ... across" comment run inside `unshare -n`. Every line must exit 0;
then the venv imports what the manifest asks for and the export is a PEP 503 tree."""

import re
import shutil
import subprocess
import sys
import unittest
from pathlib import Path
from typing import List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing import catalog, programs, venv as venv_mod  # noqa: E402
from airlock_testing.offline import require_unshare  # noqa: E402

README = programs.source_dir() / "README.md"
MANIFEST = "manifests/torch-lab.toml"
HOST_PATHS = re.compile(r"(?<![\w./~-])/(opt|srv)/")


def tour_commands(readme_text: str) -> List[Tuple[str, bool]]:
    """(command line, offline) for every line of the tour block, comments and blank lines left
    out; `offline` from the "carry ... across" comment on."""
    lines = readme_text.splitlines()
    marks = [i for i, line in enumerate(lines) if line.startswith("<!-- tour")]
    if len(marks) != 1:
        raise AssertionError("README.md needs exactly one `<!-- tour` marker, found %d" % len(marks))
    start = marks[0] + 1
    if lines[start].strip() != "```sh":
        raise AssertionError("README.md: the `<!-- tour` marker must be followed by a ```sh block")
    out, offline = [], False
    for line in lines[start + 1:]:
        if line.strip() == "```":
            return out
        stripped = line.strip()
        if stripped.startswith("#"):
            offline = offline or re.search(r"carry\b.*\bacross", stripped) is not None
            continue
        if stripped:
            out.append((stripped, offline))
    raise AssertionError("README.md: the tour block is not closed")


class ReadmeTourTest(unittest.TestCase):
    def test_the_tour_runs_as_written(self):
        require_unshare()
        commands = tour_commands(README.read_text())
        self.assertTrue(any(off for _, off in commands), "no offline part found in the tour")
        self.assertTrue(any(MANIFEST in c for c, _ in commands), "the tour no longer builds %s" % MANIFEST)
        tmp = programs.TempDir(prefix="airlock-readme-tour-")
        self.addCleanup(tmp.cleanup)
        root, work = tmp.path / "root", tmp.path / "work"
        work.mkdir()
        shutil.copytree(programs.source_dir() / "manifests", work / "manifests")
        fx = catalog.readme_tour()
        env = venv_mod.clean_env({
            "PATH": "%s:%s" % (programs.bin_dir(), venv_mod.clean_env().get("PATH", "/usr/bin:/bin")),
            "AIRLOCK_KEY_PASSWORD": "tour password",
            "AIRLOCK_CACHE_DIR": str(tmp.path / "cache"),
            "AIRLOCK_STATE_DIR": str(tmp.path / "state"),
        })
        with fx.serve() as server:
            manifest = work / MANIFEST
            text = manifest.read_text()
            for real, fixture in (("https://pypi.org/simple", fx.index_url(server.url, "pypi")),
                                  ("https://pypi.tuna.tsinghua.edu.cn/simple", fx.mirror_url(server.url, "pypi")),
                                  ("https://download.pytorch.org/whl/cu124", fx.index_url(server.url, "pytorch-cu124"))):
                self.assertIn('"%s"' % real, text, "%s no longer names %s: update this test's mapping" % (MANIFEST, real))
                text = text.replace('"%s"' % real, '"%s"' % fixture)
            manifest.write_text(text)
            for line, offline in commands:
                command = HOST_PATHS.sub(lambda m: "%s/%s/" % (root, m.group(1)), line)
                argv = ["bash", "-euo", "pipefail", "-c", command]
                if offline:
                    argv = ["unshare", "-n"] + argv
                code, out, err = programs.run(argv, env=env, cwd=work, timeout=600)
                self.assertEqual(code, 0, "the README's `%s` (run as `%s`%s) exited %d:\n%s%s"
                                 % (line, command, ", offline" if offline else "", code, out, err))

        venv = root / "opt/envs/torch"
        r = subprocess.run([str(venv / "bin/python"), "-I", "-c", "import torch, torchvision, torchaudio, numpy, jinja2"],
                           capture_output=True, text=True, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue((root / "srv/www/pypi/simple/torch/index.html").is_file()
                        or any((root / "srv/www/pypi").rglob("index.html")),
                        "export wrote no index under %s" % (root / "srv/www/pypi"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
