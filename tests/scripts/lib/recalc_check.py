#!/usr/bin/python3
"""recalc_check.py -- every formula, recalculated by another program, gives
the value paysettle stored with it, to the fen.

    /usr/bin/python3 tests/scripts/lib/recalc_check.py ORIGINAL RECALCULATED

ORIGINAL is a workbook as paysettle wrote it (formulas with their stored
values); RECALCULATED the same workbook after a spreadsheet application
opened it, recalculated every formula and saved it (LibreOffice with
"recalculate on load: always"). For every formula cell of ORIGINAL, the
recalculated value must round to the same fen as the stored one. Prints the
number of formulas compared; exits 1 on any difference or when there are
none to compare.
"""
import sys

import openpyxl


def main(orig, recalc):
    formulas = openpyxl.load_workbook(orig)
    stored = openpyxl.load_workbook(orig, data_only=True)
    again = openpyxl.load_workbook(recalc, data_only=True)
    compared, bad = 0, 0
    for ws in formulas.worksheets:
        if ws.title not in again.sheetnames:
            print("FAIL: %s: sheet %s is missing after recalculation"
                  % (orig, ws.title))
            return 1
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != 'f':
                    continue
                a = stored[ws.title][cell.coordinate].value
                b = again[ws.title][cell.coordinate].value
                compared += 1
                if not isinstance(a, (int, float)) or \
                        not isinstance(b, (int, float)) or \
                        round(a * 100) != round(b * 100):
                    bad += 1
                    print("FAIL: %s %s!%s %s: stored %r, recalculated %r"
                          % (orig, ws.title, cell.coordinate, cell.value, a,
                             b))
    print("%s: %d formulas recalculated, %d differ" % (orig, compared, bad))
    return 1 if bad or not compared else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
