"""Crash and disk-full safety of `airlock-install install` (issue 15): after a `kill -9` at any point,
or a write failing for want of space, the destination is exactly as it was before the install.

Destinations: a new venv, an existing venv that pip adds to, a new conda prefix and a conda prefix
`--update`. For each, the installer is killed with SIGKILL at the deterministic points of the
test-only hook AIRLOCK_TEST_CRASH_AT (installer/install/install_journal.hpp: after the journal is
written, after unpacking, after `python -m venv`, after the snapshot's rename and copy, after pip,
after the conda moves, the byte-compiling and conda-meta, just after the commit mark) and at
random times measured from the start (seeded; the seed is printed), several times in a row on the
same destination. After each kill `airlock-install recover` rolls the interrupted install back and
the destination's tree (every path: type, mode, size, sha256 or link target) must equal the one
before, with no temporary tree left beside it; a kill after the commit mark (or after the journal
is removed) leaves the finished install instead: exactly the tree of an install run to its end
(only the source dates in pyc headers, the dates in conda-meta/history and the unpacked package's
path in conda-meta records differ). Then one more kill is followed by a plain install, which first
says what it recovered and then completes; the result is checked. A failure names the seed:
AIRLOCK_CRASH_SEED=N reruns the same random draws.

Disk full: a file size limit (RLIMIT_FSIZE, what `ulimit -f` sets; the installer gets EFBIG) while
an existing venv is snapshotted, and a small tmpfs (mounted inside `unshare -m`) too full for the
snapshot and too small for a new venv: exit 1, an error naming the destination and the space
problem, the destination as before, and a later install with room succeeds.

Nothing in the trees is ignored: no Python runs in the original tree while the install works on
its copy, so not even __pycache__ differs. Everything runs offline (`unshare -n`)."""

import hashlib
import os
import random
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from airlock_testing import conda, programs, pythons, venv as venv_mod

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "install"))
sys.path.insert(0, str(HERE))
import bundlemaker as bm  # noqa: E402
from install_support import host_target, installer_env, leftovers, require_unshare, small_wheels  # noqa: E402
from reliability_summary import REFUSED, SURVIVED, Report, main  # noqa: E402

REPORT = Report("install-crash") if "--inside-tmpfs" not in sys.argv else None
SEED = int(os.environ.get("AIRLOCK_CRASH_SEED", str(int(time.time()) % 100000)))
RANDOM = random.Random(SEED)
CHANNEL = "https://conda.example.org/conda-forge"
CONDA_TARGET = bm.CondaTarget("linux-py312", "3.12", "manylinux_2_17_x86_64", "linux-64", specs=("tool", "greet"))


def ensurepip_running(dest: Path) -> bool:
    """Whether an ensurepip started by an install into `dest` runs (`python -m ensurepip`: an
    argument is exactly `ensurepip`; its environment carries the install's token, which holds the
    journal's whole path: another run of this test at the same time has its own)."""
    journal = ("AIRLOCK_INSTALL_JOURNAL=" + str(dest.parent / ("." + dest.name + ".airlock-journal")) + "#").encode()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                if b"ensurepip" not in f.read().split(b"\0"):
                    continue
            with open("/proc/%s/environ" % pid, "rb") as f:
                if journal in f.read():
                    return True
        except OSError:
            continue
    return False


def tree(root: Path) -> dict:
    """Every path under `root` (and root itself): type, mode, size and sha256, or link target."""
    out = {}
    if not os.path.lexists(root):
        return out
    for dirpath, dirs, names in os.walk(root):
        for n in [""] + dirs + names if dirpath == str(root) else dirs + names:
            p = Path(dirpath) / n if n else Path(dirpath)
            st = p.lstat()
            rel = p.relative_to(root).as_posix()
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", stat.S_IMODE(st.st_mode))
            else:
                out[rel] = ("file", stat.S_IMODE(st.st_mode), st.st_size, hashlib.sha256(p.read_bytes()).hexdigest())
    return out


