#!/bin/sh
# retro.sh -- a raise effective 2026-07, approved in 2026-11, over a closed
# July..October (issue 5), on the sample district.
#
# The raise: grade 3's base salary 3,800 -> 4,000 (a rule file that includes
# rules/shanghai.yaml and replaces the grade table).
#   1. July..October are run and closed under the old rules.
#   2. `retro --from 2026-07 --to 2026-10 --rules raise --pay-in 2026-11`:
#      per month, the employees whose gross or contributions change are the
#      ones the independent computation (calc of the month under each rule
#      set, no ledger, no retro code) says change.
#   3. The same retro again is refused.
#   4. 2026-11 run under the raise: for every agency, retro_pay_total = the
#      sum over its November employees of (gross under the raise - gross
#      paid) over July..October, from the same independent calcs.
#      By hand, for grade-3 employees with a full month and no leave or
#      overtime in each of the four months: base salary + 200.00 a month,
#      nothing else of gross moves (overtime and leave deductions are zero,
#      the top-up is zero before and after), so retro_pay = 4 x 200.00 =
#      800.00; and November's tax takes it in: gross = November's own gross
#      + 800.00, cum_income = the stored gross of July..October + gross, and
#      iit = max(0, R2(annual brackets(cum_taxable) - cum_withheld)) with
#      cum_taxable = cum_income - 5,000 x 5 - cum_special - cum_sad; and
#      `show 2026-11 EMPLOYEE` lists where it comes from: retro #1's
#      retro_pay 200.00 for each of July..October.
#   5. Employees with back pay who left before November are listed by the
#      run as not paid (to be paid off-cycle), exactly those.
#   6. reproduce 2026-11 and verify pass; after closing November a new
#      retro paid in it is refused.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
DB=$TMP/ledger.db
fail() { echo "retro.sh: $*"; exit 1; }

cat >"$TMP/raise.yaml" <<EOF
name: raise-grade3-2026-07
include: [$(pwd)/rules/shanghai.yaml]
tables:
  grade:
    label: 岗级工资标准 (grade 3 raised from 2026-07)
    source: "district agreement approved 2026-11"
    columns: [base, performance]
    rows:
      - {key: "1", base: 2900, performance: 600}
      - {key: "2", base: 3300, performance: 800}
      - {key: "3", base: 4000, performance: 1000}
      - {key: "4", base: 4400, performance: 1300}
      - {key: "5", base: 5100, performance: 1600}
EOF

for m in 07 08 09 10; do
  $VG "$PS" run 2026-$m --db "$DB" --outputs "$TMP/out" >/dev/null
  $VG "$PS" close 2026-$m --db "$DB" >/dev/null
  "$PS" calc 2026-$m --format lines >"$TMP/base-$m"
  "$PS" calc 2026-$m --format lines --rules "$TMP/raise.yaml" >"$TMP/raise-$m"
done
"$PS" calc 2026-11 --format lines --rules "$TMP/raise.yaml" >"$TMP/raise-11"

$VG "$PS" retro --from 2026-07 --to 2026-10 --rules "$TMP/raise.yaml" \
  --pay-in 2026-11 --db "$DB" >"$TMP/retro.txt" || fail "retro refused"
if $VG "$PS" retro --from 2026-07 --to 2026-10 --rules "$TMP/raise.yaml" \
     --pay-in 2026-11 --db "$DB" >/dev/null 2>"$TMP/twice.txt"; then
  fail "the same retro was accepted twice"
fi
grep -q "never applied twice" "$TMP/twice.txt" ||
  fail "second retro: $(cat "$TMP/twice.txt")"

$VG "$PS" run 2026-11 --rules "$TMP/raise.yaml" --db "$DB" \
  --outputs "$TMP/out" >"$TMP/run11.txt" || fail "2026-11 refused"
"$PS" show 2026-11 --db "$DB" >"$TMP/show11"

python3 - "$TMP" "$PS" "$DB" <<'EOF'
import csv, subprocess, sys
from decimal import Decimal as D, ROUND_HALF_UP
tmp, ps, db = sys.argv[1:4]
months = ["07", "08", "09", "10"]
def fail(msg):
    print("retro.sh: " + msg)
    sys.exit(1)
def lines(path):
    v = {}
    for ln in open(path, encoding="utf-8"):
        p = ln.split()
        if len(p) == 3:
            v[(p[0], p[1])] = p[2]
    return v
def num(v, e, item):
    return D(v.get((e, item), "0"))
base = {m: lines(f"{tmp}/base-{m}") for m in months}
raise_ = {m: lines(f"{tmp}/raise-{m}") for m in months}
emps = {m: sorted({e for (e, i) in base[m] if e.startswith("E")}) for m in months}
def delta(m, e, items):
    return sum(num(raise_[m], e, i) - num(base[m], e, i) for i in items)
