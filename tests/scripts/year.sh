#!/bin/sh
# year.sh -- a whole tax year on the ledger: run and close 2026-01 .. 2026-12
# on the sample district (inputs/, rules/shanghai.yaml), then check that every
# month's income tax was computed from the ledger's year-to-date figures.
#
#   sh tests/scripts/year.sh PAYSETTLE TMPDIR     (from the repository root)
#
# What must hold (shared/spec/scheme-shanghai.md section 4, income tax):
#   months_this_year = months of the year with a result for the employee
#   cum_income       = sum of the employee's gross over those months
#                      (the annual bonus is taxed apart and is not in it)
#   cum_withheld     = sum of iit over the employee's earlier months
#   cum_taxable      = max(0, cum_income - 5000 x months - cum_special - cum_sad)
#   cum_tax          = the annual bracket table applied to cum_taxable
#   iit              = max(0, R2(cum_tax - cum_withheld))
#   arrears_in       = arrears_out of the employee's previous closed month
# checked (1) through `show` for four chosen employees, and (2) for every
# employee of every month from the ledger file itself with sqlite3 and awk.
# All sums are done in exact integers (fen, or 1/10000 yuan for cum_tax).
# Then: `reproduce` passes for every month, `verify` passes, `runs` lists the
# twelve months, each closed once.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
DB=$TMP/ledger.db
failures=0

fail() {   # fail WHAT EXPECTED GOT
  echo "FAIL: $1: expected [$2], got [$3]" >&2
  failures=$((failures + 1))
}

# ps ARGS...: paysettle on this script's ledger and the sample files.
psl() {
  # shellcheck disable=SC2086
  $VG "$PS" "$@" --db "$DB" --inputs inputs --rules rules/shanghai.yaml </dev/null
}

MONTHS="01 02 03 04 05 06 07 08 09 10 11 12"

# ---- the year: run and close each month in order ------------------------
for m in $MONTHS; do
  if ! psl run "2026-$m" >"$TMP/run.out" 2>"$TMP/run.err"; then
    cat "$TMP/run.err" >&2
    fail "run 2026-$m" "exit 0" "exit non-zero"
    exit 1
  fi
  if ! psl close "2026-$m" >"$TMP/close.out" 2>"$TMP/close.err"; then
    cat "$TMP/close.err" >&2
    fail "close 2026-$m" "exit 0" "exit non-zero"
    exit 1
  fi
done

# ---- runs: twelve months, each closed, no draft left ----------------------
psl runs >"$TMP/runs.out"
# the lines after the header: run month kind status ...
got=$(awk 'NR > 1 && $4 == "closed" && $3 == "regular" {print $2}' \
      "$TMP/runs.out" | tr '\n' ' ')
want=""
for m in $MONTHS; do want="${want}2026-$m "; done
[ "$got" = "$want" ] || fail "runs: the closed regular months" "$want" "$got"
n=$(awk 'NR > 1' "$TMP/runs.out" | wc -l)
[ "$n" -eq 12 ] || fail "runs: number of runs" 12 "$n"
n=$(awk 'NR > 1 && $4 != "closed"' "$TMP/runs.out" | wc -l)
[ "$n" -eq 0 ] || fail "runs: runs that are not closed" 0 "$n"

# ---- (1) four employees through `show` ------------------------------------
# E0001: all twelve months, an annual bonus in January (not in cum_income);
# E0002: all twelve months, an annual bonus in February;
# E1081: joins in March (10 months); E1086: joins in April (9 months).
# The months an employee appears in are counted from the roster files.

# to_fen VALUE: an exact decimal with at most two places, in integer fen.
to_fen() {
  echo "$1" | awk '
    !/^-?[0-9]+(\.[0-9]+)?$/ { print "BAD"; exit }
    { s = $0; neg = sub(/^-/, "", s); i = index(s, ".")
      ip = i ? substr(s, 1, i - 1) : s; fp = i ? substr(s, i + 1) : ""
      if (length(fp) > 2) { print "BAD"; exit }
      while (length(fp) < 2) fp = fp "0"
      v = ip * 100 + fp; if (neg) v = -v
      printf "%.0f\n", v }'
}

# item FILE NAME: the value of item NAME in a `show MONTH EMPLOYEE` output.
item() {
  awk -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print "MISSING" }' "$1"
}

