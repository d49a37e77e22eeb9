"""Writes the reference tag lists that core/target/target_test.cpp compares against.

Each file `<python>-<platform>.txt` holds, one per line, the tags `packaging.tags.sys_tags()`
yields for CPython <python> on a machine whose platform is <platform> (glibc/musl version and
macOS version taken from the tag). Uses the packaging vendored in pip; run with a Python whose pip
vendors packaging >= 24 (e.g. `$(pyenv prefix 3.13.0)/bin/python3 -I generate_supported_tags.py`).
"""

import pathlib
import re
import sys

from pip._vendor.packaging import _manylinux, _musllinux, tags

TARGETS = [
    ("3.12", "manylinux_2_28_x86_64"),
    ("3.11", "manylinux_2_28_x86_64"),
    ("3.12", "manylinux2014_aarch64"),
    ("3.13", "manylinux_2_34_aarch64"),
    ("3.7", "manylinux2014_x86_64"),
    ("3.12", "musllinux_1_2_x86_64"),
    ("3.12", "linux_x86_64"),
    ("3.12", "win_amd64"),
    ("3.10", "win32"),
    ("3.12", "win_arm64"),
    ("3.12", "macosx_11_0_arm64"),
    ("3.12", "macosx_14_0_x86_64"),
    ("3.9", "macosx_10_15_x86_64"),
]

LEGACY = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


def platforms(platform):
    m = re.fullmatch(r"(manylinux1|manylinux2010|manylinux2014|manylinux_(\d+)_(\d+))_(.+)", platform)
    if m:
        glibc = LEGACY.get(m.group(1)) or (int(m.group(2)), int(m.group(3)))
        _manylinux._get_glibc_version = lambda: glibc
        _manylinux._have_compatible_abi = lambda executable, archs: True
        archs = [m.group(4)]
        return list(_manylinux.platform_tags(archs)) + [f"linux_{a}" for a in archs]
    m = re.fullmatch(r"musllinux_(\d+)_(\d+)_(.+)", platform)
    if m:
        musl = _musllinux._MuslVersion(int(m.group(1)), int(m.group(2)))
        _musllinux._get_musl_version = lambda executable: musl
        return list(_musllinux.platform_tags([m.group(3)])) + [f"linux_{m.group(3)}"]
    m = re.fullmatch(r"macosx_(\d+)_(\d+)_(.+)", platform)
    if m:
        return list(tags.mac_platforms((int(m.group(1)), int(m.group(2))), m.group(3)))
    return [platform]


def main():
    out_dir = pathlib.Path(__file__).parent
    for python, platform in TARGETS:
        version = tuple(int(p) for p in python.split("."))
        nodot = f"{version[0]}{version[1]}"
        abi = f"cp{nodot}m" if version < (3, 8) else f"cp{nodot}"
        plats = platforms(platform)
        result = list(tags.cpython_tags(version, [abi], plats))
        result += list(tags.compatible_tags(version, f"cp{nodot}", plats))
        (out_dir / f"{python}-{platform}.txt").write_text("".join(f"{t}\n" for t in result))
        print(f"{python}-{platform}: {len(result)} tags", file=sys.stderr)


if __name__ == "__main__":
    main()
