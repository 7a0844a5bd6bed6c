#!/bin/sh
# journal.sh -- the exported journal of every sample month is a valid
# plain-text accounting file whose account totals are the ledger's
# (scheme-shanghai.md section 8: per agency, a payroll transaction and a
# settlement transaction, each balanced to the fen).
#
#   sh tests/scripts/journal.sh PAYSETTLE TMPDIR
#
# Run and close 2026-01 .. 2026-12 of the sample district; for each month:
#  - `export journal` (hledger format) passes `hledger check --strict
#    ordereddates` (every transaction balances, every account and the
#    commodity declared, dates in order) -- skipped, with a message, when
#    hledger is not installed (./make.sh installs it);
#  - hledger's balance of each account = the sum of the ledger's entry lines
#    of that account (sqlite3, integer fen), and the file has one transaction
#    per agency and journal transaction of the ledger;
#  - the totals agree with the month's results (show): wages = sum over
#    agencies of gross_total + annual_bonus_total, management fee = -sum(fee),
#    VAT output = -sum(vat), pass-through = -sum(pass_through), receivable
#    from the district = sum(settlement_total);
#  - the beancount export is non-empty, every transaction's postings sum to
#    zero, every account name is a valid beancount name that was opened, and
#    its account totals equal the ledger's too (bean-check runs when present).
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

psl() {
  # shellcheck disable=SC2086
  $VG "$PS" "$@" --db "$DB" --inputs inputs --rules rules/shanghai.yaml </dev/null
}

# amounts "[-]Y[.FF] CNY" or "0" -> integer fen (printed with %.0f: mawk's
# %d stops at 2^31)
FEN='function fen(s,   neg, i, ip, fp, v) {
    sub(/ *CNY$/, "", s); gsub(/ /, "", s)
    if (s !~ /^-?[0-9]+(\.[0-9][0-9]?)?$/) { print "BAD AMOUNT " s > "/dev/stderr"; return "BAD" }
    neg = sub(/^-/, "", s); i = index(s, ".")
    ip = i ? substr(s, 1, i - 1) : s; fp = i ? substr(s, i + 1) : ""
    while (length(fp) < 2) fp = fp "0"
    v = ip * 100 + fp
    return sprintf("%.0f", neg ? -v : v)
  }'

have_hledger=yes
command -v hledger >/dev/null 2>&1 || have_hledger=no
[ "$have_hledger" = yes ] ||
  echo "journal.sh: hledger is not installed (./make.sh installs it): skipping hledger check; the totals are compared from the file itself" >&2

