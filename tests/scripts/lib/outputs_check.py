#!/usr/bin/python3
"""outputs_check.py -- read paysettle's month files back, independently.

    /usr/bin/python3 tests/scripts/lib/outputs_check.py DB MONTH DIR INPUTS \
        [--rows N] [--rules rules/shanghai.yaml] [--no-bank]

Reads the ledger DB with Python's sqlite3 (not through paysettle), the
layout (rules/outputs.yaml) and the parameters of the rule set with PyYAML,
the month's input files with the csv module, and every workbook in DIR with
openpyxl; then checks, cell by cell, that each sheet holds what the layout
says: every amount equal to the ledger's exact value (to the last bit of the
IEEE number for whole fen), every input field as typed (masked where the
layout masks it, with a leading apostrophe where a spreadsheet would take
it for a formula, never a formula), every totals row a SUM formula whose
stored value is the exact total and equal to the ledger's control totals,
continuation sheets when a sheet holds more than N rows (--rows, default
Excel's 1,048,576), number formats, fonts, frozen panes, autofilters, print
setup; and the bank file (BOM, one line per positive net pay, the count
and total line against the ledger and its journal). Prints one line per
problem and exits 1 when there is any.
"""
import csv
import os
import re
import sqlite3
import sys
from fractions import Fraction

import openpyxl
import yaml

problems = []


def fail(what):
    if len(problems) < 60:
        print("FAIL: " + what)
    problems.append(what)


# ---- the ledger -------------------------------------------------------------

def unpack(s):
    out, cur, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == '\t':
            out.append(''.join(cur))
            cur = []
        elif c == '\\' and i + 1 < len(s):
            i += 1
            cur.append({'t': '\t', 'n': '\n'}.get(s[i], s[i]))
        else:
            cur.append(c)
        i += 1
    out.append(''.join(cur))
    return out


class Ledger:
    def __init__(self, path, month):
        db = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
        row = db.execute(
            "SELECT run_id, items, rules_name, rules_sha256, engine_version,"
            " operator, created_at FROM run WHERE month = ? AND kind = "
            "'regular' ORDER BY status = 'closed' DESC LIMIT 1",
            (month,)).fetchone()
        if not row:
            raise SystemExit("no run of %s in %s" % (month, path))
        (self.run_id, items, self.rules_name, self.rules_sha256,
         self.engine, self.operator, self.created) = row
        self.names = {0: [], 1: [], 2: []}
        for line in items.split('\n'):
            if line.strip():
                lv, name = line.split(' ', 1)
                self.names[int(lv)].append(name)
        self.rows = {0: {}, 1: {}, 2: {}, 3: {}}
        self.agency_of = {}
        for lv, ent, ag, vals in db.execute(
                "SELECT level, entity, agency, vals FROM result WHERE "
                "run_id = ?", (self.run_id,)):
            names = self.names[0 if lv == 3 else lv]
            self.rows[lv][ent] = dict(zip(names, unpack(vals)))
            if lv == 0:
                self.agency_of[ent] = ag
        self.entries = db.execute(
            "SELECT account, amount_fen FROM entry WHERE run_id = ?",
            (self.run_id,)).fetchall()
        self.files = db.execute(
            "SELECT f.role, f.path, f.sha256, b.size FROM run_file f JOIN "
            "blob b USING (sha256) WHERE f.run_id = ? ORDER BY f.role, "
            "f.path", (self.run_id,)).fetchall()


def exact(text):
    """The ledger's exact text as a Fraction, or None (not a number)."""
    if text is None or not re.match(r'^-?[0-9]+(\.[0-9]+)?(/[0-9]+)?$',
                                    text):
        return None
    return Fraction(text)


def same_number(got, want, what):
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        fail("%s: expected the number %s, got %r" % (what, want, got))
        return
    if (want * 100).denominator == 1:        # whole fen: bit for bit
        if float(got) != float(want):
            fail("%s: expected %s, got %r" % (what, float(want), got))
    elif abs(float(got) - float(want)) > 1e-9 * max(1, abs(float(want))):
        fail("%s: expected %s (%s), got %r" % (what, float(want), want, got))


