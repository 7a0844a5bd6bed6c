#!/bin/sh
# whatif-book.sh -- comparison.xlsx of `paysettle whatif` (issue 5): "the
# totals (baseline, each scenario, difference, percent), per agency, per
# employee (only those who change, sorted by the size of the change), per
# item, and a native chart of the difference per agency ... Several
# scenarios in one command are compared side by side against the baseline."
#
#   sh tests/scripts/whatif-book.sh PAYSETTLE TMPDIR   (from the repository root)
#
# The sample district, 2026-11, baseline computed under rules/shanghai.yaml
# (missing --db):
#  1. `--set grade.base.3=3900 --name g3`: stdout names
#     outputs/whatif-g3/comparison.xlsx; the workbook read back with openpyxl
#     (the Python below) holds, cell by cell, the figures of the CSV files
#     of the same run (totals.csv, agencies.csv, employees.csv, items.csv)
#     and of `paysettle calc 2026-11 --format lines` (the baseline of every
#     item, employee and agency, for the cells of items that do not change):
#       汇总 Totals     every row of totals.csv: baseline, scenario,
#                       difference, percent (amounts exact to the bit of the
#                       IEEE number; rates and counts, which the CSV rounds
#                       to 0.01, within 0.005; percents exact);
#       项目 Items      the key item (summary.compare, employer_cost), then
#                       every row of items.csv; the key item's figures are
#                       the sums of its formula's terms in items.csv (its
#                       formula, read from the rule file, adds up items), the
#                       percent that difference / |baseline| rounded half away
#                       to 0.01%;
#       人员 Employees  exactly the employees of employees.csv, in its order,
#                       sorted by |difference of employer_cost| (the sum of
#                       its terms' differences in employees.csv) descending,
#                       ties in roster order; each employee's agency from the
#                       roster; for every (employee, item) of the CSV its
#                       baseline, scenario and difference; for every other
#                       item shown, difference 0 and the baseline of calc;
#                       employer_cost: calc's baseline, the summed difference;
#       单位 Agencies   every agency of agencies.csv; for every (agency, item)
#                       of the CSV its figures, the others unchanged at calc's
#                       baseline; the key item summed over the roster's
#                       employees of the agency (calc's baseline, the summed
#                       differences);
#     a native bar chart (xl/charts/chart1.xml) whose series are the
#     agencies' employer_cost differences (column D) against their codes;
#     item titles carry the rule file's Chinese label with the name; frozen
#     title rows, the layout's font, number formats #,##0.00 and 0.00%.
#  2. Two scenario files in TMPDIR that include the base rules, one raising
#     grade 3 (the grade table replaced), one raising meal.per_day to 30 from
#     2026-11, with `--scenario a=F1 --scenario b=F2`: one workbook
#     outputs/whatif-compare/comparison.xlsx with the columns of a and b side
#     by side, each scenario's figures equal to its own CSV files (the same
#     checks, for each scenario), the employees those of either CSV, sorted
#     by the larger of the two changes; the chart has a series per scenario.
#     Scenario a's CSV files equal those of --set grade.base.3=3900.
#  3. Over 2026-10..2026-11 the key item (employer_cost, a 'fact' that is
#     not summed like the amounts) is the sum over the months: the Items and
#     Employees figures and the order still follow the sums of its terms in
#     the range's CSV files (the cells of unchanged items are only checked
#     to equal the baseline's, calc having no range).
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
PY=/usr/bin/python3
M=2026-11
OUT=$TMP/o
failures=0

fail() {
  echo "FAIL: whatif-book.sh: $*" >&2
  failures=$((failures + 1))
}

if ! $PY -c 'import openpyxl, yaml' 2>/dev/null; then
  echo "whatif-book.sh: /usr/bin/python3 has no openpyxl or yaml (./make.sh test installs python3-openpyxl and python3-yaml): skipped" >&2
  exit 0
fi