for e in E0001 E0002 E1081 E1086; do
  count=0
  sum_gross=0
  sum_iit_before=0
  for m in $MONTHS; do
    on_roster=no
    grep -q "^$e," "inputs/2026-$m/roster.csv" && on_roster=yes
    if psl show "2026-$m" "$e" >"$TMP/show.out" 2>"$TMP/show.err"; then
      shown=yes
    else
      shown=no
    fi
    [ "$shown" = "$on_roster" ] || fail "show 2026-$m $e finds the employee" \
      "$on_roster (roster)" "$shown"
    [ "$shown" = yes ] || continue
    count=$((count + 1))
    gross=$(to_fen "$(item "$TMP/show.out" gross)")
    iit=$(to_fen "$(item "$TMP/show.out" iit)")
    months=$(item "$TMP/show.out" months_this_year)
    cum_income=$(to_fen "$(item "$TMP/show.out" cum_income)")
    cum_withheld=$(to_fen "$(item "$TMP/show.out" cum_withheld)")
    case "$gross $iit $cum_income $cum_withheld" in
      *BAD*)
        fail "$e 2026-$m amounts" "decimals with at most two places" \
          "gross $gross iit $iit cum_income $cum_income cum_withheld $cum_withheld"
        continue ;;
    esac
    sum_gross=$((sum_gross + gross))
    # every month (not only December): the cumulative figures so far
    [ "$months" = "$count" ] || fail "$e 2026-$m months_this_year" "$count" "$months"
    [ "$cum_income" = "$sum_gross" ] ||
      fail "$e 2026-$m cum_income (fen) = sum of gross so far" "$sum_gross" "$cum_income"
    [ "$cum_withheld" = "$sum_iit_before" ] ||
      fail "$e 2026-$m cum_withheld (fen) = sum of earlier iit" "$sum_iit_before" "$cum_withheld"
    if [ "$m" = 12 ]; then
      roster_months=$(grep -l "^$e," inputs/2026-*/roster.csv | wc -l)
      [ "$months" = "$roster_months" ] ||
        fail "$e December months_this_year = months on the roster" "$roster_months" "$months"
      [ "$cum_income" = "$sum_gross" ] ||
        fail "$e December cum_income (fen) = sum of 12 months' gross" "$sum_gross" "$cum_income"
    fi
    sum_iit_before=$((sum_iit_before + iit))
  done
  [ "$count" -gt 0 ] || fail "$e has results" "some months" "none"
done

# ---- (2) every employee, every month, from the ledger file ---------------
# The storage (engine/ledger.c): run.items lists "LEVEL NAME" lines in
# packing order; result.vals holds a level-0 row's items as tab-separated
# exact texts in that order.
n=$(sqlite3 "$DB" "SELECT count(DISTINCT items) FROM run")
[ "$n" = 1 ] || fail "every month has the same item list" 1 "$n"
sqlite3 "$DB" "SELECT items FROM run WHERE month = '2026-01'" |
  awk '$1 == "0" { print $2 }' >"$TMP/names"
tab=$(printf '\t')
sqlite3 -separator "$tab" "$DB" "SELECT r.month, s.entity, s.vals FROM result s
  JOIN run r USING (run_id) WHERE s.level = 0 AND r.status = 'closed'
  ORDER BY r.month, s.entity" >"$TMP/rows"
rows=$(wc -l <"$TMP/rows")
want=$(for m in $MONTHS; do tail -n +2 "inputs/2026-$m/roster.csv"; done | wc -l)
[ "$rows" = "$want" ] || fail "employee results over the year" "$want (roster rows)" "$rows"