# ---- inputs and rules ---------------------------------------------------------

def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding='utf-8-sig', newline='') as f:
        return [{k.strip(): (v or '').strip() for k, v in r.items()}
                for r in csv.DictReader(f)]


class Inputs:
    def __init__(self, root, month, rules):
        self.roster = {r['employee_id']: r for r in
                       read_csv(os.path.join(root, month, 'roster.csv'))}
        self.attendance = {r['employee_id']: r for r in
                           read_csv(os.path.join(root, month,
                                                 'attendance.csv'))}
        self.agencies = {r['code']: r for r in
                         read_csv(os.path.join(root, 'agencies.csv'))}
        self.satisfaction = {r['agency']: r for r in
                             read_csv(os.path.join(root, month,
                                                   'satisfaction.csv'))}
        self.notes = {}
        for r in read_csv(os.path.join(root, month, 'adjustments.csv')):
            if r.get('note'):
                self.notes.setdefault(r['employee_id'], []).append(r['note'])
        self.rules = rules


def load_yaml(path):
    with open(path, encoding='utf-8') as f:
        return yaml.load(f, Loader=yaml.BaseLoader)   # every scalar a string


class Rules:
    """What the checker needs of the rule set: items, tables, parameters,
    input schema, layout; read from the YAML files themselves."""

    def __init__(self, top):
        self.items, self.tables, self.params, self.columns = {}, {}, {}, {}
        self.kinds = {}
        self.layout = None
        self._load(top)

    def _load(self, path):
        doc = load_yaml(path)
        for inc in doc.get('include', []):
            self._load(os.path.join(os.path.dirname(path), inc))
        for it in doc.get('items', []):
            self.items[it['name']] = it
        for name, k in doc.get('kinds', {}).items():
            self.kinds[name] = k.get('decimals')
        for name, t in doc.get('tables', {}).items():
            self.tables[name] = {r['key']: r.get('zh') for r in t['rows']
                                 if 'key' in r}
        for name, p in doc.get('parameters', {}).items():
            self.params[name] = p['values']
        for role, spec in doc.get('inputs', {}).items():
            self.columns[role] = {c['name']: c for c in spec['columns']}
        if 'outputs' in doc:
            self.layout = doc['outputs']

    def param(self, name, month):
        value = None
        for v in self.params[name]:
            if v['from'] <= month:
                value = v['value']
        if value.endswith('%'):
            return Fraction(value[:-1]) / 100
        return Fraction(value)

    def level(self, item):
        return self.items[item].get('level', 'employee')

    def decimals(self, item):
        """As rules.c: the kind's decimals, else the rounding step's."""
        it = self.items[item]
        if self.kinds.get(it.get('kind')) is not None:
            return int(self.kinds[it['kind']])
        if 'round' in it:
            step = it['round'].split()[0]
            return len(step.split('.')[1]) if '.' in step else 0
        return -1


# ---- expected cells -------------------------------------------------------------

FORMULA_START = tuple('=+-@\t\r')


def as_text(s):
    return "'" + s if s and s.startswith(FORMULA_START) else s


def mask(s, first, last):
    if len(s) <= first + last:
        return '*' * len(s)
    return s[:first] + '*' * (len(s) - first - last) + s[len(s) - last:]