# ---- the checker: workbook against the CSV files and calc's baseline ---------
cat >"$TMP/check.py" <<'EOF'
"""check.py XLSX LINES ROSTER AGENCIES RULES NAME=CSVDIR...

The workbook XLSX of paysettle whatif against, for each scenario NAME in
order, the CSV files in CSVDIR, and the baseline of `calc --format lines`
(LINES; "-" over a range of months: the baselines of items that do not
change are then only checked to be the scenarios' values). Prints one line
per problem; exits 1 when there is any."""
import csv
import os
import re
import sys
import zipfile
from fractions import Fraction as F

import openpyxl
import yaml

xlsx, lines_path, roster_path, agencies_path, rules_path = sys.argv[1:6]
scen = [a.split('=', 1) for a in sys.argv[6:]]
names = [n for n, _ in scen]
N = len(scen)
problems = []


def fail(what):
    if len(problems) < 40:
        print("FAIL: " + what)
    problems.append(what)


def read_csv(path):
    with open(path, encoding='utf-8-sig', newline='') as f:
        return list(csv.DictReader(f))


def load_yaml(path):
    with open(path, encoding='utf-8') as f:
        return yaml.load(f, Loader=yaml.BaseLoader)


class Rules:
    def __init__(self, top):
        self.items, self.kinds, self.order = {}, {}, []
        self.font, self.compare = None, None
        self._load(top)

    def _load(self, path):
        doc = load_yaml(path)
        for inc in doc.get('include', []):
            self._load(os.path.join(os.path.dirname(path), inc))
        for it in doc.get('items', []):
            if it['name'] not in self.items:
                self.order.append(it['name'])
            self.items[it['name']] = it
        for name, k in doc.get('kinds', {}).items():
            self.kinds[name] = k.get('decimals')
        if 'summary' in doc and 'compare' in doc['summary']:
            self.compare = doc['summary']['compare']
        if 'outputs' in doc:
            self.font = doc['outputs']['style']['font']

    def amount(self, item):
        """As rules.c and figures.c: 2 or more decimals (the kind's, else
        the rounding step's)."""
        it = self.items[item]
        if self.kinds.get(it.get('kind')) is not None:
            return int(self.kinds[it['kind']]) >= 2
        if 'round' in it:
            step = it['round'].split()[0]
            return '.' in step and len(step.split('.')[1]) >= 2
        return False

    def title(self, item):
        zh = self.items[item].get('zh', '')
        return (zh + ' ' + item) if zh else item


R = Rules(rules_path)
KEY = R.compare
terms = [t.strip() for t in R.items[KEY]['formula'].split('+')]
if not all(re.match(r'^[a-z_][a-z0-9_]*$', t) for t in terms):
    sys.exit("the key item's formula is not a sum of items: %s" % terms)

base = {}                       # (who, item) -> Fraction, calc's baseline
for line in open(lines_path if lines_path != '-' else os.devnull,
                 encoding='utf-8'):
    who, item, value = line.rstrip('\n').split(' ', 2)
    if re.match(r'^-?[0-9]+(\.[0-9]+)?$', value):
        base[(who, item)] = F(value)
roster, agency_of = [], {}     # the months' rosters (ROSTER: a:b), in order
for path in roster_path.split(':'):
    for r in read_csv(path):
        if r['employee_id'] not in agency_of:
            roster.append(r['employee_id'])
        agency_of[r['employee_id']] = r['agency']
agencies = [r['code'] for r in read_csv(agencies_path)]

tot, items, emp, ag = [], [], [], []
for n, d in scen:
    tot.append({r['item']: r for r in read_csv(os.path.join(d, 'totals.csv'))})
    items.append({r['item']: r for r in read_csv(os.path.join(d, 'items.csv'))})
    emp.append(read_csv(os.path.join(d, 'employees.csv')))
    ag.append({(r['agency'], r['item']): r
               for r in read_csv(os.path.join(d, 'agencies.csv'))})
emp_ix = [{(r['employee'], r['item']): r for r in rows} for rows in emp]


def pct(text):
    return None if text == '' else F(text.rstrip('%')) / 100


def change(d, b):
    """d / |b| rounded half away from zero to 0.0001; None when b is 0."""
    if b == 0:
        return None
    q = d / abs(b)
    k = int(abs(q) * 10000 + F(1, 2))
    return F(k if q >= 0 else -k, 10000)


