#!/usr/bin/env python3
"""The README's first command, after the build: the whole airlock pipeline on the embedded example.

  1. serve the torch-like fixture indexes with nginx on loopback
  2. airlock-build keygen    (a signing key pair)
  3. airlock-build build     manifests/example.toml -> a signed bundle
  4. airlock-install install the bundle into a fresh venv, with no network (unshare -n)
  5. pip list of that venv, checked against the closure the fixture expects

While parts of airlock are still being written, it runs as far as the code goes and says which step
it reached: it exits 0 when the only failures are subcommands that say "is not implemented yet",
and non-zero for any other failure.

usage: demo.py --build-dir build [--keep] [--scale BYTES]
"""

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from airlock_testing import catalog, venv  # noqa: E402
from airlock_testing.programs import TempDir, source_dir  # noqa: E402

NOT_IMPLEMENTED = "is not implemented yet"


def say(text: str) -> None:
    print(text, flush=True)


def offline_prefix():
    """A command prefix that runs its command without network access, and how it does it."""
    unshare = shutil.which("unshare")
    if unshare:
        for args in ([unshare, "-n"], [unshare, "-rn"]):
            try:
                ok = subprocess.run(args + ["true"], capture_output=True, timeout=10).returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                ok = False
            if ok:
                return args, "in a network namespace with no interfaces (%s)" % " ".join(["unshare"] + args[1:])
    return [], "WITHOUT network isolation (unshare -n is not available here); the installer links no network code anyway"


class Step:
    def __init__(self, number: int, total: int, title: str, argv, env):
        self.number, self.total, self.title, self.argv, self.env = number, total, title, [str(a) for a in argv], env

    def run(self):
        say("\n==> [%d/%d] %s" % (self.number, self.total, self.title))
        say("    $ " + " ".join(shlex.quote(a) for a in self.argv))
        r = subprocess.run(self.argv, env=self.env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        for stream in (r.stdout, r.stderr):
            for line in stream.splitlines():
                say("    | " + line)
        return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir", required=True, type=Path, help="the CMake build directory (programs in DIR/bin)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (key, bundle, venv)")
    ap.add_argument("--scale", type=int, default=256 * 1024, help="payload bytes of the big fixture wheels")
    args = ap.parse_args()

    bin_dir = args.build_dir.resolve() / "bin"
    build_exe, install_exe = bin_dir / "airlock-build", bin_dir / "airlock-install"
    for exe in (build_exe, install_exe):
        if not exe.exists():
            say("demo: %s not found; build first (packaging/setup.sh build)" % exe)
            return 2
    manifest = source_dir() / "manifests" / "example.toml"

    say("==> [0/4] fixture indexes: torch 2.5.1 and its dependencies (real wheels), served by nginx on loopback")
    fx = catalog.torch_like(scale=args.scale)
    work = TempDir(prefix="airlock-demo-")
    tmp = work.path
    status = 1
    try:
        with fx.serve() as server:
            env = venv.clean_env(fx.env(server.url))
            say("    AIRLOCK_EXAMPLE_INDEX=%s" % env["AIRLOCK_EXAMPLE_INDEX"])
            say("    AIRLOCK_EXAMPLE_CU124_INDEX=%s" % env["AIRLOCK_EXAMPLE_CU124_INDEX"])
            say("    work directory: %s" % tmp)
            offline, how = offline_prefix()
            steps = [
                Step(1, 4, "make a signing key pair", [build_exe, "keygen", "--no-password", "--out", tmp / "demo"], env),
                Step(2, 4, "resolve, download and sign the bundle (connected side)",
                     [build_exe, "build", manifest, "-o", tmp / "example.airlock", "--key", tmp / "demo.key"], env),
                Step(3, 4, "verify and install the bundle offline, " + how,
                     offline + [install_exe, "install", tmp / "example.airlock", "--key", tmp / "demo.pub",
                                "--venv", tmp / "venv"], env),
            ]
            status = run_steps(steps, fx, tmp / "venv")
    finally:
        if args.keep:
            say("\nkept the work directory: %s" % tmp)
        else:
            work.cleanup()
    return status


def run_steps(steps, fx, venv_dir: Path) -> int:
    for i, step in enumerate(steps):
        r = step.run()
        if r.returncode == 0:
            continue
        output = r.stdout + r.stderr
        remaining = [s.title for s in steps[i + 1:]] + ["list what was installed"]
        if NOT_IMPLEMENTED in output:
            say("\ndemo: the pipeline reached step %d/%d (%s): that subcommand is not implemented yet." % (
                step.number, step.total, step.title))
            say("demo: not run yet: " + "; ".join(remaining))
            say("demo: everything that exists worked.")
            return 0
        say("\ndemo: step %d/%d (%s) FAILED with exit code %d (see its output above)." % (
            step.number, step.total, step.title, r.returncode))
        return 1

    say("\n==> [4/4] what is installed in %s" % venv_dir)
    r = venv.pip(venv_dir, "list", check=False)
    for line in (r.stdout + r.stderr).splitlines():
        say("    | " + line)
    if r.returncode != 0:
        say("demo: cannot list the venv (pip exit %d)" % r.returncode)
        return 1
    return check_closure(fx, venv_dir)


def check_closure(fx, venv_dir: Path) -> int:
    got = venv.installed(venv_dir)
    code = "import sys; print('%d.%d' % sys.version_info[:2])"
    py = subprocess.run([str(venv.venv_python(venv_dir)), "-c", code], capture_output=True, text=True,
                        env=venv.clean_env()).stdout.strip()
    target = "linux-py" + py.replace(".", "")
    expected = fx.expected.get(target)
    if expected is None:
        say("demo: installed for Python %s; no expected closure to compare with" % py)
        return 0
    wrong = {n: (v, got.get(n)) for n, v in expected.items() if got.get(n) != v}
    if wrong:
        for name, (want, have) in sorted(wrong.items()):
            say("demo: %s: expected %s, installed %s" % (name, want, have or "nothing"))
        return 1
    say("\ndemo: done: the venv holds exactly the %d packages pip on %s would install (torch %s)." % (
        len(expected), target, got.get("torch")))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