GROUPS = [["gross"], ["ee_pension"], ["ee_medical"], ["ee_unemployment"],
          ["ee_hf", "ee_hf_supp"], ["er_si"], ["er_hf", "er_hf_supp"]]
# 2. employees changed per month
out = open(f"{tmp}/retro.txt", encoding="utf-8").read()
for m in months:
    n = sum(1 for e in emps[m] if any(delta(m, e, g) for g in GROUPS))
    want = f"2026-{m}: {n} employees changed"
    if want not in out:
        fail(f"expected '{want}' in the retro report:\n{out}")
# 4. per agency, retro_pay_total of November
roster11 = {r["employee_id"]: r for r in csv.DictReader(open("inputs/2026-11/roster.csv", encoding="utf-8-sig"))}
back = {}
for m in months:
    for e in emps[m]:
        back[e] = back.get(e, D(0)) + delta(m, e, ["gross"])
want_ag = {}
for e, d in back.items():
    if e in roster11:
        a = roster11[e]["agency"]
        want_ag[a] = want_ag.get(a, D(0)) + d
got_ag = {}
for ln in open(f"{tmp}/show11", encoding="utf-8"):
    p = ln.split()
    if len(p) == 3 and p[1] == "retro_pay_total":
        got_ag[p[0]] = D(p[2])
for a in sorted(set(want_ag) | set(got_ag)):
    if want_ag.get(a, D(0)) != got_ag.get(a, D(0)):
        fail(f"agency {a}: retro_pay_total {got_ag.get(a)} want {want_ag.get(a)}")
if sum(want_ag.values()) <= 0:
    fail("no back pay at all")
# hand-worked employees: grade 3, full month, no leave, no overtime
def quiet(v, e):
    return (v.get((e, "sched_days")) == v.get((e, "work_days"))
            and all(num(v, e, i) == 0 for i in ["leave_days", "overtime_pay",
                                                 "min_wage_topup"]))
chosen = [e for e in sorted(roster11) if roster11[e]["grade"] == "3"
          and all(e in emps[m] and quiet(base[m], e) and quiet(raise_[m], e)
                  for m in months)][:8]
if len(chosen) < 3:
    fail(f"only {len(chosen)} quiet grade-3 employees to check by hand")
BR = [(36000, 3, 0), (144000, 10, 2520), (300000, 20, 16920),
      (420000, 25, 31920), (660000, 30, 52920), (960000, 35, 85920),
      (None, 45, 181920)]
def bracket(x):
    for upto, rate, quick in BR:
        if upto is None or x <= upto:
            return x * rate / 100 - quick
def r2(x):
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)
for e in chosen:
    got = {}
    txt = subprocess.run([ps, "show", "2026-11", e, "--db", db],
                         capture_output=True, text=True, check=True).stdout
    for ln in txt.splitlines():
        p = ln.split()
        if len(p) == 2:
            try:
                got[p[0]] = D(p[1])
            except Exception:      # dates, fractions, words
                got[p[0]] = p[1]
    per_month = sorted(ln.split()[1] for ln in txt.splitlines()
                       if ln.split()[:1] == ["#1"] and ln.split()[2] == "retro_pay"
                       and ln.split()[3] == "200.00")
    if per_month != ["2026-" + m for m in months]:
        fail(f"{e}: show lists retro_pay 200.00 for {per_month}, want each of July..October")
    if got.get("retro_pay") != D("800.00"):
        fail(f"{e}: retro_pay {got.get('retro_pay')}, want 4 x 200.00 = 800.00")
    own = num(lines(f"{tmp}/raise-11"), e, "gross")
    if got["gross"] != own + 800:
        fail(f"{e}: gross {got['gross']}, want own {own} + 800.00")
    paid = D(0)          # the stored gross and iit of July..October
    for m in months:
        t = subprocess.run([ps, "show", f"2026-{m}", e, "--db", db],
                           capture_output=True, text=True, check=True).stdout
        for ln in t.splitlines():
            p = ln.split()
            if len(p) == 2 and p[0] == "gross":
                paid += D(p[1])
            if len(p) == 2 and p[0] == "iit":
                got.setdefault("_withheld", D(0))
                got["_withheld"] += D(p[1])
    if got["cum_income"] != paid + got["gross"]:
        fail(f"{e}: cum_income {got['cum_income']}, want {paid} + {got['gross']}")
    taxable = max(D(0), got["cum_income"] - 5000 * 5 - got["cum_special"] - got["cum_sad"])
    if got["cum_taxable"] != taxable:
        fail(f"{e}: cum_taxable {got['cum_taxable']}, want {taxable}")
    if got["cum_withheld"] != got.get("_withheld", D(0)):
        fail(f"{e}: cum_withheld {got['cum_withheld']}, want {got.get('_withheld')}")
    iit = max(D(0), r2(bracket(taxable) - got["cum_withheld"]))
    if got["iit"] != iit:
        fail(f"{e}: iit {got['iit']}, want {iit}")
