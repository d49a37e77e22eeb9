"""Helpers for the fetch integration tests and benchmark: an nginx on a free loopback port with
per-connection rate limits, per-client connection limits and optional range support, plus the
airlock binary under test. Standard library only."""

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("AIRLOCK_SOURCE_DIR", Path(__file__).resolve().parents[2]))


def airlock_build() -> str:
    """The airlock-build binary: $AIRLOCK_BUILD, else $AIRLOCK_BIN_DIR/airlock-build."""
    if os.environ.get("AIRLOCK_BUILD"):
        return os.environ["AIRLOCK_BUILD"]
    bin_dir = os.environ.get("AIRLOCK_BIN_DIR", str(SOURCE_DIR / "build" / "bin"))
    return str(Path(bin_dir) / "airlock-build")


def has_download_command() -> bool:
    try:
        r = subprocess.run([airlock_build(), "download", "--help"], capture_output=True, timeout=30)
    except OSError:
        return False
    return r.returncode == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def write_random(path, size: int, seed: int = 0) -> str:
    """Writes `size` pseudo-random bytes (fast, deterministic per seed); returns the sha256."""
    import random
    rng = random.Random(seed)
    h = hashlib.sha256()
    with open(path, "wb") as f:
        left = size
        while left:
            n = min(left, 1 << 20)
            block = rng.randbytes(n)
            f.write(block)
            h.update(block)
            left -= n
    return h.hexdigest()


class Nginx:
    """nginx serving `root` on 127.0.0.1:<port>.

    limit_rate: e.g. "4m" per connection; limit_conn: connections per client address (503
    beyond); ranges: False sets `max_ranges 0` (Range ignored, 200 whole file)."""

    def __init__(self, root, limit_rate=None, limit_conn=None, ranges=True, port=None, workers=1):
        self.root = Path(root).resolve()
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="airlock-nginx-"))
        (self.dir / "logs").mkdir()
        self.access_log = self.dir / "logs" / "access.log"
        user = "user root root;" if os.geteuid() == 0 else ""
        limits = []
        if limit_rate:
            limits.append(f"limit_rate {limit_rate};")
        if limit_conn:
            limits.append(f"limit_conn perclient {limit_conn};")
        if not ranges:
            limits.append("max_ranges 0;")
        conf = f"""
{user}
worker_processes {workers};
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format fetchlog '$request_uri $status $body_bytes_sent "$http_range" "$http_if_range"';
    access_log {self.access_log} fetchlog;
    limit_conn_zone $binary_remote_addr zone=perclient:10m;
    limit_conn_status 503;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {self.dir}/tmp;
    proxy_temp_path {self.dir}/tmp;
    fastcgi_temp_path {self.dir}/tmp;
    uwsgi_temp_path {self.dir}/tmp;
    scgi_temp_path {self.dir}/tmp;
    types {{ application/octet-stream whl; text/html html; }}
    server {{
        listen 127.0.0.1:{self.port} backlog=4096;
        root {self.root};
        autoindex on;
        {' '.join(limits)}
    }}
}}
"""
        (self.dir / "nginx.conf").write_text(conf)
        self.proc = subprocess.Popen(
            ["nginx", "-p", str(self.dir), "-c", str(self.dir / "nginx.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("nginx failed: " + self.proc.stderr.read().decode())
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def log_lines(self):
        try:
            return self.access_log.read_text().splitlines()
        except FileNotFoundError:
            return []

    def bytes_sent(self, name=None) -> int:
        total = 0
        for line in self.log_lines():
            parts = line.split()
            if name is None or parts[0] == "/" + name:
                total += int(parts[2])
        return total

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def clean_env(**extra):
    """The environment for airlock runs: no proxies or PIP_* leaking in from this machine."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PIP_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["PIP_CONFIG_FILE"] = os.devnull  # airlock-build reads pip.conf and .netrc: not this machine's
    env["NETRC"] = os.devnull
    env.update(extra)
    return env
