"""Static package index trees: PEP 503 HTML, PEP 691 JSON (+ PEP 700 fields) and PEP 658 metadata.

Layout written under `root` for the default (PyPI-like) style, base_url_path="/simple":

    simple/index.html, simple/index.json                      project lists
    simple/<normalized>/index.html, .../index.json             project pages
    packages/<normalized>/<filename>                           the files (hard-linked or copied)
    packages/<normalized>/<filename>.metadata                  PEP 658 core metadata of each wheel

nginx (see nginx.py) serves index.json to `Accept: application/vnd.pypi.simple.v1+json` and
index.html otherwise. Hrefs are relative to the page (`../../packages/...#sha256=...`).

pytorch_style=True mimics download.pytorch.org/whl/cu124: base_url_path="/whl/cu124" by default,
files sit in the base directory itself, hrefs go up and back down (`../../cu124/torch-2.5.1%2Bcu124-...`),
`+` is percent-encoded, and there is no JSON and there are no .metadata files.
"""

import html
import json as jsonlib
import os
import shutil
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Union
from urllib.parse import quote

from .wheels import normalize, sha256_file, wheel_metadata

PEP691_JSON = "application/vnd.pypi.simple.v1+json"
API_VERSION = "1.1"

PathLike = Union[str, Path]


def _place(src: Path, dest: Path) -> None:
    if dest.exists():
        if os.path.samefile(src, dest):
            return
        dest.unlink()
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _requires_python(path: Path) -> Optional[str]:
    if not path.name.endswith(".whl"):
        return None
    for line in wheel_metadata(path).decode("utf-8").splitlines():
        if not line:
            break
        if line.lower().startswith("requires-python:"):
            return line.split(":", 1)[1].strip()
    return None


def _version_of(filename: str) -> str:
    if filename.endswith(".whl"):
        return filename.split("-")[1]
    stem = filename[: -len(".tar.gz")] if filename.endswith(".tar.gz") else filename.rsplit(".", 1)[0]
    return stem.rsplit("-", 1)[1]


def build_index(
    root: PathLike,
    files_by_project: Mapping[str, Iterable[PathLike]],
    *,
    base_url_path: Optional[str] = None,
    pytorch_style: bool = False,
    json: bool = True,
    metadata: bool = True,
    yanked: Optional[Mapping[str, str]] = None,
) -> Path:
    """Write an index of `files_by_project` (project name -> wheel/sdist paths) under `root`.

    `yanked` maps a filename to its reason ("" still marks it yanked). Returns the directory that
    holds the project pages (`root/simple` by default).
    """
    root = Path(root)
    yanked = dict(yanked or {})
    if base_url_path is None:
        base_url_path = "/whl/cu124" if pytorch_style else "/simple"
    base_rel = base_url_path.strip("/")
    pages = root / base_rel
    if pytorch_style:
        json = False
        metadata = False

    projects: Dict[str, List[Path]] = {}
    display: Dict[str, str] = {}
    for project, files in files_by_project.items():
        key = normalize(project)
        display.setdefault(key, project)
        placed = projects.setdefault(key, [])
        for f in files:
            src = Path(f)
            dest_dir = pages if pytorch_style else root / "packages" / key
            dest = dest_dir / src.name
            _place(src, dest)
            if metadata and dest.name.endswith(".whl"):
                meta = dest.with_name(dest.name + ".metadata")
                meta.write_bytes(wheel_metadata(dest))
            placed.append(dest)

    names = sorted(projects)
    root_links = "\n".join('    <a href="%s/">%s</a><br/>' % (n, n) for n in names)
    _write(pages / "index.html", _html_page("Simple index", root_links))
    if json:
        _write(
            pages / "index.json",
            jsonlib.dumps(
                {"meta": {"api-version": API_VERSION}, "projects": [{"name": display[n]} for n in names]},
                indent=1,
            ),
        )

    for key in names:
        entries = []
        for path in sorted(projects[key], key=lambda p: p.name):
            digest = sha256_file(path)
            entries.append(
                {
                    "path": path,
                    "filename": path.name,
                    "sha256": digest,
                    "size": path.stat().st_size,
                    "requires_python": _requires_python(path),
                    "metadata_sha256": sha256_file(path.with_name(path.name + ".metadata"))
                    if metadata and path.name.endswith(".whl")
                    else None,
                    "yanked": yanked.get(path.name),
                }
            )
        page_dir = pages / key
        links = []
        for e in entries:
            href = os.path.relpath(e["path"], page_dir)
            if pytorch_style:
                # download.pytorch.org: up to the server root, then back down, `+` as %2B.
                href = "../" * (len(Path(base_rel).parts) + 1) + quote(e["path"].relative_to(root).as_posix())
                href = href.replace("+", "%2B")
            else:
                href = quote(Path(href).as_posix())
            attrs = ['href="%s#sha256=%s"' % (href, e["sha256"])]
            if e["requires_python"]:
                attrs.append('data-requires-python="%s"' % html.escape(e["requires_python"], quote=True))
            if e["metadata_sha256"]:
                attrs.append('data-dist-info-metadata="sha256=%s"' % e["metadata_sha256"])
                attrs.append('data-core-metadata="sha256=%s"' % e["metadata_sha256"])
            if e["yanked"] is not None:
                attrs.append('data-yanked="%s"' % html.escape(e["yanked"], quote=True))
            links.append("    <a %s>%s</a><br/>" % (" ".join(attrs), html.escape(e["filename"])))
        _write(page_dir / "index.html", _html_page("Links for %s" % key, "\n".join(links)))
        if json:
            versions = sorted({_version_of(e["filename"]) for e in entries}, key=_version_key)
            files = []
            for e in entries:
                meta = {"sha256": e["metadata_sha256"]} if e["metadata_sha256"] else False
                files.append(
                    {
                        "filename": e["filename"],
                        "url": quote(Path(os.path.relpath(e["path"], page_dir)).as_posix()),
                        "hashes": {"sha256": e["sha256"]},
                        "requires-python": e["requires_python"],
                        "size": e["size"],
                        "yanked": e["yanked"] if e["yanked"] is not None else False,
                        "core-metadata": meta,
                        "dist-info-metadata": meta,
                    }
                )
            doc = {"meta": {"api-version": API_VERSION}, "name": key, "versions": versions, "files": files}
            _write(page_dir / "index.json", jsonlib.dumps(doc, indent=1))
    return pages


def _version_key(v: str):
    # Good enough to list PEP 700 `versions` in a stable, mostly-sorted order (order is not normative).
    out = []
    for part in v.replace("+", ".").split("."):
        out.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return out


def _html_page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html>\n  <head>\n"
        '    <meta name="pypi:repository-version" content="%s">\n'
        "    <title>%s</title>\n  </head>\n  <body>\n    <h1>%s</h1>\n%s\n  </body>\n</html>\n"
    ) % (API_VERSION, html.escape(title), html.escape(title), body)


def project_files(files: Sequence[PathLike]) -> Dict[str, List[Path]]:
    """Group wheel/sdist paths by normalised project name (taken from the filename)."""
    out: Dict[str, List[Path]] = {}
    for f in files:
        p = Path(f)
        if p.name.endswith(".whl"):
            name = p.name.split("-")[0]
        else:
            name = p.name[: -len(".tar.gz")].rsplit("-", 1)[0]
        out.setdefault(normalize(name), []).append(p)
    return out