def same(got, want, what, exact=True):
    if want is None:
        if got is not None:
            fail("%s: expected a blank cell, got %r" % (what, got))
        return
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        fail("%s: expected the number %s, got %r" % (what, want, got))
    elif exact and float(got) != float(want):
        fail("%s: expected %r (%s), got %r" % (what, float(want), want, got))
    elif not exact and abs(F(got) - want) > F(1, 200):
        fail("%s: expected %s within 0.005, got %r" % (what, want, got))


wb = openpyxl.load_workbook(xlsx)
SHEETS = ['汇总 Totals', '单位 Agencies', '人员 Employees', '项目 Items']
if wb.sheetnames != SHEETS:
    fail("sheets: expected %s, got %s" % (SHEETS, wb.sheetnames))
    sys.exit(1)


def data_rows(ws, first_col_name_at=1):
    rows = []
    for r in ws.iter_rows(min_row=3, values_only=True):
        if r[first_col_name_at] is None:
            break
        rows.append(r)
    return rows


def style(ws, freeze, money_cell, pct_cell):
    if ws.freeze_panes != freeze:
        fail("%s: frozen at %s, expected %s" % (ws.title, ws.freeze_panes,
                                               freeze))
    for ref in ('A2', 'A3', money_cell):
        if ws[ref].font.name != R.font:
            fail("%s!%s: font %s, expected %s" % (ws.title, ref,
                                                  ws[ref].font.name, R.font))
    if ws[money_cell].number_format != '#,##0.00':
        fail("%s!%s: format %s" % (ws.title, money_cell,
                                   ws[money_cell].number_format))
    if pct_cell and ws[pct_cell].number_format != '0.00%':
        fail("%s!%s: format %s" % (ws.title, pct_cell,
                                   ws[pct_cell].number_format))


# ---- 汇总 Totals: every row of totals.csv ------------------------------------
ws = wb['汇总 Totals']
for i, n in enumerate(names):
    cap = ws.cell(1, 4 + 3 * i).value
    if cap != '方案 %s Scenario %s' % (n, n):
        fail("Totals: the title of scenario %s's columns is %r" % (n, cap))
rows = data_rows(ws)
want = list(tot[0])
if [r[1] for r in rows] != want:
    fail("Totals: items %s, expected %s" % ([r[1] for r in rows], want))
for r in rows:
    item = r[1]
    if item not in tot[0]:
        continue
    am = R.amount(item)
    if r[0] != R.items[item].get('zh', ''):
        fail("Totals %s: label %r" % (item, r[0]))
    same(r[2], F(tot[0][item]['baseline']), "Totals %s baseline" % item, am)
    for i, n in enumerate(names):
        c = tot[i][item]
        same(r[3 + 3 * i], F(c['scenario']), "Totals %s %s" % (item, n), am)
        same(r[4 + 3 * i], F(c['difference']),
             "Totals %s %s difference" % (item, n), am)
        same(r[5 + 3 * i], pct(c['percent']),
             "Totals %s %s percent" % (item, n))
style(ws, 'C3', 'C7', 'F3')

# ---- 项目 Items: the key item, then every row of items.csv ----------------------
ws = wb['项目 Items']
rows = data_rows(ws)
want = [KEY] + list(items[0])
if [r[1] for r in rows] != want:
    fail("Items: items %s, expected %s" % ([r[1] for r in rows], want))
for r in rows:
    item = r[1]
    if item != KEY and item not in items[0]:
        continue
    if r[0] != R.items[item].get('zh', ''):
        fail("Items %s: label %r" % (item, r[0]))
    if item == KEY:             # its terms summed
        b = sum(F(items[0][t]['baseline']) for t in terms)
    else:
        b = F(items[0][item]['baseline'])
    same(r[2], b, "Items %s baseline" % item)
    for i, n in enumerate(names):
        if item == KEY:
            d = sum(F(items[i][t]['difference']) for t in terms)
            s, p = b + d, change(d, b)
        else:
            c = items[i][item]
            s, d, p = F(c['scenario']), F(c['difference']), pct(c['percent'])
        same(r[3 + 3 * i], s, "Items %s %s" % (item, n))
        same(r[4 + 3 * i], d, "Items %s %s difference" % (item, n))
        same(r[5 + 3 * i], p, "Items %s %s percent" % (item, n))