for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
  mon=2026-$m
  if ! psl run "$mon" >"$TMP/out" 2>"$TMP/err" || ! psl close "$mon" >"$TMP/out" 2>"$TMP/err"; then
    cat "$TMP/err" >&2
    fail "run and close $mon" "exit 0" "exit non-zero"
    exit 1
  fi
  J=$TMP/$mon.journal
  B=$TMP/$mon.beancount
  psl export journal "$mon" --out "$J" >"$TMP/out" 2>"$TMP/err" ||
    fail "export journal $mon" "exit 0" "exit non-zero: $(cat "$TMP/err")"
  psl export journal "$mon" --format beancount --out "$B" >"$TMP/out" 2>"$TMP/err" ||
    fail "export journal $mon --format beancount" "exit 0" "exit non-zero: $(cat "$TMP/err")"

  # ---- the ledger's own totals, per account, in fen --------------------
  sqlite3 -separator '|' "$DB" "SELECT account, sum(amount_fen) FROM entry
    JOIN run USING (run_id) WHERE month = '$mon' AND status = 'closed'
    GROUP BY account" | LC_ALL=C sort >"$TMP/ledger.tot"
  [ -s "$TMP/ledger.tot" ] || fail "$mon entry lines in the ledger" "some" "none"
  ntxn=$(sqlite3 "$DB" "SELECT count(*) FROM (SELECT DISTINCT agency, txn FROM entry
    JOIN run USING (run_id) WHERE month = '$mon' AND status = 'closed')")

  # ---- the hledger file ------------------------------------------------
  if [ "$have_hledger" = yes ]; then
    hledger -f "$J" check --strict ordereddates >"$TMP/hl.out" 2>&1 ||
      fail "hledger check --strict ordereddates of $mon" "exit 0" "$(head -n 12 "$TMP/hl.out")"
    # "account","balance" rows; -E keeps the accounts whose total is zero
    hledger -f "$J" bal --flat -N -E -O csv >"$TMP/hl.csv" 2>"$TMP/hl.err" ||
      fail "hledger bal of $mon" "exit 0" "$(cat "$TMP/hl.err")"
    awk -F '","' "$FEN"'
      NR > 1 { a = $1; b = $2; sub(/^"/, "", a); sub(/"$/, "", b); print a "|" fen(b) }' \
      "$TMP/hl.csv" | LC_ALL=C sort >"$TMP/journal.tot"
    n=$(hledger -f "$J" print 2>/dev/null | grep -c "^$mon-" || true)
    [ "$n" = "$ntxn" ] || fail "$mon transactions in the hledger file" "$ntxn (ledger)" "$n"
  else
    # without hledger: the file's postings summed per account by awk
    awk "$FEN"'
      /^    / { line = $0; sub(/^    /, "", line)
               i = match(line, /  +-?[0-9][0-9.]* CNY$/)
               acc = substr(line, 1, i - 1); amt = substr(line, i)
               t[acc] += fen(amt) }
      END { for (a in t) printf "%s|%.0f\n", a, t[a] }' "$J" | LC_ALL=C sort >"$TMP/journal.tot"
    n=$(grep -c "^$mon-" "$J" || true)
    [ "$n" = "$ntxn" ] || fail "$mon transactions in the hledger file" "$ntxn (ledger)" "$n"
  fi
  if ! cmp -s "$TMP/ledger.tot" "$TMP/journal.tot"; then
    fail "$mon account totals: journal vs ledger" "equal" "$(diff "$TMP/ledger.tot" "$TMP/journal.tot" | head -n 10)"
  fi

  # ---- the totals agree with the month's results ------------------------
  psl show "$mon" >"$TMP/show.out" 2>"$TMP/err" ||
    fail "show $mon" "exit 0" "exit non-zero: $(cat "$TMP/err")"
  # agency lines: "A01 gross_total 320819.56"
  awk "$FEN"'
    NF == 3 && $1 ~ /^A[0-9]+$/ && $2 ~ /^(settlement_total|gross_total|annual_bonus_total|fee|pass_through|vat)$/ {
      s[$2] += fen($3) }
    END {
      printf "assets:receivable:district|%.0f\n", s["settlement_total"]
      printf "expenses:labour:wages|%.0f\n", s["gross_total"] + s["annual_bonus_total"]
      printf "income:management fee|%.0f\n", -s["fee"]
      printf "income:pass-through|%.0f\n", -s["pass_through"]
      printf "liabilities:payable:vat output|%.0f\n", -s["vat"]
    }' "$TMP/show.out" | LC_ALL=C sort >"$TMP/results.tot"
  LC_ALL=C join -t '|' "$TMP/results.tot" "$TMP/ledger.tot" >"$TMP/joined"
  n=$(wc -l <"$TMP/joined")
  [ "$n" = 5 ] || fail "$mon accounts found for the result totals" 5 "$n"
  awk -F '|' -v mon="$mon" '$2 != $3 {
      printf "FAIL: %s %s: expected [%s fen, from the results], got [%s fen in the journal]\n", mon, $1, $2, $3
      bad++ }
    END { exit bad ? 1 : 0 }' "$TMP/joined" >&2 ||
    failures=$((failures + 1))

  # ---- the beancount file ------------------------------------------------
  [ -s "$B" ] || fail "$mon beancount export" "non-empty" "empty"
  if command -v bean-check >/dev/null 2>&1; then
    bean-check "$B" >"$TMP/bc.out" 2>&1 || fail "bean-check of $mon" "exit 0" "$(head -n 10 "$TMP/bc.out")"
  fi
  awk "$FEN"'
    function close_txn() {
      if (open && sum != 0) { printf "FAIL: beancount transaction at line %d sums to %.0f fen\n", start, sum; bad++ }
      open = 0; sum = 0
    }
    /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] open / { opened[$3] = 1; next }
    /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] \* / { close_txn(); open = 1; start = NR; txns++; next }
    /^    / {
      if (!open) { printf "FAIL: posting outside a transaction at line %d\n", NR; bad++ }
      acc = $1; amt = $2
      if ($3 != "CNY" || NF != 3) { printf "FAIL: posting at line %d: %s\n", NR, $0; bad++ }
      if (acc !~ /^(Assets|Liabilities|Equity|Income|Expenses)(:[A-Z0-9][A-Za-z0-9-]*)+$/) {
        printf "FAIL: not a beancount account name: %s\n", acc; bad++ }
      if (!(acc in opened)) { printf "FAIL: account used but not opened: %s\n", acc; bad++ }
      v = fen(amt); sum += v; tot[acc] += v; next
    }
    /^$/ || /^;/ || /^option / { close_txn(); next }
    { printf "FAIL: unexpected line %d: %s\n", NR, $0; bad++ }
    END {
      close_txn()
      for (a in tot) printf "%s|%.0f\n", a, tot[a] > "/dev/stdout"
      printf "%d\n", txns > "'"$TMP"'/bean.txns"
      if (bad) exit 1
    }' "$B" 2>&1 | LC_ALL=C sort >"$TMP/bean.tot" || true
  if grep -q '^FAIL' "$TMP/bean.tot"; then
    grep '^FAIL' "$TMP/bean.tot" | head -n 10 >&2
    fail "$mon beancount file" "well formed, balanced" "$(grep -c '^FAIL' "$TMP/bean.tot") problems"
  fi
  n=$(cat "$TMP/bean.txns" 2>/dev/null || echo 0)
  [ "$n" = "$ntxn" ] || fail "$mon transactions in the beancount file" "$ntxn (ledger)" "$n"
  # the ledger's account names as beancount spells them: each component
  # capitalised, anything but [A-Za-z0-9-] a hyphen
  awk -F '|' '{
      n = split($1, part, ":"); name = ""
      for (i = 1; i <= n; i++) {
        p = part[i]; gsub(/[^A-Za-z0-9-]/, "-", p)
        p = toupper(substr(p, 1, 1)) substr(p, 2)
        name = name (i > 1 ? ":" : "") p
      }
      print name "|" $2 }' "$TMP/ledger.tot" | LC_ALL=C sort >"$TMP/ledger.bean.tot"
  grep -v '^FAIL' "$TMP/bean.tot" >"$TMP/bean.tot2" || true
  if ! cmp -s "$TMP/ledger.bean.tot" "$TMP/bean.tot2"; then
    fail "$mon beancount account totals vs ledger" "equal" "$(diff "$TMP/ledger.bean.tot" "$TMP/bean.tot2" | head -n 10)"
  fi
done

psl verify >"$TMP/out" 2>&1 || fail "verify" "exit 0" "$(cat "$TMP/out")"

if [ "$failures" -ne 0 ]; then
  echo "journal.sh: $failures failures" >&2
  exit 1
fi
echo "journal.sh: 12 months exported; hledger ($have_hledger) and beancount totals equal the ledger's"
