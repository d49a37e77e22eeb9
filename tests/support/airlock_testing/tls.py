"""A throw-away certificate authority made with the `openssl` program, for HTTPS tests on loopback.

    ca = TestCA(tmp_dir)
    ca.pem                 # the CA certificate (what `--cert` / SSL_CERT_FILE get)
    ca.server              # (certificate.pem, key.pem) for 127.0.0.1 and localhost, signed by the CA
"""

import shutil
import subprocess
from pathlib import Path
from typing import Tuple

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


def _openssl(*args: str, cwd: Path) -> None:
    r = subprocess.run([OPENSSL, *args], cwd=str(cwd), capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("openssl %s failed:\n%s" % (" ".join(args), r.stderr))


class TestCA:
    """A CA (P-256, valid two days) and one server certificate with subjectAltName 127.0.0.1 and localhost."""

    def __init__(self, directory: Path):
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.dir = d
        key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        _openssl("req", "-x509", *key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                 "-subj", "/CN=airlock test CA",
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
        _openssl("req", *key, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1", cwd=d)
        (d / "server.ext").write_text(
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
            "basicConstraints=CA:FALSE\n"
            "keyUsage=critical,digitalSignature\n"
            "extendedKeyUsage=serverAuth\n"
        )
        _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext", cwd=d)
        self.pem: Path = d / "ca.pem"
        self.server: Tuple[Path, Path] = (d / "server.pem", d / "server.key")