style(ws, 'C3', 'C3', 'F3')

# ---- the key item's differences per employee, from employees.csv ---------------
kd = []                         # per scenario: employee -> difference
for i in range(N):
    d = {}
    for (e, item), c in emp_ix[i].items():
        if item in terms:
            d[e] = d.get(e, F(0)) + F(c['difference'])
    kd.append(d)


def groups(ws, first):
    """(item, first column) of each column group of a sheet of rows."""
    per, out, c = 1 + 2 * N, [], first
    while ws.cell(1, c).value is not None:
        out.append((ws.cell(1, c).value, c))
        c += per
    for cap, col in out:
        sub = [ws.cell(2, col + k).value for k in range(per)]
        want = ['基线\nBaseline']
        for n in names:
            want += ['方案 %s\nScenario' % n, '差额 %s\nDifference' % n]
        if sub != want:
            fail("%s: titles under %s: %s" % (ws.title, cap, sub))
    return out


def fen(x):
    """A cell holding a whole number of fen, exactly."""
    return F(round(x * 100), 100) if isinstance(x, (int, float)) else None


def baseline(who, item, r, col, csv_rows=()):
    """calc's baseline, else the CSV's, else (a range) the cell's own."""
    if lines_path != '-':
        return base[(who, item)]
    for c in csv_rows:
        if c:
            return F(c['baseline'])
    return fen(r[col - 1])


def check_cells(what, r, col, b, figs):
    """Baseline b at col, then per scenario (value, difference)."""
    same(r[col - 1], b, "%s baseline" % what)
    for i, n in enumerate(names):
        s, d = figs[i]
        same(r[col + 2 * i], s, "%s %s" % (what, n))
        same(r[col + 2 * i + 1], d, "%s %s difference" % (what, n))


# ---- 人员 Employees ---------------------------------------------------------------
ws = wb['人员 Employees']
gs = groups(ws, 3)
rows = data_rows(ws, 0)
ids = [r[0] for r in rows]
changed = []
for i in range(N):
    for r in emp[i]:
        if r['employee'] not in changed:
            changed.append(r['employee'])
if sorted(ids) != sorted(changed) or len(set(ids)) != len(ids):
    fail("Employees: %d rows, expected exactly the %d employees of "
         "employees.csv" % (len(ids), len(changed)))
if N == 1 and ids != changed:
    fail("Employees: not in the order of employees.csv")
size = {e: max(abs(kd[i].get(e, F(0))) for i in range(N)) for e in ids}
pos = {e: k for k, e in enumerate(roster)}
for a, b in zip(ids, ids[1:]):
    if size[a] < size[b] or (size[a] == size[b] and pos[a] > pos[b]):
        fail("Employees: %s (%s) before %s (%s): not by the size of the "
             "change of %s" % (a, size[a], b, size[b], KEY))
        break
want = [KEY] + [it for it in R.order if it != KEY and
                any(it == k[1] for i in range(N) for k in emp_ix[i])]
got = [cap.split(' ')[-1] for cap, _ in gs]
if got != want:
    fail("Employees: column groups %s, expected %s" % (got, want))
for cap, _ in gs:
    it = cap.split(' ')[-1]
    if it in R.items and cap != R.title(it):
        fail("Employees: group title %r, expected %r" % (cap, R.title(it)))
for r in rows:
    e = r[0]
    if r[1] != agency_of.get(e):
        fail("Employees %s: agency %r, expected %s" % (e, r[1],
                                                      agency_of.get(e)))
    for cap, col in gs:
        it = cap.split(' ')[-1]
        b = baseline(e, it, r, col, [emp_ix[i].get((e, it)) for i in range(N)])
        figs = []
        for i in range(N):
            if it == KEY:
                d = kd[i].get(e, F(0))
                figs.append((b + d, d))
            elif (e, it) in emp_ix[i]:
                c = emp_ix[i][(e, it)]
                if F(c['baseline']) != b:
                    fail("Employees %s %s: calc and the CSV disagree" % (e, it))
                figs.append((F(c['scenario']), F(c['difference'])))
            else:
                figs.append((b, F(0)))
        check_cells("Employees %s %s" % (e, it), r, col, b, figs)