def finished_tree(root: Path) -> dict:
    """tree(root) with what differs between two finished installs of the same bundle at the same
    path left out of the comparison, and nothing else: the source mtime and size in a pyc's header
    (bytes 8-16; the code after it is compared), the dates in conda-meta/history and the unpacked
    package's temporary path a conda-meta record names as its link source."""
    import json
    out = tree(root)
    for rel, v in out.items():
        if v[0] != "file":
            continue
        data = (root / rel).read_bytes()
        if rel.endswith(".pyc"):
            data = data[:8] + data[16:]
        elif rel == "conda-meta/history":
            data = b"\n".join(line for line in data.split(b"\n") if not line.startswith(b"==>"))
        elif rel.startswith("conda-meta/") and rel.endswith(".json"):
            record = json.loads(data)
            record.get("link", {}).pop("source", None)
            data = json.dumps(record, sort_keys=True).encode()
        else:
            continue
        out[rel] = v[:3] + ("normalized " + hashlib.sha256(data).hexdigest(),)
    return out


def diff(a: dict, b: dict) -> str:
    lines = ["only before: " + k for k in sorted(set(a) - set(b))[:10]]
    lines += ["only after: " + k for k in sorted(set(b) - set(a))[:10]]
    lines += ["changed: " + k for k in sorted(set(a) & set(b)) if a[k] != b[k]][:10]
    return "\n".join(lines)


def base_cmd(offline: bool):
    cmd = [str(programs.airlock_install())]
    return ([shutil.which("unshare"), "-n"] + cmd) if offline else cmd


class InstallCrashTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            programs.airlock_install()
        except FileNotFoundError as e:
            raise unittest.SkipTest(str(e))
        cls.python = pythons.find_python("3.12")
        if cls.python is None:
            raise AssertionError("no CPython 3.12 on PATH or in pyenv: the crash tests need one for the venv and "
                                 "the conda python package")
        require_unshare()
        cls.offline = True
        cls.tmp = programs.TempDir("airlock-install-crash-")
        work = cls.tmp.path
        cls.pub, cls.sec = bm.keypair(work)
        wheels = small_wheels(work / "w")
        target = host_target("3.12")
        cls.bundle_a = bm.make_bundle(work / "a.bundle", {target: [wheels["alpha"], wheels["beta"]]},
                                      secret_key=cls.sec, name="lab", sequence=1)
        cls.bundle_b = bm.make_bundle(work / "b.bundle", {target: [wheels["alpha"], wheels["beta"], wheels["gamma"]]},
                                      secret_key=cls.sec, name="lab", sequence=2)
        # Conda prefixes must be short (the python package's binary placeholder is 28 bytes).
        cls.short = Path(tempfile.mkdtemp(prefix="aic", dir="/tmp"))
        print("install-crash: random kill times seeded with AIRLOCK_CRASH_SEED=%d" % SEED, file=sys.stderr)
        # One venv with bundle A, made by the installer; the tests that need an existing venv copy
        # it (a venv works at another path when its Python is run directly, as the installer does).
        cls.template = work / "template"
        code, out, err = programs.run(base_cmd(cls.offline) + [
            "install", cls.bundle_a, "--key", cls.pub, "--venv", cls.template, "--python", cls.python],
            env=installer_env(work / "state-template"), timeout=300)
        if code != 0:
            raise AssertionError("installing the template venv failed:\n" + out + err)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        shutil.rmtree(cls.short, ignore_errors=True)

    # -- running the installer ---------------------------------------------------------------------
    def env(self, extra=None):
        return installer_env(self.tmp.path / ("state-" + self.id().rsplit(".", 1)[-1]), extra)

    def install(self, bundle, dest_args, *extra, crash_at=None, kill_after=None, preexec=None, state=None):
        """(exit code, stdout, stderr, seconds); killed with SIGKILL at `crash_at` (the hook) or
        after `kill_after` seconds; `state`: another anti-rollback state directory."""
        cmd = base_cmd(self.offline) + ["install", str(bundle), "--key", str(self.pub)] + \
            [str(a) for a in dest_args] + list(extra)
        env = self.env(dict(([("AIRLOCK_TEST_CRASH_AT", crash_at)] if crash_at else []) +
                            ([("AIRLOCK_STATE_DIR", str(state))] if state else [])))
        started = time.monotonic()
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             stdin=subprocess.DEVNULL, preexec_fn=preexec)
        try:
            if kill_after is not None:
                try:
                    out, err = p.communicate(timeout=kill_after)
                except subprocess.TimeoutExpired:
                    p.send_signal(signal.SIGKILL)  # unshare execs the installer: the same pid
                    out, err = p.communicate(timeout=120)
            else:
                out, err = p.communicate(timeout=300)
        finally:
            if p.poll() is None:
                p.kill()
        return p.returncode, out, err, time.monotonic() - started

    def recover(self, flag, dest):
        code, out, err = programs.run(base_cmd(self.offline) + ["recover", flag, str(dest)], env=self.env(), timeout=120)
        self.assertEqual(code, 0, out + err)
        return out

    # -- the scenario runner ----------------------------------------------------------------------
    def crash_series(self, name, flag, dest, bundle, before, points, random_kills, extra=(), finished_ok=None):
        """Kills an install of `bundle` into `dest` at each of `points`, then `random_kills` times at
        random; after each, recovery must leave `tree(dest) == before` with no temporary tree
        beside it. A kill after the commit mark (or after the journal is gone, or an install that
        finished first) must leave the finished install: `finished_ok(dest)` checks it now, and
        its tree is kept in self.killed_finished for check_finished(), which compares it with an
        install run to its end. Returns the seconds of the longest crashed run."""
        self.killed_finished = None
        longest = 0.0
        runs = [("at " + p, p, None) for p in points]
        for i in range(random_kills):
            runs.append(("random %d" % i, None, None))
        for label, point, _ in runs:
            kill_after = None
            if point is None:
                kill_after = RANDOM.uniform(0.05, max(0.3, longest * 0.95))
                label += " (%.2f s)" % kill_after
            code, out, err, secs = self.install(bundle, [flag, dest], *extra, crash_at=point, kill_after=kill_after)
            longest = max(longest, secs)
            what = "%s, kill %s%s" % (name, label, "" if point else " [AIRLOCK_CRASH_SEED=%d]" % SEED)
            if code == 0:  # a random kill that came after the end
                self.finished(what, dest, finished_ok, out + err)
                REPORT.scenario(what, SURVIVED, faults=0)
                return longest
            self.assertEqual(code, -signal.SIGKILL, "%s: expected the kill, got exit %s\n%s%s" % (what, code, out, err))
            recovered = self.recover(flag, dest)
            after = tree(dest)
            if "recovering:" not in recovered and after != before:
                # Killed after the commit removed the journal (before the exit): finished.
                self.finished(what + " (no journal left)", dest, finished_ok, recovered)
                REPORT.scenario(what, SURVIVED, faults=1)
                return longest
            if "holds the finished install" in recovered:
                self.finished(what + " (after the commit mark)", dest, finished_ok, recovered)
                REPORT.scenario(what, SURVIVED, faults=1)
                return longest  # the destination changed: the rest of the series needs a new "before"
            if "recovering:" in recovered:
                self.assertIn("is as it was before the interrupted install", recovered, what)
            same = after == before
            REPORT.scenario(what, SURVIVED, faults=1, identical=same)
            if not same:
                REPORT.add(lost=1)
            self.assertTrue(same, "%s: the destination differs after recovery:\n%s\n%s" % (what, diff(before, after), recovered))
            self.assertEqual(leftovers(dest.parent), [], what)
        return longest

    def finished(self, what, dest, finished_ok, output):
        """A kill that left the finished install: no temporary tree beside it, `finished_ok`
        accepts it, and its tree is kept for check_finished()."""
        self.assertEqual(leftovers(dest.parent), [], what)
        self.killed_finished = (what, finished_tree(dest))
        self.assertTrue(finished_ok is not None and finished_ok(dest), what + ": not the finished install:\n" + output)

    def check_finished(self, dest):
        """When the series ended with a kill that left a finished install, `dest` (now installed
        to its end from the same state) must hold exactly the same tree."""
        if self.killed_finished is None:
            return
        what, killed = self.killed_finished
        clean = finished_tree(dest)
        self.assertEqual(killed, clean, "%s: differs from an install run to its end:\n%s" % (what, diff(clean, killed)))

    def recover_by_install(self, name, flag, dest, bundle, point, extra=()):
        """A kill at `point`, then a plain install: it recovers first, says so, and completes."""
        code, out, err, _ = self.install(bundle, [flag, dest], *extra, crash_at=point)
        self.assertEqual(code, -signal.SIGKILL, out + err)
        code, out, err, _ = self.install(bundle, [flag, dest], *extra)
        self.assertEqual(code, 0, out + err)
        self.assertIn("recovering: an install into %s" % dest, err)
        self.assertIn("recovered: %s is as it was before the interrupted install" % dest, err)
        self.assertEqual(leftovers(dest.parent), [])
        REPORT.scenario(name + ", kill then a plain install", SURVIVED, faults=1)

    # -- venvs ------------------------------------------------------------------------------------
    def has_bundle(self, packages):
        def check(dest):
            got = venv_mod.installed(dest, exclude=["pip", "setuptools", "wheel"])
            return got == packages
        return check

    def test_new_venv(self):
        dest = self.tmp.path / "venvs" / "new"
        self.crash_series("new venv", "--venv", dest, self.bundle_a, {},
                          ["journal-written", "unpacked", "venv-created"], 1,
                          extra=["--python", self.python],
                          finished_ok=self.has_bundle({"alpha": "1.0", "beta": "2.0"}))
        if os.path.lexists(dest):  # a random kill after the commit: start again from nothing
            shutil.rmtree(dest)
        self.recover_by_install("new venv", "--venv", dest, self.bundle_a, "unpacked", ["--python", self.python])
        self.assertEqual(self.has_bundle({"alpha": "1.0", "beta": "2.0"})(dest), True)
        self.check_finished(dest)

    def test_new_venv_kill_during_ensurepip(self):
        """`python -m venv` runs ensurepip as a grandchild, which closes inherited descriptors
        (so it does not hold the journal's lock) and does not die with the installer: the
        recovery finds it by the install's mark in its environment and stops it before removing
        the venv, so nothing recreates the venv afterwards."""
        dest = self.tmp.path / "venvs" / "fresh"
        cmd = base_cmd(self.offline) + ["install", str(self.bundle_a), "--key", str(self.pub),
                                        "--venv", str(dest), "--python", str(self.python)]
        with open(self.tmp.path / "ensurepip.log", "w") as log:
            p = subprocess.Popen(cmd, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL)
            deadline = time.monotonic() + 120
            while p.poll() is None and time.monotonic() < deadline and not ensurepip_running(dest):
                time.sleep(0.005)
            self.assertIsNone(p.poll(), "the install ended before ensurepip ran")
            p.send_signal(signal.SIGKILL)
            p.wait()
        recovered = self.recover("--venv", dest)
        self.assertRegex(recovered, r"stopped \d+ programs? the interrupted install had started")
        time.sleep(1.0)  # what a surviving ensurepip would have written by now
        self.assertFalse(os.path.lexists(dest), recovered)
        self.assertFalse(ensurepip_running(dest))
        self.assertEqual(leftovers(dest.parent), [])
        REPORT.scenario("new venv, kill during ensurepip (a grandchild)", SURVIVED, faults=1,
                        identical=True)

    def existing_venv(self, name):
        dest = self.tmp.path / "venvs" / name
        dest.parent.mkdir(exist_ok=True)
        subprocess.run(["cp", "-a", str(self.template), str(dest)], check=True)
        return dest

    def test_existing_venv(self):
        dest = self.existing_venv("old")
        before = tree(dest)
        b_done = self.has_bundle({"alpha": "1.0", "beta": "2.0", "gamma": "0.1"})
        self.crash_series("existing venv", "--venv", dest, self.bundle_b, before,
                          ["snapshot-moved", "snapshot-copied", "pip-done"], 1, finished_ok=b_done)
        if tree(dest) != before:  # a random kill after the commit: start again from the template
            shutil.rmtree(dest)
            subprocess.run(["cp", "-a", str(self.template), str(dest)], check=True)
            self.assertEqual(tree(dest), before)
        self.recover_by_install("existing venv", "--venv", dest, self.bundle_b, "snapshot-moved")
        self.assertTrue(b_done(dest))
        self.check_finished(dest)
        # A kill just after the commit mark: recovery only removes the leftovers (the snapshot).
        # (pip finds everything installed: the tree stays.)
        finished = tree(dest)
        code, out, err, _ = self.install(self.bundle_b, ["--venv", dest], crash_at="committing")
        self.assertEqual(code, -signal.SIGKILL, out + err)
        self.assertTrue(os.path.lexists(dest.parent / ".old.airlock-snapshot"))
        self.assertIn("holds the finished install", self.recover("--venv", dest))
        self.assertEqual(leftovers(dest.parent), [])
        self.assertEqual(tree(dest), finished, diff(finished, tree(dest)))
        REPORT.scenario("existing venv, kill after the commit mark", SURVIVED, faults=1, identical=True)

    def test_disk_full_file_size_limit(self):
        dest = self.existing_venv("limited")
        before = tree(dest)
        biggest = max(v[2] for v in before.values() if v[0] == "file")
        bundle_files = max(p.stat().st_size for p in (self.tmp.path / "w").iterdir())
        limit = max(bundle_files * 2, 128 * 1024)
        self.assertGreater(biggest, limit, "the venv has no file larger than the limit to fail on")

        def limited():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        code, out, err, _ = self.install(self.bundle_b, ["--venv", dest], preexec=limited)
        self.assertEqual(code, 1, out + err)
        self.assertIn("no room to install into `%s`: a file size limit is in force" % dest, err)
        self.assertIn("(ulimit -f)", err)
        self.assertIn("File too large", err)
        same = tree(dest) == before
        REPORT.scenario("existing venv, file size limit (EFBIG)", REFUSED, faults=1, identical=same)
        self.assertTrue(same, diff(before, tree(dest)))
        self.assertEqual(leftovers(dest.parent), [])
        code, out, err, _ = self.install(self.bundle_b, ["--venv", dest])
        self.assertEqual(code, 0, out + err)

    def test_disk_full_tmpfs(self):
        if os.geteuid() != 0:
            self.skipTest("mounting a tmpfs (inside unshare -m) needs root; the file size limit test covers "
                          "disk full without it")
        r = subprocess.run(["unshare", "-m", "-n", sys.executable, __file__, "--inside-tmpfs", str(self.tmp.path),
                            str(self.python), str(self.template), str(self.bundle_b), str(self.pub)],
                           env=self.env({"PYTHONPATH": os.environ.get("PYTHONPATH", "")}),
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for line in r.stdout.splitlines():
            if line.startswith("scenario "):
                REPORT.scenario(line[len("scenario "):], REFUSED, faults=1, identical=True)

    # -- conda prefixes ---------------------------------------------------------------------------
    @classmethod
    def conda_bundles(cls):
        if hasattr(cls, "conda_a"):
            return
        sys.path.insert(0, str(HERE.parent / "install"))
        from test_conda_prefix import greet_package, python_package

        def data(name, version, files):
            return conda.Package(name, version, "h0_0", "linux-64", formats=(".conda",), files=files)
        newpy = conda.Package("newpy", "1.0", "pyh0_0", "noarch", noarch="python", formats=(".conda",),
                              depends=["python >=3"], files=[("site-packages/newpy/__init__.py", b"VALUE = 42\n"),
                                                                ("site-packages/newpy_top.py", b"TOP = 1\n")])
        work = cls.tmp.path / "conda"
        work.mkdir()
        pkgs = [python_package(cls.python, work), greet_package(),
                data("tool", "1.0", [("share/tool/version.txt", b"1.0\n"), ("share/tool/old-only.txt", b"old\n")]),
                data("tool", "2.0", [("share/tool/version.txt", b"2.0\n"), ("share/tool/new-only.txt", b"new\n")]),
                data("gone", "1.0", [("share/gone/gone.txt", b"gone\n")]),
                data("fresh", "1.0", [("share/fresh/fresh.txt", b"fresh\n")]), newpy]
        channel = work / "channel"
        (work / "build").mkdir()
        conda.build_packages([(p, ".conda", channel) for p in pkgs], work / "build")
        f = {p.stem: bm.CondaFile(channel / (p.stem + ".conda"), p.subdir, CHANNEL) for p in pkgs}
        py = next(s for s in f if s.startswith("python-"))
        cls.conda_a = bm.make_conda_bundle(work / "ca.airlock", {CONDA_TARGET: (
            [f[s] for s in [py, "greet-1.0-pyh0_0", "tool-1.0-h0_0", "gone-1.0-h0_0"]], [])},
            secret_key=cls.sec, sequence=1)
        cls.conda_b = bm.make_conda_bundle(work / "cb.airlock", {CONDA_TARGET: (
            [f[s] for s in [py, "greet-1.0-pyh0_0", "tool-2.0-h0_0", "fresh-1.0-h0_0", "newpy-1.0-pyh0_0"]], [])},
            secret_key=cls.sec, sequence=2)

    @staticmethod
    def prefix_holds(*stems):
        def check(dest):
            return sorted(p.name for p in (dest / "conda-meta").glob("*.json")) == sorted(s + ".json" for s in stems) \
                if (dest / "conda-meta").is_dir() else False
        return check

    def test_new_prefix(self):
        self.conda_bundles()
        dest = self.short / "new"
        done = lambda d: (d / "conda-meta/history").is_file() and (d / "share/tool/version.txt").is_file()  # noqa: E731
        self.crash_series("new prefix", "--prefix", dest, self.conda_a, {},
                          ["moved-in", "byte-compiled", "meta-written"], 1, finished_ok=done)
        if os.path.lexists(dest):
            shutil.rmtree(dest)
        self.recover_by_install("new prefix", "--prefix", dest, self.conda_a, "moved-in")
        self.assertEqual((dest / "share/tool/version.txt").read_text(), "1.0\n")
        self.check_finished(dest)

    def test_prefix_update(self):
        self.conda_bundles()
        dest = self.short / "upd"
        code, out, err, _ = self.install(self.conda_a, ["--prefix", dest])
        self.assertEqual(code, 0, out + err)
        before = tree(dest)
        done = lambda d: (d / "share/tool/version.txt").read_text() == "2.0\n"  # noqa: E731
        self.crash_series("prefix --update", "--prefix", dest, self.conda_b, before,
                          ["moved-aside", "moved-in", "byte-compiled", "meta-written"], 1,
                          extra=["--update"], finished_ok=done)
        if tree(dest) != before:  # a random kill after the commit: start again from bundle A
            shutil.rmtree(dest)
            code, out, err, _ = self.install(self.conda_a, ["--prefix", dest], "--allow-downgrade")
            self.assertEqual(code, 0, out + err)
        self.recover_by_install("prefix --update", "--prefix", dest, self.conda_b, "moved-in", ["--update"])
        self.assertTrue(done(dest))
        self.assertFalse((dest / "share/gone").exists())
        self.check_finished(dest)
        # A kill after the journal is gone (the commit done, the installer not yet exited): the
        # finished install, nothing to recover, nothing beside it, its sequence recorded (in a new
        # state directory, so the record is this run's). The same bundle again keeps every
        # package: only conda-meta/history gains an entry (the cheapest install to kill there).
        finished = tree(dest)
        state = self.tmp.path / "state-committed"
        code, out, err, _ = self.install(self.conda_b, ["--prefix", dest], "--update", crash_at="committed",
                                         state=state)
        self.assertEqual(code, -signal.SIGKILL, out + err)
        self.assertRegex((state / "state.toml").read_text(), r'\[bundle\."condalab"\]\nsequence = 2\n')
        self.assertIn("nothing to recover: no interrupted install", self.recover("--prefix", dest))
        self.assertEqual(leftovers(dest.parent), [])
        after = tree(dest)
        self.assertNotEqual(after.pop("conda-meta/history"), finished.pop("conda-meta/history"))
        self.assertEqual(after, finished, diff(finished, after))
        REPORT.scenario("prefix --update, kill after the journal is removed", SURVIVED, faults=1, identical=True)


# ------------------------------------------------------------------------- inside unshare -m -n
def inside_tmpfs(work, python, template, bundle_b, pub):
    """Runs in a private mount namespace: a small tmpfs, an existing venv the snapshot cannot fit
    beside, a new venv that does not fit; prints `scenario NAME` for each one survived."""
    mnt = Path(work) / "tmpfs"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mnt)], check=True)
    env = dict(os.environ)

    def install(bundle, *args):
        return programs.run([programs.airlock_install(), "install", bundle, "--key", pub] + list(args), env=env,
                            timeout=300)
    dest = mnt / "venv"
    subprocess.run(["cp", "-a", template, str(dest)], check=True)
    before = tree(dest)
    used = sum(v[2] for v in before.values() if v[0] == "file")
    st = os.statvfs(mnt)
    free = st.f_bavail * st.f_frsize
    filler = mnt / "filler"
    with open(filler, "wb") as f:  # leave room for the unpacked bundle, not for the venv's copy
        f.truncate(0)
        f.write(b"\0" * max(0, free - used // 2))
    code, out, err = install(bundle_b, "--venv", dest)
    assert code == 1, "expected exit 1:\n" + out + err
    assert "no room to install into `%s`: the disk is full" % dest in err, err
    assert "No space left on device" in err, err
    after = tree(dest)
    assert after == before, diff(before, after)
    assert leftovers(mnt) == [], leftovers(mnt)
    print("scenario existing venv, tmpfs full (ENOSPC in the snapshot)")
    new = mnt / "new"
    code, out, err = install(bundle_b, "--venv", new, "--python", python)
    assert code == 1, "expected exit 1:\n" + out + err
    assert "no room to install into `%s`: the disk is full" % new in err, err
    assert not os.path.lexists(new), "the new venv was left behind"
    assert leftovers(mnt) == [], leftovers(mnt)
    print("scenario new venv, tmpfs full")
    filler.unlink()
    code, out, err = install(bundle_b, "--venv", dest)
    assert code == 0, out + err
    print("scenario existing venv, install after freeing space")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inside-tmpfs":
        inside_tmpfs(*sys.argv[2:7])
        sys.exit(0)
    try:
        main(REPORT)
    except SystemExit as e:
        if e.code:
            print("install-crash: the random kill times were seeded with AIRLOCK_CRASH_SEED=%d; to rerun them: "
                  "AIRLOCK_CRASH_SEED=%d ctest -R install_crash --output-on-failure" % (SEED, SEED), file=sys.stderr)
        raise
