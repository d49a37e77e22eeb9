"""The reliability suite: `airlock-build build` through a fault-injecting proxy (tests/faults/proxy.py)
in front of a real nginx serving a real index, one scenario per fault, then kill -9 at random
points on one cache.

Every run must end in a bundle byte-identical to the clean run's, or in a clear error (exit 1, a
message naming the misbehaviour) with nothing written to the output directory; afterwards every
cache blob must hash to its name and no temporary file may be left. Prints one summary line:

    reliability: N scenarios, F faults survived, R bad inputs refused, B/B bundles identical,
    K kill -9 then identical, nothing lost (X blobs verified, 0 bad, 0 partial files)

and records its figures into the combined summary (reliability_summary.py).
"""

import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from airlock_testing import programs
from airlock_testing.index import build_index
from airlock_testing.nginx import Nginx, free_port
from airlock_testing.venv import clean_env
from airlock_testing.wheels import build_wheel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))
from proxy import FaultProxy  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_summary import REFUSED, SURVIVED, Report, main  # noqa: E402

REPORT = Report("faults (airlock-build)", __file__)

WHL = r"\.whl$"
PAGE = r"/simple/"
META = r"\.metadata$"
KiB = 1024

SURVIVE, REFUSE = "survive", "refuse"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def blobs_bad(cache: Path):
    """(blobs verified, names of blobs whose bytes do not hash to their name)."""
    root = cache / "blobs" / "sha256"
    checked, bad = 0, []
    if root.exists():
        for f in root.rglob("*"):
            if f.is_file():
                checked += 1
                if f.parent.name + f.name != sha256_file(f):
                    bad.append(str(f))
    return checked, bad


def partial_files(*dirs: Path):
    """Temporaries and partial downloads left behind (.tmp-XXXXXX, .part, .state)."""
    left = []
    for d in dirs:
        if d.exists():
            for f in d.rglob("*"):
                if re.search(r"\.tmp-\w{6}$|\.part$|\.state$", f.name):
                    left.append(str(f))
    return left


def replace_sha(sha256):
    """A page rewrite: the file's sha256 becomes another (HTML `#sha256=` and JSON alike)."""
    def rewrite(path, body):
        assert sha256.encode() in body, "the page does not list the hash to replace"
        return body.replace(sha256.encode(), b"0" * 64)
    return rewrite


class ReliabilityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="airlock-reliability-"))
        wheels = cls.tmp / "wheels"
        wheels.mkdir()
        files = {
            "alpha": [build_wheel(wheels, "alpha", "1.0", requires_dist=["beta>=1"], payload_size=3 * 1024 * KiB)],
            "beta": [build_wheel(wheels, "beta", "1.0", requires_dist=["gamma"], payload_size=400 * KiB)],
            "gamma": [build_wheel(wheels, "gamma", "1.0", payload_size=200 * KiB)],
        }
        cls.alpha_sha256 = sha256_file(files["alpha"][0])
        build_index(cls.tmp / "srv", files)
        cls.nginx = Nginx(cls.tmp / "srv").start()
        cls.port = free_port()
        cls.primary_port = free_port()  # the primary index of the mirror scenario
        cls.results = []
        cls.blobs_checked = 0
        cls.clean = {}

    @classmethod
    def tearDownClass(cls):
        cls.nginx.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # -- running one build -----------------------------------------------------------------------
    def manifest(self, primary=False):
        url = "http://127.0.0.1:%d/simple" % self.port
        index = ['[[index]]', 'name = "fixture"', 'url = "%s"' % url]
        if primary:
            index[2] = 'url = "http://127.0.0.1:%d/simple"' % self.primary_port
            index.append('mirrors = ["%s"]' % url)
        text = "\n".join(['[bundle]', 'name = "reliability"', 'version = "1.0.0"', '',
                          '[[target]]', 'name = "linux-py312"', 'python = "3.12"',
                          'platform = "manylinux_2_28_x86_64"', ''] + index +
                         ['', '[python]', 'requirements = ["alpha"]', ''])
        path = self.tmp / "manifest.toml"
        path.write_text(text)
        return path

    def build(self, work: Path, *args, primary=False, timeout=60, wait=True):
        out = work / "out"
        cmd = [str(programs.airlock_build()), "build", str(self.manifest(primary)), "-o", str(out / "r.airlock"),
               "--cache-dir", str(work / "cache"), "-q", *args]
        # A fixed SOURCE_DATE_EPOCH: the bundle's `created` and sequence, so runs are comparable.
        env = {k: v for k, v in clean_env().items()
               if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
        env["SOURCE_DATE_EPOCH"] = "1767225600"
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        if not wait:
            return proc
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            stdout, stderr = proc.communicate()
            self.fail("airlock-build build hung for %d s (%s):\n%s" % (timeout, work.name, stderr))
        return proc.returncode, stdout, stderr, out

    def clean_bundle(self, primary=False):
        """The bundle of a run without faults (the manifest names its index URLs, so the mirror
        scenario has its own, made with the primary up)."""
        if primary not in ReliabilityTest.clean:
            work = self.tmp / ("clean-primary" if primary else "clean")
            with FaultProxy(self.nginx.port, port=self.port), \
                    FaultProxy(self.nginx.port, port=self.primary_port):
                code, _, err, out = self.build(work, primary=primary)
            self.assertEqual(code, 0, err)
            ReliabilityTest.clean[primary] = (out / "r.airlock").read_bytes()
            self.check_nothing_lost(work)
            shutil.rmtree(work, ignore_errors=True)
        return ReliabilityTest.clean[primary]

    def check_nothing_lost(self, work: Path):
        checked, bad = blobs_bad(work / "cache")
        ReliabilityTest.blobs_checked += checked
        partial = partial_files(work / "out", work / "cache")
        REPORT.add(blobs_verified=checked - len(bad), lost=len(bad), partial_files=len(partial))
        self.assertEqual(bad, [], "cache blobs that do not match their name")
        self.assertEqual(partial, [])

    def scenario(self, name, expect, faults, *args, message=None, primary=False):
        clean = self.clean_bundle(primary)
        work = self.tmp / name
        start = time.time()
        with FaultProxy(self.nginx.port, port=self.port, **faults) as proxy:
            code, _, err, out = self.build(work, *args, primary=primary)
            injected = proxy.faults()
        seconds = time.time() - start
        with self.subTest(scenario=name):
            if not primary:
                self.assertGreater(injected, 0, "the proxy injected no fault: the scenario tests nothing")
            outcome = SURVIVE if code == 0 else REFUSE
            if outcome == SURVIVE:
                self.assertEqual((out / "r.airlock").read_bytes(), clean, "the bundle differs from the clean run's")
            else:
                self.assertEqual(code, 1, err)
                self.assertEqual(sorted(p.name for p in out.iterdir()) if out.exists() else [], [],
                                 "a failed build left files in the output directory")
                self.assertRegex(err, r"^error: ", err)
                if message:
                    self.assertIn(message, err)
            self.assertIn(outcome, expect if isinstance(expect, tuple) else (expect,),
                          "%s: expected %s, got %s:\n%s" % (name, expect, outcome, err))
            self.check_nothing_lost(work)
            last = err.strip().splitlines()[-1] if err.strip() else ""
            ReliabilityTest.results.append((name, outcome, injected, seconds, err if outcome == REFUSE else ""))
            REPORT.scenario(name, SURVIVED if outcome == SURVIVE else REFUSED, faults=injected,
                            identical=True if outcome == SURVIVE else None)
            sys.stderr.write("  %-34s %-8s faults %4d  %5.1f s  %s\n" % (name, outcome, injected, seconds,
                                                                        last[:110] if outcome == REFUSE else ""))
        shutil.rmtree(work, ignore_errors=True)

    # -- the scenarios -----------------------------------------------------------------------------
    def test_1_network_faults(self):
        s = self.scenario
        s("drop-mid-body", SURVIVE, dict(match=WHL, drop_first=3, drop_after=100 * KiB))
        s("connection-refused", SURVIVE, dict(refuse_first=3))
        s("stall-shorter-than-timeout", SURVIVE, dict(match=WHL, stall_first=2, stall_after=64 * KiB,
                                                      stall_seconds=1), "--stall-timeout", "3")
        s("stall-longer-than-timeout", SURVIVE, dict(match=WHL, stall_first=1, stall_after=64 * KiB,
                                                     stall_seconds=30), "--stall-timeout", "1")
        s("page-stall-longer-than-timeout", SURVIVE, dict(match=PAGE, stall_first=1, stall_after=10,
                                                          stall_seconds=30), "--stall-timeout", "1")
        s("truncated-file-bodies", SURVIVE, dict(match=WHL, truncate_first=3, truncate_after=50 * KiB))
        s("truncated-page-transfer", SURVIVE, dict(match=PAGE, truncate_first=1, truncate_after=100))
        s("dead-primary-working-mirror", SURVIVE, {}, primary=True)  # nothing listens on the primary

    def test_2_statuses(self):
        s = self.scenario
        s("500-files", SURVIVE, dict(match=WHL, status_first=2, status=500))
        s("502-pages", SURVIVE, dict(match=PAGE, status_first=2, status=502))
        s("503-retry-after-seconds", SURVIVE, dict(match=WHL, status_first=2, status=503, retry_after=1))
        s("429-retry-after-http-date", SURVIVE, dict(match=WHL, status_first=1, status=429, retry_after="date+2"))
        s("503-page-retry-after-date", SURVIVE, dict(match=PAGE, status_first=1, status=503, retry_after="date+1"))
        s("429-page-no-retry-after", SURVIVE, dict(match=PAGE, status_first=2, status=429))
        s("503-absurd-retry-after-files", REFUSE, dict(match=WHL, status_first=10000, status=503,
                                                       retry_after=999999), message="Retry-After")
        s("503-absurd-retry-after-pages", REFUSE, dict(match=PAGE, status_first=10000, status=503,
                                                       retry_after=999999), message="Retry-After")
        s("500-always", REFUSE, dict(match=WHL, status_first=10000, status=500), "--retries", "2",
          message="HTTP 500")

    def test_3_lying_servers(self):
        s = self.scenario
        s("flipped-byte-once", SURVIVE, dict(match=WHL, corrupt_first=1, corrupt_at=5000))
        s("flipped-byte-always", REFUSE, dict(match=WHL, corrupt_first=10000, corrupt_at=5000),
          message="sha256 mismatch")
        s("content-length-larger-files", SURVIVE, dict(match=WHL, length_first=10000, length_delta=100))
        s("content-length-larger-pages", (SURVIVE, REFUSE), dict(match=PAGE, length_first=10000, length_delta=100),
          "--retries", "1")
        s("range-ignored-above-0", SURVIVE, dict(match=WHL, drop_first=1, drop_after=1024 * KiB,
                                                 range_ignore_first=10000))
        s("content-range-total-too-large", SURVIVE, dict(match=WHL, drop_first=1, drop_after=1024 * KiB,
                                                         range_total_first=10000))
        s("etag-changes-every-response", SURVIVE, dict(match=WHL, drop_first=1, drop_after=1024 * KiB,
                                                       etag_first=10000))
        s("file-changed-between-ranges", SURVIVE, dict(match=WHL, drop_first=1, drop_after=1024 * KiB,
                                                       changed_first=10000))
        s("huge-header-files", REFUSE, dict(match=WHL, huge_header_first=10000), "--retries", "1",
          message="KiB of response headers")
        s("huge-header-pages", REFUSE, dict(match=PAGE, huge_header_first=10000), "--retries", "1",
          message="KiB of response headers")

    def test_4_redirects(self):
        s = self.scenario
        s("redirect-to-origin", SURVIVE, dict(match=WHL, redirect_first=10000, redirect="origin"))
        s("redirect-loop", REFUSE, dict(match=WHL, redirect_first=10000, redirect="loop"),
          message="redirects (a redirect loop?)")
        s("redirect-unresolvable-host", REFUSE, dict(match=WHL, redirect_first=10000, redirect="unresolvable"),
          "--retries", "1", message="airlock-test.invalid")

    def test_5_broken_index(self):
        s = self.scenario
        s("page-truncated", REFUSE, dict(match=PAGE, rewrite_first=10000, rewrite=lambda p, b: b[: len(b) // 2]))
        s("page-invalid-json", REFUSE, dict(match=PAGE, rewrite_first=10000, rewrite=lambda p, b: b"{not json"))
        s("page-wrong-hash", REFUSE, dict(match=r"/simple/alpha/", rewrite_first=10000,
                                          rewrite=replace_sha(self.alpha_sha256)), message="sha256 mismatch")
        s("metadata-disagrees-with-hash", (SURVIVE, REFUSE),
          dict(match=META, rewrite_first=10000, rewrite=lambda p, b: b + b"X-Tampered: yes\n"))

    def test_6_kill_9(self):
        """kill -9 at random points (resolve, downloads, packing) on one cache, then a full run."""
        clean = self.clean_bundle()
        work = self.tmp / "kill-9"
        rng = random.Random(15)
        with FaultProxy(self.nginx.port, port=self.port):
            start = time.time()
            code, _, err, out = self.build(self.tmp / "kill-9-timing")
            span = time.time() - start
            kills = tries = packing_kills = 0
            stale = 0
            while (kills < 6 or packing_kills < 2) and tries < 30:
                tries += 1
                proc = self.build(work, wait=False)
                if tries % 3 == 0:
                    # While packing: as soon as the bundle's temporary appears.
                    deadline = time.time() + span * 3
                    while proc.poll() is None and time.time() < deadline and \
                            not list((work / "out").glob(".r.airlock.tmp-*")):
                        time.sleep(0.002)
                    packing_kills += proc.poll() is None
                else:
                    time.sleep(rng.uniform(0.01, span * 0.8))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    kills += 1
                proc.communicate()
                # A run that finished before the kill wrote the clean bundle; start the next over.
                if (work / "out" / "r.airlock").exists():
                    self.assertEqual((work / "out" / "r.airlock").read_bytes(), clean)
                    (work / "out" / "r.airlock").unlink()
                stale = max(stale, len(list((work / "out").glob(".r.airlock.tmp-*"))))
            code, _, err, out = self.build(work)
        self.assertEqual(code, 0, err)
        self.assertGreater(packing_kills, 0, "no kill landed while packing")
        self.assertGreater(stale, 0, "a kill while packing left no temporary: nothing was tested")
        self.assertEqual((out / "r.airlock").read_bytes(), clean)
        self.assertEqual(sorted(p.name for p in out.iterdir()), ["r.airlock"], "partial output left")
        self.check_nothing_lost(work)
        ReliabilityTest.kills = kills
        ReliabilityTest.results.append(("kill-9 x%d then complete" % kills, SURVIVE, kills, 0.0, ""))
        REPORT.scenario("kill-9 x%d then complete" % kills, SURVIVED, faults=kills, identical=True)
        sys.stderr.write("  %-34s %-8s kills %4d (%d while packing; stale temporaries removed)\n"
                         % ("kill-9-on-one-cache", SURVIVE, kills, packing_kills))

    def test_7_summary(self):
        r = ReliabilityTest.results
        survived = [x for x in r if x[1] == SURVIVE]
        refused = [x for x in r if x[1] == REFUSE]
        faults = sum(x[2] for x in r)
        print("\nreliability: %d scenarios, %d faults injected; faults survived: %d (bundles identical "
              "to the clean run: %d/%d, including a complete run after %d kill -9); bad inputs refused "
              "with a clear error and no bundle: %d; nothing lost: %d cache blobs verified, 0 bad, "
              "0 partial files" % (len(r), faults, len(survived), len(survived), len(survived),
                                   getattr(ReliabilityTest, "kills", 0), len(refused), self.blobs_checked),
              flush=True)


if __name__ == "__main__":
    main(REPORT)