style(ws, 'C3', 'C3', None)

# ---- 单位 Agencies ----------------------------------------------------------------
ws = wb['单位 Agencies']
gs = groups(ws, 2)
rows = data_rows(ws, 0)
if [r[0] for r in rows] != agencies:
    fail("Agencies: rows %s, expected %s" % ([r[0] for r in rows], agencies))
if not gs or gs[0][0] != R.title(KEY) + ' (人员合计 sum of employees)':
    fail("Agencies: the first group is %r" % (gs[0][0] if gs else None))
want = [it for it in R.order if any(it == k[1] for i in range(N)
                                    for k in ag[i])]
got = [cap.split(' ')[-1] for cap, _ in gs[1:]]
if got != want:
    fail("Agencies: column groups %s, expected %s" % (got, want))
for r in rows:
    a = r[0]
    members = [e for e in roster if agency_of[e] == a]
    b = sum(base[(e, KEY)] for e in members) if lines_path != '-' \
        else fen(r[gs[0][1] - 1])
    figs = []
    for i in range(N):
        d = sum(kd[i].get(e, F(0)) for e in members)
        figs.append((b + d, d))
    check_cells("Agencies %s %s" % (a, KEY), r, gs[0][1], b, figs)
    for cap, col in gs[1:]:
        it = cap.split(' ')[-1]
        b = baseline(a, it, r, col, [ag[i].get((a, it)) for i in range(N)])
        figs = []
        for i in range(N):
            c = ag[i].get((a, it))
            figs.append((F(c['scenario']), F(c['difference'])) if c
                        else (b, F(0)))
        check_cells("Agencies %s %s" % (a, it), r, col, b, figs)
style(ws, 'B3', 'B3', None)

# ---- the chart: the agencies' key differences, a series per scenario --------------
z = zipfile.ZipFile(xlsx)
if 'xl/charts/chart1.xml' not in z.namelist():
    fail("no chart (xl/charts/chart1.xml)")
else:
    x = z.read('xl/charts/chart1.xml').decode('utf-8')
    last = 2 + len(agencies)
    if '<c:barChart>' not in x or '<c:barDir val="col"/>' not in x:
        fail("the chart is not a column chart")
    cats = re.findall(r'<c:cat><c:numRef><c:f>([^<]*)</c:f>', x) or \
        re.findall(r'<c:cat><c:strRef><c:f>([^<]*)</c:f>', x)
    vals = re.findall(r'<c:val><c:numRef><c:f>([^<]*)</c:f>', x)
    want_v = ["'单位 Agencies'!$%s$3:$%s$%d" % (chr(ord('D') + 2 * i),
                                               chr(ord('D') + 2 * i), last)
              for i in range(N)]
    if vals != want_v:
        fail("chart series %s, expected %s" % (vals, want_v))
    if cats != ["'单位 Agencies'!$A$3:$A$%d" % last] * N:
        fail("chart categories %s" % cats)
    rels = z.read('xl/worksheets/_rels/sheet1.xml.rels').decode('utf-8')
    if 'drawing' not in rels:
        fail("the chart is not on the totals sheet")

if problems:
    print("%d problems" % len(problems))
    sys.exit(1)
print("ok: %d employees, %d agencies, %d scenario(s)" % (len(ids),
                                                        len(agencies), N))
EOF

"$PS" calc $M --format lines >"$TMP/lines"
check() {   # check XLSX NAME=DIR...
  x=$1
  shift
  if ! $PY "$TMP/check.py" "$x" "$TMP/lines" inputs/$M/roster.csv \
       inputs/agencies.csv rules/shanghai.yaml "$@" >"$TMP/check.out" 2>&1; then
    cat "$TMP/check.out" >&2
    fail "$x read back against the CSV files"
  fi
}

# ---- 1. one scenario ---------------------------------------------------------------
if ! $VG "$PS" whatif $M --set grade.base.3=3900 --name g3 --out "$OUT" \
     --db "$TMP/none.db" >"$TMP/g3.txt" 2>"$TMP/g3.err"; then
  cat "$TMP/g3.err" >&2
  fail "whatif --set grade.base.3=3900 failed"
