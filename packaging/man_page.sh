#!/usr/bin/env bash
# Writes OUT (a gzipped man page, section 1) for PROGRAM from its --help text and that of each
# subcommand, with help2man (Debian's help2man package).
#   packaging/man_page.sh build/bin/airlock-install build/share/man/man1/airlock-install.1.gz
set -euo pipefail
prog=$1
out=$2
. "$(dirname "${BASH_SOURCE[0]}")/cli_words.sh"
name=$(basename "$out" .1.gz)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# help2man runs `PROGRAM --help`; the page must carry the program's published name.
ln -s "$(realpath "$prog")" "$work/$name"
{
  echo "[SUBCOMMANDS]"
  for sub in $(subcommands "$prog"); do
    echo ".SS $sub"
    echo ".nf"
    "$prog" "$sub" --help | sed 's/\\/\\\\/g; s/^\./\\\&./'
    echo ".fi"
  done
  echo "[SEE ALSO]"
  echo "airlock-build(1), airlock-install(1); the README of airlock."
} >"$work/include"
mkdir -p "$(dirname "$out")"
LC_ALL=C.UTF-8 help2man --locale=C.UTF-8 --no-info --section=1 --include="$work/include" \
  --name="$("$prog" --help | head -1 | sed 's/^[^:]*: //; s/\.$//')" \
  --output="$work/$name.1" "$work/$name"
gzip -9n <"$work/$name.1" >"$out.tmp"
mv "$out.tmp" "$out"
