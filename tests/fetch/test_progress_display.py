"""The download progress display as a user sees it: `airlock-build download` runs inside tmux in an
80-column pane against nginx throttled with `limit_rate`, and the pane is captured many times
while the files arrive. Every captured line fits in 80 columns (none wraps), there is at most one
aggregate line at any moment (the display redraws in place instead of scrolling garbage), the
total is never the `0 B` an index without sizes used to give, and when the download ends the live
lines are gone and one summary line remains. Needs tmux (packaging/setup.sh installs it)."""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fetch_support import Nginx, airlock_build, clean_env, write_random  # noqa: E402

KiB = 1 << 10
AGGREGATE = re.compile(r"/ (\S+ [KMGT]?i?B|≥\S+ [KMGT]?i?B|\?)\s")


class ProgressDisplayTest(unittest.TestCase):
    def setUp(self):
        if shutil.which("tmux") is None:
            self.fail("tmux is not installed: the progress display test drives a real terminal with it "
                      "(packaging/setup.sh installs it)")
        self.tmp = Path(tempfile.mkdtemp(prefix="airlock-progress-test-"))
        self.socket = "airlock-progress-%d" % os.getpid()
        self.srv = self.tmp / "srv"
        self.srv.mkdir()

    def tearDown(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def tmux(self, *args) -> str:
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                           capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise AssertionError("tmux %s failed: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def run_in_pane(self, argv, width=80, height=24, timeout=120):
        """Runs argv in a detached tmux pane of width x height; returns (snapshots, final screen,
        exit code). Each snapshot is the pane's visible lines with wrapped lines joined (-J), so a
        line that wrapped shows up longer than the pane."""
        done = self.tmp / "exit-code"
        script = "%s; echo $? > %s; sleep 600" % (" ".join(shlex.quote(str(a)) for a in argv), shlex.quote(str(done)))
        env = clean_env(TERM="xterm-256color", LC_ALL="C.UTF-8")
        env.pop("COLUMNS", None)
        env.pop("TMUX", None)
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
                        "-x", str(width), "-y", str(height), "sh", "-c", script],
                       check=True, env=env, timeout=30)
        snapshots = []
        deadline = time.time() + timeout
        while not done.exists() or not done.read_text().strip():
            if time.time() > deadline:
                raise AssertionError("the download did not finish in %d s; last screen:\n%s"
                                     % (timeout, snapshots[-1] if snapshots else ""))
            snapshots.append(self.tmux("capture-pane", "-p", "-J", "-t", "t"))
            time.sleep(0.15)
        final = self.tmux("capture-pane", "-p", "-J", "-t", "t")
        return snapshots, final, int(done.read_text().strip())

    def test_display_stays_on_its_lines_at_80_columns(self):
        # Long names (they must be shortened, not wrapped), sizes the list does not give.
        names = []
        for i, size in enumerate([900 * KiB, 700 * KiB, 600 * KiB, 80 * KiB, 40 * KiB, 20 * KiB]):
            name = "package_with_a_rather_long_name_number_%d-1.0.%d-cp312-cp312-manylinux_2_28_x86_64.whl" % (i, i)
            write_random(self.srv / name, size, seed=i)
            names.append(name)
        with Nginx(self.srv, limit_rate="150k") as srv:
            listing = self.tmp / "list.txt"
            listing.write_text("".join(srv.url(n) + "\n" for n in names))  # no sizes, no hashes
            snapshots, final, code = self.run_in_pane(
                [airlock_build(), "download", listing, "-o", self.tmp / "out", "--cache-dir", self.tmp / "cache",
                 "--progress", "tty", "-j", "4"])
        self.assertEqual(code, 0, final)
        live = [s for s in snapshots if AGGREGATE.search(s)]
        self.assertGreater(len(live), 5, "too few captures showed the display:\n" + "\n---\n".join(snapshots[-3:]))
        saw_total = False
        for screen in snapshots:
            lines = screen.split("\n")
            for line in lines:
                self.assertLessEqual(len(line), 79, "a line is wider than the terminal:\n" + screen)
            aggregate = [l for l in lines if AGGREGATE.search(l)]
            self.assertLessEqual(len(aggregate), 1, "more than one aggregate line (not redrawn in place):\n" + screen)
            self.assertNotIn(" / 0 B ", screen, "a total of 0 B with files of unknown size:\n" + screen)
            if aggregate and "≥" in aggregate[0] or any("% of " in l for l in lines):
                saw_total = True
            # The file lines are the display's own: at most three, each a shortened name and its share.
            files = [l for l in lines if l.startswith("  package_with")]
            self.assertLessEqual(len(files), 3, screen)
            for l in files:
                self.assertRegex(l, r"^  package_with\S*…\S*\.whl\s+(\d+% of \S+ \S+|\S+ \S+)$", screen)
        self.assertTrue(saw_total, "the display never showed a size learned from the server")
        # Finished: the live lines are gone, one summary remains.
        self.assertEqual([l for l in final.split("\n") if AGGREGATE.search(l)], [], final)
        self.assertRegex(final, r"download: 6/6 files, 2\.3 MiB in [\d.]+ s")
        for n in names:
            self.assertTrue((self.tmp / "out" / n).is_file(), n)

    def test_quiet_prints_nothing_on_the_terminal(self):
        write_random(self.srv / "a-1.0-py3-none-any.whl", 200 * KiB)
        with Nginx(self.srv, limit_rate="400k") as srv:
            listing = self.tmp / "list.txt"
            listing.write_text(srv.url("a-1.0-py3-none-any.whl") + "\n")
            snapshots, final, code = self.run_in_pane(
                [airlock_build(), "download", listing, "-o", self.tmp / "out", "--cache-dir", self.tmp / "cache",
                 "-q"])
        self.assertEqual(code, 0, final)
        for screen in snapshots + [final]:
            self.assertEqual(screen.strip(), "", screen)


if __name__ == "__main__":
    unittest.main(verbosity=2)
