#!/bin/sh
# tests/run.sh -- the test runner: unit tests, then cases as data.
#
#   sh tests/run.sh BUILD_DIR:PAYSETTLE [BUILD_DIR:PAYSETTLE ...]
#
# For each build (the normal one and the sanitizer one) it runs
#   - every unit-test binary BUILD_DIR/test_* (each prints "N passed, N
#     failed"; the counts are added up);
#   - every script tests/scripts/*.sh, run as `sh SCRIPT PAYSETTLE TMPDIR`
#     from the repository root: it passes when it exits 0 (multi-command
#     scenarios: the ledger's month lifecycle, tampering, crashes);
#   - every case under tests/cases/ and tests/bad/ (see tests/README.md):
#     a directory with a 'cmd' file (the paysettle arguments), an optional
#     'exit' file (the expected exit status, default 0), and the expected
#     output: 'expect' (lines that must each appear in stdout, exactly),
#     'expect-err' (lines that must each appear in stderr, as substrings),
#     'expect-out' (the whole of stdout).
# It ends with one line: "N passed, N failed".
# VALGRIND=1 runs paysettle and the unit tests under valgrind.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
passed=0
failed=0
out=$(mktemp -d "${TMPDIR:-/tmp}/paysettle-tests.XXXXXX")
trap 'rm -rf "$out"' EXIT
vg=""
if [ "${VALGRIND:-}" = 1 ]; then
  vg="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99"
fi

fail() {
  failed=$((failed + 1))
  echo "FAIL $1"
  [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -20
}

run_units() {
  for t in "$1"/test_*; do
    [ -x "$t" ] || continue
    $vg "$t" >"$out/unit.out" 2>"$out/unit.err"
    status=$?
    line=$(tail -n 1 "$out/unit.out")
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then
      fail "$t (no summary line: crashed?)" "$out/unit.err"
      continue
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" != 0 ]; then
      echo "FAIL $t"
      sed 's/^/    /' "$out/unit.err" | head -20
    elif [ "$status" != 0 ]; then   # e.g. LeakSanitizer at exit
      fail "$t (exit status $status after its summary line)" "$out/unit.err"
    fi
  done
}

# One case directory: run paysettle in it, compare.
run_case() {
  dir=$1
  bin=$2
  name=${dir#tests/}
  want_exit=0
  [ -f "$dir/exit" ] && want_exit=$(cat "$dir/exit")
  args=$(sed "s|@CASE@|$dir|g; s|@TOP@|$top|g" "$dir/cmd")
  # shellcheck disable=SC2086
  eval "$vg $bin $args" >"$out/stdout" 2>"$out/stderr"
  got_exit=$?
  if [ "$got_exit" != "$want_exit" ]; then
    echo "exit status $got_exit, want $want_exit" >"$out/why"
    cat "$out/stderr" >>"$out/why"
    fail "$name" "$out/why"
    return
  fi
  if [ -f "$dir/expect" ]; then
    : >"$out/why"
    grep -v '^#' "$dir/expect" | grep -v '^$' | while IFS= read -r line; do
      grep -Fxq -- "$line" "$out/stdout" || echo "missing: $line" >>"$out/why"
    done
    if [ -s "$out/why" ]; then fail "$name" "$out/why"; return; fi
  fi
  if [ -f "$dir/expect-err" ]; then
    : >"$out/why"
    grep -v '^#' "$dir/expect-err" | grep -v '^$' | while IFS= read -r line; do
      grep -Fq -- "$line" "$out/stderr" || echo "missing in stderr: $line" >>"$out/why"
    done
    if [ -s "$out/why" ]; then cat "$out/stderr" >>"$out/why"; fail "$name" "$out/why"; return; fi
  fi
  if [ -f "$dir/expect-out" ] && ! cmp -s "$dir/expect-out" "$out/stdout"; then
    diff "$dir/expect-out" "$out/stdout" >"$out/why"
    fail "$name" "$out/why"
    return
  fi
  passed=$((passed + 1))
}

for spec in "$@"; do
  build=${spec%%:*}
  bin=${spec#*:}
  case "$bin" in /*) ;; *) bin="$top/$bin" ;; esac
  echo "== $build"
  run_units "$build"
  for script in tests/scripts/*.sh; do
    [ -f "$script" ] || continue
    tmp=$(mktemp -d "$out/script.XXXXXX")
    if PAYSETTLE_VG="$vg" sh "$script" "$bin" "$tmp" >"$out/script.log" 2>&1; then
      passed=$((passed + 1))
    else
      fail "$script" "$out/script.log"
    fi
    rm -rf "$tmp"
  done
  for dir in tests/cases/*/ tests/bad/*/ tests/rules-bad/*/; do
    dir=${dir%/}
    [ -f "$dir/cmd" ] || continue
    run_case "$dir" "$bin"
  done
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
