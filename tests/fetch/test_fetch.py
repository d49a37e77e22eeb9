"""Integration tests of `airlock-build download` (the fetch module) against real nginx and the
fault-injecting proxy: segmented, resumable, verified downloads."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "faults"))

from fetch_support import Nginx, airlock_build, clean_env, sha256_file, write_random  # noqa: E402
from proxy import FaultProxy  # noqa: E402

MiB = 1 << 20


class FetchTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="airlock-fetch-test-"))
        self.srv = self.tmp / "srv"
        self.srv.mkdir()
        self.cache = self.tmp / "cache"
        self.out = self.tmp / "out"
        self.files = {}

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def add(self, name, size, seed=0):
        self.files[name] = (write_random(self.srv / name, size, seed), size)

    def write_list(self, url_for, names=None, sha=None, extra_urls=None):
        lines = []
        for name in names or self.files:
            digest, size = self.files[name]
            urls = [url_for(name)] + [u(name) for u in (extra_urls or [])]
            hashed = "" if sha == "none" else f" sha256={sha or digest}"
            lines.append(" ".join(urls) + f"{hashed} size={size}")
        path = self.tmp / "list.txt"
        path.write_text("\n".join(lines) + "\n")
        return path

    def download(self, listing, *args, check=True, timeout=300):
        cmd = [airlock_build(), "download", str(listing), "-o", str(self.out),
               "--cache-dir", str(self.cache), "--progress", "plain", *args]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=clean_env())
        if check and r.returncode != 0:
            self.fail(f"airlock failed ({r.returncode}):\n{r.stderr}")
        return r

    def assert_all_correct(self):
        for name, (digest, size) in self.files.items():
            path = self.out / name
            self.assertTrue(path.exists(), name)
            self.assertEqual(path.stat().st_size, size, name)
            self.assertEqual(sha256_file(path), digest, name)

    def assert_no_partials(self):
        tmp = self.cache / "tmp"
        left = [p.name for p in tmp.iterdir()] if tmp.exists() else []
        self.assertEqual(left, [], "partial files left in the cache")

    # -- the happy paths -----------------------------------------------------------------------
    def test_segmented_download_is_byte_identical(self):
        self.add("big.whl", 24 * MiB + 12345, seed=1)
        for i in range(6):
            self.add(f"small-{i}.whl", 50_000 + i * 7919, seed=10 + i)
        with Nginx(self.srv, limit_rate="2m") as ng:
            self.download(self.write_list(ng.url))
            ranges = [l for l in ng.log_lines() if l.startswith("/big.whl 206")]
        self.assert_all_correct()
        self.assert_no_partials()
        self.assertGreater(len(ranges), 4, "the big file should come in several range segments")

    def test_second_run_downloads_nothing(self):
        self.add("a.whl", 3 * MiB, seed=2)
        self.add("b.whl", 10_000, seed=3)
        with Nginx(self.srv) as ng:
            listing = self.write_list(ng.url)
            self.download(listing)
            sent = ng.bytes_sent()
            shutil.rmtree(self.out)
            self.download(listing)
            self.assertEqual(ng.bytes_sent(), sent, "the second run went to the server")
        self.assert_all_correct()

    def test_server_without_range_support(self):
        self.add("norange.whl", 12 * MiB, seed=4)
        with Nginx(self.srv, limit_rate="8m", ranges=False) as ng:
            self.download(self.write_list(ng.url))
            lines = [l for l in ng.log_lines() if l.startswith("/norange.whl")]
        self.assert_all_correct()
        self.assertTrue(all(" 200 " in l for l in lines), lines)

    def test_busy_mirror_with_connection_limit(self):
        self.add("big.whl", 16 * MiB, seed=5)
        for i in range(10):
            self.add(f"s{i}.whl", 300_000, seed=20 + i)
        with Nginx(self.srv, limit_rate="2m", limit_conn=4) as ng:
            self.download(self.write_list(ng.url))
        self.assert_all_correct()
        self.assert_no_partials()

    def test_mirror_failover(self):
        self.add("m.whl", 5 * MiB, seed=6)
        with Nginx(self.srv) as ng:
            dead = lambda name: f"http://127.0.0.1:9/{name}"  # nothing listens on port 9
            missing = lambda name: ng.url("missing/" + name)
            self.download(self.write_list(dead, extra_urls=[missing, ng.url]))
        self.assert_all_correct()

    # -- resume ------------------------------------------------------------------------------
    def test_resume_after_kill_9(self):
        # 4 connections at 1 MiB/s fetch ~9 MiB before the kill: enough left to resume.
        size = 24 * MiB
        self.add("resume.whl", size, seed=7)
        with Nginx(self.srv, limit_rate="1m") as ng:
            listing = self.write_list(ng.url)
            cmd = [airlock_build(), "download", str(listing), "-o", str(self.out), "--cache-dir",
                   str(self.cache), "--quiet", "--max-connections-per-host", "4"]
            proc = subprocess.Popen(cmd, env=clean_env(), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            state = None
            deadline = time.time() + 30
            while time.time() < deadline and state is None:
                time.sleep(0.2)
                states = list((self.cache / "tmp").glob("*.state")) if (self.cache / "tmp").exists() else []
                state = states[0] if states else None
            time.sleep(2)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            self.assertIsNotNone(state, "no resumable state was written")
            self.assertFalse((self.out / "resume.whl").exists())
            first_run = ng.bytes_sent()
            self.assertLess(first_run, size)
            self.download(listing, "--max-connections-per-host", "4")
            second_run = ng.bytes_sent() - first_run
        self.assert_all_correct()
        self.assert_no_partials()
        # Finished segments were not fetched again (allow for what was in flight at the kill).
        self.assertLess(second_run, size - first_run + 8 * MiB,
                        f"first run {first_run}, second run {second_run}")

    def test_changed_file_restarts_from_zero(self):
        """A partial whose server file changed (new ETag) is not spliced: If-Range restarts it.
        (No sha256 in the list, so both runs share the partial keyed by URL.) The restart is one
        whole-file answer at 1 MiB/s, so the file is small: ~5 MiB arrive before the kill."""
        size = 12 * MiB
        self.add("chg.whl", size, seed=30)
        with Nginx(self.srv, limit_rate="1m") as ng:
            listing = self.write_list(ng.url, sha="none")
            cmd = [airlock_build(), "download", str(listing), "-o", str(self.out), "--cache-dir",
                   str(self.cache), "--quiet", "--max-connections-per-host", "4"]
            proc = subprocess.Popen(cmd, env=clean_env(), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            deadline = time.time() + 30
            while time.time() < deadline and not list(self.cache.glob("tmp/*.state")):
                time.sleep(0.2)
            time.sleep(1)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            self.assertTrue(list(self.cache.glob("tmp/*.state")), "no resumable state was written")
            # New content, same size and name; the list now names the new hash.
            self.add("chg.whl", size, seed=31)
            os.utime(self.srv / "chg.whl", (time.time() + 5, time.time() + 5))
            self.download(listing, "--max-connections-per-host", "4")
            if_range = [l for l in ng.log_lines() if l.startswith("/chg.whl 200")]
        self.assert_all_correct()
        self.assertTrue(if_range, "the changed file should have been answered whole (If-Range)")

    # -- verification --------------------------------------------------------------------------
    def test_hash_mismatch_is_refused(self):
        self.add("bad.whl", 2 * MiB, seed=8)
        wrong = "0" * 64
        with Nginx(self.srv) as ng:
            r = self.download(self.write_list(ng.url, sha=wrong), check=False)
            url = ng.url("bad.whl")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("sha256 mismatch", r.stderr)
        self.assertIn("expected " + wrong, r.stderr)
        self.assertIn("computed " + self.files["bad.whl"][0], r.stderr)
        self.assertIn(url, r.stderr)
        self.assertFalse((self.out / "bad.whl").exists())
        self.assert_no_partials()
        self.assertEqual(list((self.cache / "blobs").rglob("*")) if (self.cache / "blobs").exists() else [], [])

    def test_files_that_verified_are_kept_when_others_fail(self):
        self.add("good-1.0-py3-none-any.whl", 300_000, seed=21)
        self.add("also_good-1.0-py3-none-any.whl", 200_000, seed=22)
        self.add("bad-1.0-py3-none-any.whl", 100_000, seed=23)
        with Nginx(self.srv) as ng:
            listing = self.write_list(ng.url)
            text = listing.read_text().replace(self.files["bad-1.0-py3-none-any.whl"][0], "0" * 64)
            listing.write_text(text)
            r = self.download(listing, check=False)
            gone = self.tmp / "list2.txt"
            gone.write_text(ng.url("missing-1.0-py3-none-any.whl") + "\n")
            r2 = self.download(gone, check=False)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("1 of 3 files could not be downloaded:\n      `bad-1.0-py3-none-any.whl`: sha256 mismatch", r.stderr)
        self.assertIn("hint: 2 verified files are in `%s`; run the same command again to retry the others" % self.out,
                      r.stderr)
        self.assertEqual(sorted(p.name for p in self.out.iterdir()),
                         ["also_good-1.0-py3-none-any.whl", "good-1.0-py3-none-any.whl"])
        for name in ("good-1.0-py3-none-any.whl", "also_good-1.0-py3-none-any.whl"):
            self.assertEqual(sha256_file(self.out / name), self.files[name][0])
        self.assert_no_partials()
        # Nothing verified: nothing is written, and the hint says so.
        self.assertEqual(r2.returncode, 1, r2.stderr)
        self.assertIn("0 verified files are in", r2.stderr)

    def test_corrupted_byte_in_transit_once_is_downloaded_again(self):
        self.add("c.whl", 3 * MiB, seed=9)
        with Nginx(self.srv) as ng, FaultProxy(ng.port, corrupt_first=1, corrupt_at=5000) as proxy:
            self.download(self.write_list(lambda n: f"http://127.0.0.1:{proxy.port}/{n}"))
            self.assertEqual(proxy.counts["corrupt"], 1)
        self.assert_all_correct()
        self.assert_no_partials()

    def test_corrupted_byte_in_transit_every_time_is_caught(self):
        self.add("c.whl", 3 * MiB, seed=9)
        with Nginx(self.srv) as ng, FaultProxy(ng.port, corrupt_first=1000, corrupt_at=5000) as proxy:
            r = self.download(self.write_list(lambda n: f"http://127.0.0.1:{proxy.port}/{n}"), check=False)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("sha256 mismatch", r.stderr)
        self.assertFalse((self.out / "c.whl").exists())
        self.assert_no_partials()

    def test_credentials_never_printed(self):
        self.add("x.whl", 1000, seed=10)
        listing = self.write_list(lambda n: f"http://alice:s3cret@127.0.0.1:9/{n}")
        r = self.download(listing, "--retries", "1", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertNotIn("s3cret", r.stderr)
        self.assertNotIn("alice", r.stderr)  # the URL is kept without its credentials
        self.assertIn("http://127.0.0.1:9/x.whl", r.stderr)

    # -- faults ----------------------------------------------------------------------------------
    def via_proxy(self, **faults):
        """Downloads every file through a FaultProxy; returns (result, proxy counts, seconds)."""
        with Nginx(self.srv) as ng, FaultProxy(ng.port, **faults) as proxy:
            listing = self.write_list(lambda n: f"http://127.0.0.1:{proxy.port}/{n}")
            start = time.time()
            r = self.download(listing, "--stall-timeout", "2")
            return r, dict(proxy.counts), time.time() - start

    def test_503_with_retry_after(self):
        self.add("r.whl", 4 * MiB, seed=11)
        _, counts, seconds = self.via_proxy(status_first=3, status=503, retry_after=1)
        self.assert_all_correct()
        self.assertEqual(counts["status"], 3)
        self.assertGreaterEqual(seconds, 1.0, "Retry-After was not honoured")

    def test_429_with_retry_after(self):
        self.add("r.whl", 1 * MiB, seed=12)
        _, counts, _ = self.via_proxy(status_first=2, status=429, retry_after=1)
        self.assert_all_correct()
        self.assertEqual(counts["status"], 2)

    def test_dropped_connections(self):
        self.add("d.whl", 8 * MiB, seed=13)
        self.add("e.whl", 200_000, seed=14)
        _, counts, _ = self.via_proxy(drop_first=5, drop_after=300_000)
        self.assert_all_correct()
        self.assertEqual(counts["drop"], 5)

    def test_truncated_responses(self):
        self.add("t.whl", 6 * MiB, seed=15)
        _, counts, _ = self.via_proxy(truncate_first=3, truncate_after=100_000)
        self.assert_all_correct()
        self.assertEqual(counts["truncate"], 3)

    def test_stalled_connection(self):
        self.add("s.whl", 3 * MiB, seed=16)
        _, counts, _ = self.via_proxy(stall_first=1, stall_after=200_000, stall_seconds=20)
        self.assert_all_correct()
        self.assertEqual(counts["stall"], 1)

    def test_refused_connections(self):
        self.add("f.whl", 2 * MiB, seed=17)
        _, counts, _ = self.via_proxy(refuse_first=3)
        self.assert_all_correct()

    def test_gives_up_with_a_clear_message(self):
        self.add("g.whl", 100_000, seed=18)
        with Nginx(self.srv) as ng, FaultProxy(ng.port, status_first=1000, status=503) as proxy:
            listing = self.write_list(lambda n: f"http://127.0.0.1:{proxy.port}/{n}")
            r = self.download(listing, "--retries", "2", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("`g.whl`: HTTP 503", r.stderr)
        self.assertIn("gave up after 3 attempts", r.stderr)
        self.assert_no_partials()


if __name__ == "__main__":
    unittest.main(verbosity=2)