class Check:
    def __init__(self, ledger, inputs, rules, month, rows_max):
        self.L, self.I, self.R = ledger, inputs, rules
        self.month, self.rows_max = month, rows_max
        self.words = rules.layout['words']

    def field(self, col, emp, agency):
        prefix, name = col['field'].split('.', 1)
        if prefix == 'adjustments':
            notes = self.I.notes.get(emp, [])
            return as_text('; '.join(notes)) if notes else None
        if prefix in ('roster', 'attendance'):
            row = (self.I.roster if prefix == 'roster'
                   else self.I.attendance).get(emp, {})
            schema = self.R.columns[prefix][name]
        else:
            code = agency if emp is None else self.L.agency_of[emp]
            row = (self.I.agencies if prefix == 'agency'
                   else self.I.satisfaction).get(code, {})
            schema = self.R.columns['agencies' if prefix == 'agency'
                                    else 'satisfaction'][name]
        v = row.get(name, '') or schema.get('default', '')
        if v == '':
            return None
        if schema['type'] in ('decimal', 'integer', 'halves'):
            return Fraction(v)
        if schema['type'] == 'bool':
            return self.words['yes' if v.lower() in ('y', 'yes', 'true', '1',
                                                     '是') else 'no']
        if schema['type'] == 'table' and col.get('show') == 'zh':
            t = self.R.tables[schema['table']]
            key = v if v in t else next((k for k, zh in t.items() if zh == v),
                                        v)
            v = t.get(key) or key
        if schema['type'] == 'resident_id':
            v = v.upper()
        if 'mask' in col:
            v = mask(v, int(col['mask'][0]), int(col['mask'][1]))
        return as_text(v)

    def item_value(self, names, row):
        total = Fraction(0)
        for n in names:
            x = exact(row.get(n))
            if x is None:
                return row.get(n)
            total += x
        return total

    def expect(self, col, emp, agency, row):
        """The expected cell of a column: a Fraction, a str or None."""
        if 'item' in col or 'sum' in col:
            names = [col['item']] if 'item' in col else col['sum']
            v = self.item_value(names, row)
            if isinstance(v, str):
                if v in ('true', 'false'):
                    return self.words['yes' if v == 'true' else 'no']
                return as_text(v) if v else None
            return v
        if 'field' in col:
            return self.field(col, emp, agency)
        if 'text' in col:
            return col['text']
        return None

    def compare(self, got, want, what):
        if isinstance(want, Fraction):
            same_number(got, want, what)
        elif got != want:
            fail("%s: expected %r, got %r" % (what, want, got))

    def columns(self, sheet, level):
        out = []
        for col in sheet['columns']:
            if 'every_item' in col:
                for name, it in self.R.items.items():
                    if self.R.level(name) == col['every_item']:
                        out.append({'item': name,
                                    'title': (it['zh'] + '\n' + name)
                                    if it.get('zh') else name})
            else:
                out.append(col)
        return out

    def fmt(self, col):
        fmts = self.R.layout['formats']
        if 'format' in col:
            return fmts[col['format']]
        names = ([col['item']] if 'item' in col else col.get('sum', []))
        if names and self.R.decimals(names[0]) == 2:
            return fmts['money']
        return fmts['number']

    def has_total(self, col):
        if 'total' in col:
            return col['total'] == 'true'
        return (('item' in col or 'sum' in col) and
                self.fmt(col) == self.R.layout['formats']['money'])


def title_of(cell):
    return (cell or '').replace('\n', ' ')


def same_title(got, want):
    return title_of(got) == want.replace('\n', ' ')


def parts(wb, title):
    """The sheet and its continuation sheets, in order."""
    out = [wb[title]] if title in wb.sheetnames else []
    k = 2
    while '%s (%d)' % (title, k) in wb.sheetnames:
        out.append(wb['%s (%d)' % (title, k)])
        k += 1
    return out


def sheet_setup(ws, what, frozen, autofilter):
    if ws.page_setup.orientation != 'landscape':
        fail("%s: not landscape" % what)
    if not ws.sheet_properties.pageSetUpPr or \
            not ws.sheet_properties.pageSetUpPr.fitToPage:
        fail("%s: not fitted to the page width" % what)
    if frozen and not ws.freeze_panes:
        fail("%s: no frozen title row" % what)
    if frozen and ws.print_title_rows not in ('1:1', '$1:$1'):
        fail("%s: the title row is not repeated on each page (%r)"
             % (what, ws.print_title_rows))
    if autofilter and not ws.auto_filter.ref:
        fail("%s: no autofilter" % what)