awk -F '\t' -v names="$TMP/names" '
  # dec(s): an exact decimal (at most 4 places) in units of 1/10000 yuan
  function dec(s,   neg, i, ip, fp, v) {
    if (s !~ /^-?[0-9]+(\.[0-9]+)?$/) { bad = bad " " s; return 0 }
    neg = sub(/^-/, "", s); i = index(s, ".")
    ip = i ? substr(s, 1, i - 1) : s; fp = i ? substr(s, i + 1) : ""
    if (length(fp) > 4) { bad = bad " " s; return 0 }
    while (length(fp) < 4) fp = fp "0"
    v = ip * 10000 + fp
    return neg ? -v : v
  }
  function f(x) { return sprintf("%.4f", x / 10000) }
  function v(name) { return dec($(col[name] + 2)) }
  # the annual table of section 4 (thresholds and quick deductions in yuan)
  function bracket(t) {
    if (t <= 36000 * 10000)  return t * 3 / 100
    if (t <= 144000 * 10000) return t * 10 / 100 - 2520 * 10000
    if (t <= 300000 * 10000) return t * 20 / 100 - 16920 * 10000
    if (t <= 420000 * 10000) return t * 25 / 100 - 31920 * 10000
    if (t <= 660000 * 10000) return t * 30 / 100 - 52920 * 10000
    if (t <= 960000 * 10000) return t * 35 / 100 - 85920 * 10000
    return t * 45 / 100 - 181920 * 10000
  }
  # R2, half away from zero, in 1/10000 units
  function r2(x) { return x >= 0 ? int((x + 50) / 100) * 100 : -int((-x + 50) / 100) * 100 }
  function check(what, want, got) {
    if (want != got) {
      if (errors++ < 20)
        printf "FAIL: %s %s %s: expected [%s], got [%s]\n", $1, $2, what, f(want), f(got)
    }
  }
  BEGIN {
    while ((getline line < names) > 0) col[line] = ++n
    split("gross special sad iit months_this_year cum_income cum_special cum_sad cum_taxable cum_tax cum_withheld arrears_in arrears_out annual_bonus", need, " ")
    for (k in need) if (!(need[k] in col)) { print "FAIL: item " need[k] " not stored"; errors++ }
  }
  {
    e = $2; mi = substr($1, 6, 2) + 0
    cnt[e]++
    g[e] += v("gross"); sp[e] += v("special"); sd[e] += v("sad")
    check("months_this_year", cnt[e] * 10000, v("months_this_year"))
    check("cum_income", g[e], v("cum_income"))
    check("cum_special", sp[e], v("cum_special"))
    check("cum_sad", sd[e], v("cum_sad"))
    check("cum_withheld", w[e] + 0, v("cum_withheld"))
    t = g[e] - 5000 * 10000 * cnt[e] - sp[e] - sd[e]; if (t < 0) t = 0
    check("cum_taxable", t, v("cum_taxable"))
    check("cum_tax", bracket(t), v("cum_tax"))
    i = r2(bracket(t) - w[e]); if (i < 0) i = 0
    check("iit", i, v("iit"))
    ain = (last[e] == mi - 1) ? aout[e] : 0
    check("arrears_in", ain + 0, v("arrears_in"))
    if (v("annual_bonus") > 0) { if (bonus[e]++) check("a second annual bonus", 0, v("annual_bonus")) }
    w[e] += v("iit"); last[e] = mi; aout[e] = v("arrears_out")
    checked++
  }
  END {
    if (bad != "") { print "FAIL: values that are not exact decimals:" substr(bad, 1, 200); errors++ }
    if (errors) { print errors " figures wrong"; exit 1 }
    printf "%d employee-months: every cumulative figure and iit agree with the ledger history\n", checked
  }' "$TMP/rows" >"$TMP/all.out" || true
cat "$TMP/all.out"
grep -q "agree with the ledger history" "$TMP/all.out" ||
  fail "every employee-month's tax figures from the ledger history" "no difference" "$(grep -c FAIL "$TMP/all.out") listed above"

# ---- reproduce every month, verify the whole ledger ------------------------
for m in $MONTHS; do
  if psl reproduce "2026-$m" >"$TMP/repro.out" 2>"$TMP/repro.err"; then
    grep -q "^2026-$m: reproduced" "$TMP/repro.out" ||
      fail "reproduce 2026-$m says so" "2026-$m: reproduced ..." "$(tail -n 1 "$TMP/repro.out")"
  else
    head -n 5 "$TMP/repro.out" "$TMP/repro.err" >&2
    fail "reproduce 2026-$m" "exit 0" "exit non-zero"
  fi
done
if psl verify >"$TMP/verify.out" 2>"$TMP/verify.err"; then
  grep -q "ok: 12 closed months" "$TMP/verify.out" ||
    fail "verify output" "ok: 12 closed months" "$(cat "$TMP/verify.out")"
else
  cat "$TMP/verify.err" >&2
  fail "verify" "exit 0" "exit non-zero"
fi

if [ "$failures" -ne 0 ]; then
  echo "year.sh: $failures failures" >&2
  exit 1
fi
echo "year.sh: 12 months run, closed, reproduced and verified"
