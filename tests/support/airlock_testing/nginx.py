"""A real nginx on a free loopback port serving a directory tree (no mocked HTTP).

    with Nginx(root, limit_rate="4m", limit_conn=4) as server:
        urllib.request.urlopen(server.url + "/simple/torch/")

Runs Debian's /usr/sbin/nginx in the foreground (`daemon off`, `master_process off`, so it works
the same as root and as a normal user) with its own config, pid, temp and log files in a temp dir.
Under /simple/ (and any `json_dirs`) it negotiates PEP 691: `Accept: application/vnd.pypi.simple.v1+json`
gets index.json (served as that media type), anything else gets index.html.

    ca = tls.TestCA(tmp)                                   # openssl-made CA + 127.0.0.1 cert
    with Nginx(root, tls=ca.server, htpasswd=tmp / "htpasswd") as server:
        server.url                                         # https://127.0.0.1:PORT, basic auth
"""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import List, Mapping, Optional, Sequence, Tuple, Union

NGINX = os.environ.get("AIRLOCK_NGINX", "/usr/sbin/nginx")

_running: List["Nginx"] = []


@atexit.register
def _stop_all() -> None:
    for server in list(_running):
        server.stop()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NginxError(RuntimeError):
    pass


class Nginx:
    """nginx serving `root` on http://127.0.0.1:PORT.

    limit_rate:  per-connection rate cap, nginx syntax ("4m" = 4 MiB/s, "512k"). nginx lets the
                 first second's worth through at once, so only longer transfers show the cap.
    limit_conn:  at most N concurrent connections per client address; beyond that nginx answers 503.
    ranges:      False sets `max_ranges 0` so Range headers are ignored (full 200 answers).
    http2:       True listens with h2c (HTTP/2 prior knowledge; HTTP/1.1 no longer works then).
    locations:   extra raw config blocks placed inside `server { }`.
    access_log:  True writes `$status $request_method $uri $http_range $body_bytes_sent` lines, see
                 access_log_lines().
    json_dirs:   URL prefixes with PEP 691 content negotiation (default ["/simple/"]).
    aliases:     {"/tuna/": some_dir}: serve another tree (or the same one: a mirror) under a
                 prefix, with PEP 691 negotiation everywhere below it.
    tls:         (certificate.pem, key.pem): serve HTTPS only (see airlock_testing.tls.TestCA).
    htpasswd:    an htpasswd file (`user:{PLAIN}password` lines work): every request needs HTTP
                 basic authentication (nginx auth_basic), else 401.
    """

    def __init__(
        self,
        root: Union[str, Path],
        *,
        limit_rate: Optional[str] = None,
        limit_conn: Optional[int] = None,
        ranges: bool = True,
        http2: bool = False,
        locations: Sequence[str] = (),
        access_log: bool = False,
        json_dirs: Sequence[str] = ("/simple/",),
        aliases: Optional[Mapping[str, Union[str, Path]]] = None,
        port: Optional[int] = None,
        tls: Optional[Tuple[Union[str, Path], Union[str, Path]]] = None,
        htpasswd: Optional[Union[str, Path]] = None,
    ):
        self.root = Path(root).resolve()
        self.limit_rate = limit_rate
        self.limit_conn = limit_conn
        self.ranges = ranges
        self.http2 = http2
        self.locations = list(locations)
        self.access_log = access_log
        self.json_dirs = list(json_dirs)
        self.aliases = {k: Path(v).resolve() for k, v in (aliases or {}).items()}
        self.requested_port = port
        self.tls = tuple(Path(p).resolve() for p in tls) if tls else None
        self.htpasswd = Path(htpasswd).resolve() if htpasswd else None
        self.port: Optional[int] = None
        self.dir: Optional[Path] = None
        self.proc: Optional[subprocess.Popen] = None

    # ---------------------------------------------------------------- lifecycle
    def __enter__(self) -> "Nginx":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self.port is None:
            raise NginxError("nginx is not running")
        return "%s://127.0.0.1:%d" % ("https" if self.tls else "http", self.port)

    def start(self) -> "Nginx":
        if not os.path.exists(NGINX):
            raise NginxError("%s not found: install Debian's nginx-light (apt-get install nginx-light)" % NGINX)
        if not self.root.is_dir():
            raise NginxError("cannot serve %s: not a directory" % self.root)
        self.dir = Path(tempfile.mkdtemp(prefix="airlock-nginx-"))
        for sub in ("logs", "temp"):
            (self.dir / sub).mkdir()
        last_error = ""
        for _attempt in range(5):
            self.port = self.requested_port or free_port()
            conf = self.dir / "nginx.conf"
            conf.write_text(self._config())
            errlog = self.dir / "logs" / "error.log"
            errlog.write_text("")
            with open(self.dir / "logs" / "stderr.log", "wb") as stderr:
                self.proc = subprocess.Popen(
                    [NGINX, "-p", str(self.dir), "-c", str(conf), "-e", str(errlog)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                )
            if self._wait_ready():
                _running.append(self)
                return self
            last_error = self.error_log()
            self._kill()
            if "Address already in use" not in last_error or self.requested_port:
                break
        self.port = None
        shutil.rmtree(self.dir, ignore_errors=True)
        raise NginxError("nginx did not start; its error log:\n" + last_error)

    def _wait_ready(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.02)
        return False

    def _kill(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # fast shutdown
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def stop(self) -> None:
        """Stop nginx. Raises NginxError (with the error log) if it had died on its own."""
        if self.proc is None:
            return
        died = self.proc.poll() is not None
        log = self.error_log() if died else ""
        self._kill()
        if self in _running:
            _running.remove(self)
        if self.dir is not None and not os.environ.get("AIRLOCK_KEEP_TEMP"):
            shutil.rmtree(self.dir, ignore_errors=True)
        self.port = None
        if died:
            raise NginxError("nginx exited while the test was running; its error log:\n" + log)

    # ---------------------------------------------------------------- logs
    def error_log(self) -> str:
        if self.dir is None:
            return ""
        out = []
        for name in ("error.log", "stderr.log"):
            p = self.dir / "logs" / name
            if p.exists():
                out.append(p.read_text(errors="replace"))
        return "".join(out)

    def access_log_lines(self) -> List[str]:
        """Lines `STATUS METHOD URI RANGE BYTES` (RANGE is `-` when absent). Needs access_log=True."""
        if self.dir is None or not self.access_log:
            raise NginxError("start Nginx(..., access_log=True) to read the access log")
        p = self.dir / "logs" / "access.log"
        return p.read_text().splitlines() if p.exists() else []

    # ---------------------------------------------------------------- config
    def _config(self) -> str:
        assert self.dir is not None
        d = self.dir
        temp = d / "temp"
        listen = "127.0.0.1:%d" % self.port + (" ssl" if self.tls else "") + (" http2" if self.http2 else "")
        server = [
            "listen %s;" % listen,
            "server_name localhost;",
            "root %s;" % self.root,
            "absolute_redirect off;",
            "autoindex off;",
        ]
        if self.tls:
            server.append("ssl_certificate %s;" % self.tls[0])
            server.append("ssl_certificate_key %s;" % self.tls[1])
        if self.htpasswd:
            server.append('auth_basic "airlock test";')
            server.append("auth_basic_user_file %s;" % self.htpasswd)
        if self.limit_rate:
            server.append("limit_rate %s;" % self.limit_rate)
        if self.limit_conn:
            server.append("limit_conn perip %d;" % self.limit_conn)
            server.append("limit_conn_status 503;")
        if not self.ranges:
            server.append("max_ranges 0;")
        for prefix in self.json_dirs:
            server.append(
                "location %s {\n"
                "        index $pep691_index;\n"
                "        add_header Vary Accept always;\n"
                "        location ~ /index\\.json$ { types { } default_type %s; add_header Vary Accept always; }\n"
                "    }" % (prefix, "application/vnd.pypi.simple.v1+json")
            )
        for prefix, path in self.aliases.items():
            prefix = "/" + prefix.strip("/") + "/"
            server.append(
                "location %s {\n"
                "        alias %s/;\n"
                "        index $pep691_index;\n"
                "        add_header Vary Accept always;\n"
                "        location ~ /index\\.json$ { types { } default_type %s; add_header Vary Accept always; }\n"
                "    }" % (prefix, path, "application/vnd.pypi.simple.v1+json")
            )
        server.extend(self.locations)
        http = [
            "types {\n"
            "        text/html html;\n"
            "        application/json json;\n"
            "        text/plain txt;\n"
            "        application/zstd zst;\n"
            "        application/x-bzip2 bz2;\n"
            "        application/gzip gz;\n"
            "    }",
            "default_type application/octet-stream;",
            "sendfile on;",
            "tcp_nopush on;",
            "tcp_nodelay on;",
            "keepalive_timeout 65;",
            "keepalive_requests 10000;",
            "server_tokens off;",
            "client_body_temp_path %s/body;" % temp,
            "proxy_temp_path %s/proxy;" % temp,
            "fastcgi_temp_path %s/fastcgi;" % temp,
            "uwsgi_temp_path %s/uwsgi;" % temp,
            "scgi_temp_path %s/scgi;" % temp,
            "map $http_accept $pep691_index {\n"
            "        ~application/vnd\\.pypi\\.simple\\.v1\\+json index.json;\n"
            "        default index.html;\n"
            "    }",
        ]
        if self.access_log:
            http.append("log_format airlock '$status $request_method $uri $http_range $body_bytes_sent';")
            http.append("access_log %s/logs/access.log airlock;" % d)
        else:
            http.append("access_log off;")
        if self.limit_conn:
            http.append("limit_conn_zone $binary_remote_addr zone=perip:1m;")
        http.append("server {\n    %s\n}" % "\n    ".join(server))
        return (
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid %s/nginx.pid;\n"
            "error_log %s/logs/error.log warn;\n"
            "events {\n    worker_connections 1024;\n}\n"
            "http {\n%s\n}\n" % (d, d, "\n".join(http))
        )
