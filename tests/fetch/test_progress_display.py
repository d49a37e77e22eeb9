"""The progress display as a user sees it. `airlock-build download` runs inside tmux in an
80-column pane against nginx throttled with `limit_rate`, and the pane is captured many times
while the files arrive. Every captured line fits in 80 columns (none wraps), there is at most one
aggregate line at any moment (the display redraws in place instead of scrolling garbage), the
total is never the `0 B` an index without sizes used to give, and when the download ends the live
lines are gone and one summary line remains. Then a whole `airlock-build build` (resolve,
download, pack) and an `airlock-install install` (verify, install) run in the pane the same way:
each phase's line stays on its line, fits, and ends as one `PHASE: … in N s` line. Without a
terminal the phases print plain periodic lines; with -q nothing but errors. Needs tmux
(packaging/setup.sh installs it)."""

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

sys.path.insert(0, str(HERE.parent / "support"))
from airlock_testing import catalog, programs  # noqa: E402
from airlock_testing.offline import installer_env  # noqa: E402

KiB = 1 << 10
PHASES = ("resolve", "download", "pack", "verify", "install")
# A phase's last line: `resolve: 1 target, 5 packages locked in 0.3 s`.
PHASE_END = re.compile(r"^(%s): .* in \d+\.\d s(?: \(.*/s\))?$" % "|".join(PHASES))
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

    def run_in_pane(self, argv, width=80, height=24, timeout=120, env=None):
        """Runs argv in a detached tmux pane of width x height; returns (snapshots, final screen,
        exit code). Each snapshot is the pane's visible lines with wrapped lines joined (-J), so a
        line that wrapped shows up longer than the pane."""
        done = self.tmp / "exit-code"
        script = "%s; echo $? > %s; sleep 600" % (" ".join(shlex.quote(str(a)) for a in argv), shlex.quote(str(done)))
        env = dict(env or clean_env())
        env.update(TERM="xterm-256color", LC_ALL="C.UTF-8")
        env.pop("COLUMNS", None)
        env.pop("TMUX", None)
        done.unlink(missing_ok=True)
        self.panes = getattr(self, "panes", 0) + 1
        pane = "t%d" % self.panes  # a new session per run, on the same server
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-s", pane,
                        "-x", str(width), "-y", str(height), "sh", "-c", script],
                       check=True, env=env, timeout=30)
        snapshots = []
        deadline = time.time() + timeout
        while not done.exists() or not done.read_text().strip():
            if time.time() > deadline:
                raise AssertionError("the download did not finish in %d s; last screen:\n%s"
                                     % (timeout, snapshots[-1] if snapshots else ""))
            snapshots.append(self.tmux("capture-pane", "-p", "-J", "-t", pane))
            time.sleep(0.15)
        final = self.tmux("capture-pane", "-p", "-J", "-t", pane)
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


    # --- every phase: a small build from the fixture index, then its install -------------------

    def small_manifest(self, index_url: str) -> Path:
        """One target without CUDA (no driver warning); small pure wheels and two larger ones
        (nvidia-cudnn-cu12 and nvidia-cublas-cu12, ~280 KiB) for the throttled download."""
        manifest = self.tmp / "manifest.toml"
        manifest.write_text(
            '[bundle]\nname = "progress-test"\nversion = "1.0"\n\n'
            '[[target]]\nname = "linux-py312"\npython = "3.12"\nplatform = "manylinux_2_28_x86_64"\n\n'
            '[[index]]\nname = "pypi"\nurl = "%s"\n\n'
            '[python]\nrequirements = ["jinja2", "sympy", "filelock", "nvidia-cudnn-cu12"]\n' % index_url)
        return manifest

    def check_phases(self, snapshots, final, phases):
        """Each phase ends as one line on the final screen, in order; while running, every line
        of a phase fits the pane and there is at most one of it (redrawn in place)."""
        for screen in snapshots + [final]:
            for line in screen.split("\n"):
                if line.split(":")[0] in PHASES:
                    self.assertLessEqual(len(line), 79, "a progress line is wider than the terminal:\n" + screen)
            for phase in phases:
                live = [l for l in screen.split("\n") if l.startswith(phase + ":") and not PHASE_END.match(l)]
                self.assertLessEqual(len(live), 1, "more than one live %s line:\n%s" % (phase, screen))
        ends = [l.split(":")[0] for l in final.split("\n") if PHASE_END.match(l)]
        self.assertEqual(ends, list(phases), final)
        for line in final.split("\n"):
            self.assertNotIn("\x1b", line)
            if line.split(":")[0] in PHASES:
                self.assertRegex(line, PHASE_END, "a live line was left behind:\n" + final)

    def test_build_and_install_phases_at_80_columns(self):
        fx = catalog.get("torch_like")
        keys = self.tmp / "keys"
        keys.mkdir()
        pub, key = self.tmp / "keys" / "k.pub", self.tmp / "keys" / "k.key"
        r = subprocess.run(["minisign", "-G", "-W", "-f", "-p", str(pub), "-s", str(key)],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        self.assertEqual(r.returncode, 0, r.stderr)
        bundle = self.tmp / "b.airlock"
        with fx.serve(limit_rate="120k") as srv:
            manifest = self.small_manifest(fx.index_url(srv.url))
            snapshots, final, code = self.run_in_pane(
                [airlock_build(), "build", manifest, "-o", bundle, "--key", key, "--cache-dir", self.tmp / "cache",
                 "-j", "2"])
        self.assertEqual(code, 0, final)
        self.check_phases(snapshots, final, ("resolve", "download", "pack"))
        self.assertTrue(any(AGGREGATE.search(s) for s in snapshots), "the download was never shown live")
        self.assertRegex(final, r"(?m)^resolve: 1 target, \d+ packages locked in")
        self.assertRegex(final, r"(?m)^pack: \d+ files, \S+ \S+ written in")

        env = installer_env(self.tmp / "state")
        snapshots, final, code = self.run_in_pane(
            [programs.airlock_install(), "install", bundle, "--key", pub, "--venv", self.tmp / "venv"], env=env)
        self.assertEqual(code, 0, final)
        self.check_phases(snapshots, final, ("verify", "install"))
        self.assertRegex(final, r"(?m)^verify: \d+ files, \S+ \S+ hashed in")
        self.assertRegex(final, r"(?m)^install: target linux-py312 in")
        self.assertTrue((self.tmp / "venv" / "bin" / "python").exists())

        # -q: nothing at all on the terminal when all goes well (pip runs with -q too).
        snapshots, final, code = self.run_in_pane(
            [programs.airlock_install(), "install", bundle, "--key", pub, "--venv", self.tmp / "venv2", "-q"],
            env=installer_env(self.tmp / "state2"))
        self.assertEqual(code, 0, final)
        for screen in snapshots + [final]:
            self.assertEqual(screen.strip(), "", screen)

    def test_plain_periodic_lines_and_quiet_without_a_terminal(self):
        fx = catalog.get("torch_like")
        with fx.serve(limit_rate="60k") as srv:
            manifest = self.small_manifest(fx.index_url(srv.url))
            env = clean_env(AIRLOCK_PROGRESS_INTERVAL="0.3")
            r = subprocess.run([airlock_build(), "build", str(manifest), "-o", str(self.tmp / "b.airlock"),
                                "--cache-dir", str(self.tmp / "cache"), "-j", "2"],
                               capture_output=True, text=True, env=env, timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            lines = r.stderr.splitlines()
            self.assertNotIn("\x1b", r.stderr)
            self.assertNotIn("\r", r.stderr)
            ends = [l.split(":")[0] for l in lines if PHASE_END.match(l)]
            self.assertEqual(ends, ["resolve", "download", "pack"], r.stderr)
            periodic = [l for l in lines if l.startswith("download: ") and not PHASE_END.match(l)]
            self.assertGreaterEqual(len(periodic), 2, "no periodic download lines:\n" + r.stderr)
            for l in periodic:
                self.assertRegex(l, AGGREGATE)
            # -q: no output at all, and an error still prints.
            r = subprocess.run([airlock_build(), "build", str(manifest), "-o", str(self.tmp / "c.airlock"),
                                "--cache-dir", str(self.tmp / "cache"), "-q"],
                               capture_output=True, text=True, env=env, timeout=120)
            self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))
            r = subprocess.run([airlock_build(), "build", str(manifest), "-o", str(self.tmp),
                                "--cache-dir", str(self.tmp / "cache"), "-q"],
                               capture_output=True, text=True, env=env, timeout=120)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stdout, "")
        self.assertRegex(r.stderr, r"^error: ")
        # The installer without a terminal and -q: nothing but the warning about the missing
        # signature (pip runs with -q).
        r = subprocess.run([programs.airlock_install(), "install", str(self.tmp / "b.airlock"), "--allow-unsigned",
                            "--venv", str(self.tmp / "venv"), "-q"],
                           capture_output=True, text=True, env=installer_env(self.tmp / "state"), timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual([l for l in r.stderr.splitlines() if not l.startswith("warning: ")], [], r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
