"""Serves the index client's integration fixture with real nginx until stdin closes.

    python3 serve_index_fixture.py WORKDIR

Used by builder/index/index_client_test.cpp (GoogleTest), which starts this script with a pipe
on stdin, waits for WORKDIR/ready.json and closes the pipe when done, which stops nginx (also
when the test process dies). Layout under WORKDIR/root, built with airlock_testing:

    /simple/        PyPI-like: PEP 691 JSON + PEP 503 HTML, PEP 658 .metadata, a yanked file
    /nometa/        the same files, HTML only, no .metadata: METADATA comes from range reads
    /whl/cu124/     download.pytorch.org-like: `%2B` links up to the root and back down
    /flaky/         always 503 (retry counting)

A second nginx serves the same tree with Range support off (whole-wheel fallback).
ready.json: {"url", "noranges_url", "access_log", "noranges_access_log"}.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from airlock_testing.index import build_index  # noqa: E402
from airlock_testing.nginx import Nginx  # noqa: E402
from airlock_testing.wheels import build_wheel  # noqa: E402


def main() -> int:
    work = Path(sys.argv[1])
    root = work / "root"
    dists = work / "dists"
    demo1 = build_wheel(dists, "demo", "1.0", requires_dist=["six>=1.16"], requires_python=">=3.8")
    demo2 = build_wheel(dists, "demo", "2.0", requires_dist=['bigpkg; python_version >= "3.12"'],
                        requires_python=">=3.10")
    demo3 = build_wheel(dists, "demo", "3.0")
    big = build_wheel(dists, "Big_Pkg", "1.2", requires_dist=["demo==1.0"], payload_size=600_000)
    torch = build_wheel(dists, "torch", "2.5.1+cu124", tags=("cp312", "cp312", "linux_x86_64"),
                        requires_dist=['nvidia-cudnn-cu12==9.1.0.70; platform_system == "Linux"'])
    build_index(root, {"demo": [demo1, demo2, demo3], "Big_Pkg": [big]},
                yanked={demo3.name: "broken <build> & more"})
    build_index(root, {"Big_Pkg": [big]}, base_url_path="/nometa", json=False, metadata=False)
    build_index(root, {"torch": [torch]}, pytorch_style=True)

    flaky = "location /flaky/ { return 503; }"
    with Nginx(root, access_log=True, locations=[flaky]) as server, \
            Nginx(root, access_log=True, ranges=False) as noranges:
        ready = {
            "url": server.url,
            "noranges_url": noranges.url,
            "access_log": str(server.dir / "logs" / "access.log"),
            "noranges_access_log": str(noranges.dir / "logs" / "access.log"),
        }
        tmp = work / "ready.json.tmp"
        tmp.write_text(json.dumps(ready))
        os.replace(tmp, work / "ready.json")
        sys.stdin.read()  # until the test closes the pipe (or dies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