def check_totals(C, ws, wsv, r, cols, sums, what, level3, rows):
    label = False
    for k, col in enumerate(cols):
        cell = ws.cell(r, k + 1).value
        if C.has_total(col):
            if rows == 0 and cell == 0:
                pass                          # nothing to add up
            elif not (isinstance(cell, str) and cell.startswith('=SUM(')):
                fail("%s totals, column %d: expected a SUM formula, got %r"
                     % (what, k + 1, cell))
            same_number(wsv.cell(r, k + 1).value, sums[k],
                        "%s totals, column %d (stored value)" % (what, k + 1))
            if level3 is not None and 'item' in col and \
                    C.R.level(col['item']) == 'employee':
                ctl = sum(exact(level3[a][col['item']]) for a in level3)
                if ctl != sums[k]:
                    fail("%s totals, column %d: %s over employees != ledger "
                         "control totals %s" % (what, k + 1, sums[k], ctl))
        elif not label:
            if cell != C.words['total']:
                fail("%s totals: label %r" % (what, cell))
            label = True


def employee_order(C, book, when):
    ids = list(C.L.rows[0])
    if book.get('order') == 'agency':
        ids.sort(key=lambda e: (C.L.agency_of[e].encode(), e.encode()))
    else:
        ids.sort(key=lambda e: e.encode())
    if when:
        def on(e):
            v = C.L.rows[0][e].get(when)
            return v == 'true' or (exact(v) is not None and exact(v) > 0)
        ids = [e for e in ids if on(e)]
    return ids


