# Sourced by man_page.sh and completions.sh: reads a CLI11 program's --help text.
#   subcommands PROGRAM        the subcommand names, one a line
#   options PROGRAM [SUB]      the option spellings (-o, --output, …), one a line

subcommands() {
  "$1" --help | awk '/^Subcommands:/ {on = 1; next} /^[^ ]/ {on = 0} on && /^  [a-z]/ {print $1}'
}

options() {
  local prog=$1
  shift
  "$prog" "$@" --help | awk '
    /^Options:/ {on = 1; next}
    /^[^ ]/ {on = 0}
    on && /^  -/ {
      split($1, names, ",")
      for (i in names) if (names[i] ~ /^-/) print names[i]
    }'
}