# 5. leavers with back pay: listed as not paid by the run
away = {e for e, d in back.items() if d and e not in roster11}
run = open(f"{tmp}/run11.txt", encoding="utf-8").read()
listed = {ln.split()[0] for ln in run.splitlines()
          if ln.startswith("    E") and " retro_pay " in ln}
if listed != away:
    fail(f"leavers listed {sorted(listed)}, want {sorted(away)}")
print(f"retro.sh: {len(chosen)} employees worked by hand, {len(want_ag)} agencies, {len(away)} leavers listed")
EOF

$VG "$PS" reproduce 2026-11 --db "$DB" >"$TMP/rep.txt" ||
  fail "reproduce 2026-11: $(tail -3 "$TMP/rep.txt")"
$VG "$PS" verify --db "$DB" >/dev/null || fail "verify failed"
$VG "$PS" close 2026-11 --db "$DB" >/dev/null
sed 's/base: 4000/base: 4100/; s/^name: .*/name: raise-again/' \
  "$TMP/raise.yaml" >"$TMP/raise2.yaml"
if $VG "$PS" retro --from 2026-07 --to 2026-10 --rules "$TMP/raise2.yaml" \
     --pay-in 2026-11 --db "$DB" >/dev/null 2>"$TMP/closed.txt"; then
  fail "a retro paid in a closed month was accepted"
fi
grep -q "2026-11 is closed" "$TMP/closed.txt" ||
  fail "retro into a closed month: $(cat "$TMP/closed.txt")"
$VG "$PS" verify --db "$DB" >/dev/null || fail "verify failed after close"
$VG "$PS" reproduce 2026-11 --db "$DB" >/dev/null || fail "reproduce after close"
# 7. the recorded retro never changes: the database refuses an edit, and
#    an edit made around the trigger is found by verify
if sqlite3 "$DB" "UPDATE retro_delta SET amount = '1.00' WHERE rowid = 1" \
     2>/dev/null; then
  fail "the database let a recorded retro change"
fi
cp "$DB" "$TMP/tampered.db"
sqlite3 "$TMP/tampered.db" "DROP TRIGGER retro_delta_update;
  UPDATE retro_delta SET amount = '1.00' WHERE rowid = 1"
if "$PS" verify --db "$TMP/tampered.db" >/dev/null 2>"$TMP/tamper.txt"; then
  fail "verify missed an edited retro"
fi
grep -q "2026-11: the retro amounts recorded for it are not the ones its" \
  "$TMP/tamper.txt" || fail "tampered retro: $(cat "$TMP/tamper.txt")"
# 8. a what-if of November under the rules it was run with changes nothing
#    (the scenario side gets the month's retro amounts too), leaves the
#    months alone and leaves a line in the what-if log
$VG "$PS" whatif 2026-11 --rules "$TMP/raise.yaml" --db "$DB" \
  --out "$TMP/wi" >"$TMP/wi.txt"
grep -q "employees affected: 0 of " "$TMP/wi.txt" ||
  fail "what-if of the same rules: $(cat "$TMP/wi.txt")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM whatif_log WHERE from_month =
     '2026-11' AND summary = 'no change'")" = 1 ] || fail "what-if not logged"
$VG "$PS" verify --db "$DB" >/dev/null || fail "verify after the what-if"
echo "retro.sh: back pay, refusals, reproduce, verify, tampering, what-if log"
# 9. November's workbooks and bank file, cell by cell against the ledger
#    (the retro columns included), read back independently
PY=/usr/bin/python3
if $PY -c 'import openpyxl, yaml' 2>/dev/null; then
  $PY tests/scripts/lib/outputs_check.py "$DB" 2026-11 "$TMP/out/2026-11" \
    inputs --rules "$TMP/raise.yaml" >"$TMP/check.txt" ||
    fail "November's files: $(head -5 "$TMP/check.txt")"
fi
# 10. November's journal, with the retro contributions in the SI and HF
#     lines, passes hledger's strict check (when hledger is installed)
if command -v hledger >/dev/null 2>&1; then
  "$PS" export journal 2026-11 --db "$DB" --out "$TMP/11.journal" >/dev/null
  hledger check --strict -f "$TMP/11.journal" >/dev/null 2>"$TMP/hl.txt" ||
    fail "hledger: $(cat "$TMP/hl.txt")"
fi