def check_employees(C, wb, wbv, book, sheet):
    what = "%s/%s" % (book['name'], sheet['title'])
    cols = C.columns(sheet, 'employee')
    ids = employee_order(C, book, sheet.get('when'))
    ps, pvs = parts(wb, sheet['title']), parts(wbv, sheet['title'])
    per = C.rows_max - 2
    want_parts = max(1, (len(ids) + per - 1) // per)
    if len(ps) != want_parts:
        fail("%s: %d sheets for %d rows, expected %d" % (what, len(ps),
                                                          len(ids),
                                                          want_parts))
        return
    sums = [Fraction(0)] * len(cols)
    for i, emp in enumerate(ids):
        p, r = divmod(i, per)
        ws, r = ps[p], r + 2
        row = C.L.rows[0][emp]
        for k, col in enumerate(cols):
            cell = ws.cell(r, k + 1)
            want = C.expect(col, emp, None, row)
            C.compare(cell.value, want, "%s %s row %d col %d (%s)"
                      % (what, emp, r, k + 1, title_of(col.get('title'))))
            if cell.data_type == 'f':
                fail("%s %s col %d: a formula" % (what, emp, k + 1))
            if isinstance(want, Fraction) and C.has_total(col):
                sums[k] += want
            if isinstance(want, Fraction) and \
                    cell.number_format != C.fmt(col):
                fail("%s col %d: format %r" % (what, k + 1,
                                               cell.number_format))
    for p, ws in enumerate(ps):
        sheet_setup(ws, what, True, True)
        for k, col in enumerate(cols):
            if not same_title(ws.cell(1, k + 1).value, col['title']):
                fail("%s: title of column %d is %r, expected %r"
                     % (what, k + 1, ws.cell(1, k + 1).value, col['title']))
    last = len(ids) - (want_parts - 1) * per + 2
    check_totals(C, ps[-1], pvs[-1], last, cols, sums, what,
                 C.L.rows[3] if not sheet.get('when') else None, len(ids))
    font = ps[0].cell(1, 1).font.name
    if font != C.R.layout['style']['font']:
        fail("%s: font %r" % (what, font))


def check_payslips(C, wb, book, sheet):
    what = "%s/%s" % (book['name'], sheet['title'])
    cols = C.columns(sheet, 'employee')
    ids = employee_order(C, book, None)
    ps = parts(wb, sheet['title'])
    per = C.rows_max // 3
    for i, emp in enumerate(ids):
        p, n = divmod(i, per)
        if p >= len(ps):
            fail("%s: no sheet for pay strip %d" % (what, i))
            return
        ws, r = ps[p], 3 * n + 1
        for k, col in enumerate(cols):
            if not same_title(ws.cell(r, k + 1).value, col['title']):
                fail("%s strip %s: title %r" % (what, emp,
                                                ws.cell(r, k + 1).value))
            C.compare(ws.cell(r + 1, k + 1).value,
                      C.expect(col, emp, None, C.L.rows[0][emp]),
                      "%s strip %s col %d" % (what, emp, k + 1))
        if any(ws.cell(r + 2, k + 1).value is not None
               for k in range(len(cols))):
            fail("%s strip %s: the row after it is not blank" % (what, emp))


def check_agencies(C, wb, wbv, book, sheet):
    what = "%s/%s" % (book['name'], sheet['title'])
    ws, wsv = wb[sheet['title']], wbv[sheet['title']]
    cols = C.columns(sheet, 'agency')
    codes = sorted(C.L.rows[1], key=lambda a: a.encode())
    sums = [Fraction(0)] * len(cols)
    for i, code in enumerate(codes):
        for k, col in enumerate(cols):
            want = C.expect(col, None, code, C.L.rows[1][code])
            C.compare(ws.cell(i + 2, k + 1).value, want,
                      "%s %s col %d" % (what, code, k + 1))
            if isinstance(want, Fraction) and C.has_total(col):
                sums[k] += want
    check_totals(C, ws, wsv, len(codes) + 2, cols, sums, what, None,
                 len(codes))
    for k, col in enumerate(cols):          # and the district's figures
        if 'item' in col and C.has_total(col):
            d = 'district_' + col['item'].replace('_total', '')
            if d in C.L.rows[2]['district'] and \
                    exact(C.L.rows[2]['district'][d]) != sums[k]:
                fail("%s: total of %s != ledger %s" % (what, col['item'], d))
    sheet_setup(ws, what, True, True)
    if 'chart' in sheet and not ws._charts:
        fail("%s: no chart" % what)


def check_indicators(C, wb, book, sheet):
    what = "%s/%s" % (book['name'], sheet['title'])
    ws = wb[sheet['title']]
    r = 2
    w = C.words
    for code in sorted(C.L.rows[1], key=lambda a: a.encode()):
        row = C.L.rows[1][code]
        for ind in sheet['indicators']:
            target = C.R.param(ind['target'], C.month)
            known = row.get(ind.get('known'), 'true') == 'true'
            met = row.get(ind['met'])
            want = [code, None, ind['title'], target,
                    exact(row[ind['agency']]) if known else w['none'],
                    w['met'] if met == 'true' else w['not_met']]
            for k, v in enumerate(want):
                if v is not None:
                    C.compare(ws.cell(r, k + 1).value, v,
                              "%s %s %s col %d" % (what, code, ind['title'],
                                                   k + 1))
            r += 1
    dist = C.L.rows[2]['district']
    for ind in sheet['indicators']:
        target = C.R.param(ind['target'], C.month)
        actual = exact(dist[ind['district']])
        want = [w['district'], None, ind['title'], target, actual,
                w['met'] if actual >= target else w['not_met']]
        for k, v in enumerate(want):
            if v is not None:
                C.compare(ws.cell(r, k + 1).value, v,
                          "%s district %s col %d" % (what, ind['title'],
                                                     k + 1))
        r += 1


def check_run(C, wb, book, sheet):
    what = "%s/%s" % (book['name'], sheet['title'])
    ws = wb[sheet['title']]
    values = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
    for want in (C.month, str(C.L.run_id), C.L.rules_name,
                 C.L.rules_sha256, C.L.engine):
        if want not in values:
            fail("%s: %r is not shown" % (what, want))
    rows = [tuple(ws.cell(r, k).value for k in range(1, 5))
            for r in range(1, ws.max_row + 1)]
    for role, path, sha, size in C.L.files:
        if (role, path, sha, size) not in rows:
            fail("%s: stored file %s %s is not listed with its SHA-256"
                 % (what, role, path))


def check_book(C, d, book):
    path = os.path.join(d, book['file'].replace('{month}', C.month))
    wb = openpyxl.load_workbook(path)                      # formulas
    wbv = openpyxl.load_workbook(path, data_only=True)     # stored values
    if wb.properties.created is None or \
            wb.properties.created.strftime('%Y-%m') != C.month:
        fail("%s: document date %r is not in the month" %
             (path, wb.properties.created))
    for sheet in book['sheets']:
        rows = sheet['rows']
        if rows == 'employees':
            check_employees(C, wb, wbv, book, sheet)
        elif rows == 'payslips':
            check_payslips(C, wb, book, sheet)
        elif rows == 'agencies':
            check_agencies(C, wb, wbv, book, sheet)
        elif rows == 'indicators':
            check_indicators(C, wb, book, sheet)
        elif rows == 'run':
            check_run(C, wb, book, sheet)
    if book.get('private', 'true') == 'false':
        ids = {r['id_number'].upper() for r in C.I.roster.values()}
        accounts = {r['bank_account'] for r in C.I.roster.values()}
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if isinstance(v, str) and (v.upper() in ids or
                                               v in accounts or
                                               re.search(r'\d{17}[\dX]', v)):
                        fail("%s/%s: a full ID number or bank account: %s"
                             % (book['name'], ws.title, v))


def check_bank(C, d):
    bank = C.R.layout['bank']
    path = os.path.join(d, bank['file'].replace('{month}', C.month))
    with open(path, 'rb') as f:
        data = f.read()
    if not data.startswith(b'\xef\xbb\xbf'):
        fail("bank: no UTF-8 byte-order mark")
    lines = data[3:].decode('utf-8').split('\r\n')
    if lines[-1] != '':
        fail("bank: the last line has no line end")
    lines = lines[:-1]
    cols = bank['columns']
    if lines[0].split(',') != [c['title'] for c in cols]:
        fail("bank: header %r" % lines[0])
    ids = employee_order(C, {}, bank.get('when'))
    body, trailer = lines[1:-1], lines[-1].split(',')
    if len(body) != len(ids):
        fail("bank: %d lines, expected %d" % (len(body), len(ids)))
    total = Fraction(0)
    for line, emp in zip(body, ids):
        fields = line.split(',')
        for k, col in enumerate(cols):
            want = C.expect(col, emp, None, C.L.rows[0][emp])
            if isinstance(want, Fraction):
                want = '%.2f' % want
                total += Fraction(fields[k])
            elif want and want.startswith("'"):
                want = want[1:]               # never escaped in the file
            if fields[k] != (want or ''):
                fail("bank %s col %d: expected %r, got %r" % (emp, k + 1,
                                                             want, fields[k]))
    net = sum((exact(C.L.rows[0][e][bank['when']]) for e in ids),
              Fraction(0))
    journal = -sum(f for a, f in C.L.entries if a.endswith('net wages'))
    for k, col in enumerate(cols):
        t = col.get('total')
        if t == 'count' and trailer[k] != str(len(ids)):
            fail("bank: count %r, expected %d" % (trailer[k], len(ids)))
        if t == 'true' and (Fraction(trailer[k]) != net or
                            Fraction(trailer[k]) != total or
                            Fraction(trailer[k]) * 100 != journal):
            fail("bank: total %r; net pay %s, lines %s, journal %s fen"
                 % (trailer[k], net, total, journal))
    if trailer[0] != C.words['total']:
        fail("bank: the last line starts with %r" % trailer[0])


def main(argv):
    rows_max = 1048576
    rules = 'rules/shanghai.yaml'
    bank = True
    args = []
    i = 1
    while i < len(argv):
        if argv[i] == '--rows':
            rows_max = int(argv[i + 1])
            i += 2
        elif argv[i] == '--no-bank':
            bank = False
            i += 1
        elif argv[i] == '--rules':
            rules = argv[i + 1]
            i += 2
        else:
            args.append(argv[i])
            i += 1
    db, month, d, inputs = args
    R = Rules(rules)
    C = Check(Ledger(db, month), Inputs(inputs, month, R), R, month,
              rows_max)
    for book in R.layout['workbooks']:
        check_book(C, d, book)
    if bank:
        check_bank(C, d)
    if problems:
        print("%d problems" % len(problems))
        return 1
    print("ok: %s: %d employees, %d agencies: every cell as the ledger, the "
          "inputs and the layout say" % (month, len(C.L.rows[0]),
                                         len(C.L.rows[1])))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
