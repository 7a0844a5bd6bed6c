#!/bin/sh
# make.sh -- the one entry point on a fresh Debian 12 machine.
#
# Installs the Debian packages paysettle needs when any is missing (as root,
# with apt-get), then hands every argument to make:
#   ./make.sh demo    build, then compute the sample month
#   ./make.sh test    build, then run the whole test suite
set -eu
cd "$(dirname "$0")"
need=""
command -v make >/dev/null 2>&1 || need="$need make"
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
for pc in gmp:libgmp-dev yaml-0.1:libyaml-dev sqlite3:libsqlite3-dev \
          xlsxwriter:libxlsxwriter-dev libcrypto:libssl-dev; do
  if ! pkg-config --exists "${pc%%:*}" 2>/dev/null; then
    need="$need ${pc#*:}"
  fi
done
[ -f /usr/include/csv.h ] || need="$need libcsv-dev"
command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
# hledger: only the tests use it (tests/scripts/journal.sh checks the exported journal)
command -v hledger >/dev/null 2>&1 || need="$need hledger"
# What only `./make.sh test` needs, and is big (LibreOffice): the tests of the
# output files read the workbooks back with openpyxl, the layout with PyYAML
# (Debian's /usr/bin/python3), unzip their XML, and recalculate every formula
# with LibreOffice (tests/scripts/outputs*.sh).
if [ "${1:-}" = test ]; then
  /usr/bin/python3 -c 'import openpyxl' 2>/dev/null || need="$need python3-openpyxl"
  /usr/bin/python3 -c 'import yaml' 2>/dev/null || need="$need python3-yaml"
  command -v unzip >/dev/null 2>&1 || need="$need unzip"
  command -v soffice >/dev/null 2>&1 || need="$need libreoffice-calc-nogui"
fi
if [ -n "$need" ]; then
  echo "make.sh: installing Debian packages:$need" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $need >&2
fi
exec make "$@"