fi
grep -q "^ *written: $OUT/whatif-g3/comparison.xlsx\$" "$TMP/g3.txt" ||
  fail "stdout does not name $OUT/whatif-g3/comparison.xlsx: $(cat "$TMP/g3.txt")"
[ ! -e "$OUT/whatif-g3/.comparison.xlsx.tmp" ] || fail "a temporary file is left"
check "$OUT/whatif-g3/comparison.xlsx" g3="$OUT/whatif-g3"

# ---- 2. two scenario files side by side ------------------------------------------------
mkdir -p "$TMP/scen"
cat >"$TMP/scen/grade3.yaml" <<EOF
# grade 3's base salary 3,800 -> 3,900 (the grade table replaced)
include: [$PWD/rules/shanghai.yaml]
tables:
  grade:
    label: 岗级工资标准 (grade 3 raised)
    source: "what-if: grade 3 base 3,900"
    columns: [base, performance]
    rows:
      - {key: "1", base: 2900, performance: 600}
      - {key: "2", base: 3300, performance: 800}
      - {key: "3", base: 3900, performance: 1000}
      - {key: "4", base: 4400, performance: 1300}
      - {key: "5", base: 5100, performance: 1600}
EOF
cat >"$TMP/scen/meal.yaml" <<EOF
# meal allowance 25 -> 30 a day from 2026-11
include: [$PWD/rules/shanghai.yaml]
parameters:
  meal.per_day:
    label: 餐费补贴 per attended day
    values:
      - {from: 2026-11, value: 30, source: "what-if: meal 30 a day"}
EOF
if ! $VG "$PS" whatif $M --scenario a="$TMP/scen/grade3.yaml" \
     --scenario b="$TMP/scen/meal.yaml" --out "$OUT" --db "$TMP/none.db" \
     >"$TMP/ab.txt" 2>"$TMP/ab.err"; then
  cat "$TMP/ab.err" >&2
  fail "whatif --scenario a=... --scenario b=... failed"
fi
grep -q "^ *written: $OUT/whatif-compare/comparison.xlsx\$" "$TMP/ab.txt" ||
  fail "stdout does not name $OUT/whatif-compare/comparison.xlsx: $(cat "$TMP/ab.txt")"
for f in totals agencies employees items; do
  cmp -s "$OUT/whatif-a/$f.csv" "$OUT/whatif-g3/$f.csv" ||
    fail "scenario a's $f.csv differs from --set grade.base.3=3900's"
done
[ "$(wc -l <"$OUT/whatif-b/employees.csv")" -gt 1 ] ||
  fail "raising the meal allowance changed nobody"
check "$OUT/whatif-compare/comparison.xlsx" a="$OUT/whatif-a" b="$OUT/whatif-b"

# ---- 3. a range: the key item adds up over the months -------------------------------
# employer_cost is not an amount of the rule set (a 'fact' without decimals);
# over 2026-10..2026-11 its differences must still be the sums of its terms'
# differences in employees.csv, which add up over the months.
if ! $VG "$PS" whatif 2026-10..$M --set grade.base.3=3900 --name range \
     --out "$OUT" --db "$TMP/none.db" >"$TMP/range.txt" 2>"$TMP/range.err"; then
  cat "$TMP/range.err" >&2
  fail "whatif 2026-10..$M failed"
fi
if ! $PY "$TMP/check.py" "$OUT/whatif-range/comparison.xlsx" - \
     inputs/2026-10/roster.csv:inputs/$M/roster.csv inputs/agencies.csv rules/shanghai.yaml \
     range="$OUT/whatif-range" >"$TMP/check.out" 2>&1; then
  cat "$TMP/check.out" >&2
  fail "the range's workbook read back against its CSV files"
fi

if [ "$failures" -ne 0 ]; then
  echo "whatif-book.sh: $failures failure(s)" >&2
  exit 1
fi
echo "whatif-book.sh: comparison.xlsx of one scenario, of two side by side and of a range read back against the CSV files"
