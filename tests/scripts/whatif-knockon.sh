#!/bin/sh
# What-if knock-on effects (the issue: "Raising one grade's base salary
# changes exactly the employees of that grade, by amounts worked by hand,
# including the knock-on effects: leave deductions, overtime, SI/HF when the
# declared base is the contract wage, tax, the union fee").
#
# A hand-made month 2026-11 of five employees; `whatif --set
# grade.base.5=5600` (grade 5 base 5,100 -> 5,600, scheme-shanghai.md §3)
# against the baseline computed under rules/shanghai.yaml (missing --db).
# Every figure below is worked from scheme-shanghai.md; R2 = round half away
# to 0.01, R0 = to 1 yuan. November 2026: Nov 1 is a Sunday, weekdays
# 2-6, 9-13, 16-20, 23-27, 30, no official day off: work_days = 21.
# std/21.75 is the day wage, std/21.75/8 = std/174 the hour wage.
#
# E01 grade 5 driver, hired 2005-06-01: 21 completed years at 2026-11-01
#   -> seniority 50 * 21 = 1,050. si_base empty (declared base = contract
#   wage), hf_rate 7, hf_supp_rate 5, sad 2,000. 2 personal + 0.5 absent
#   days, 10 workday + 4 rest-day overtime hours. Full month, ratio 1.
#   std       5100 + 800 + 1050 = 6,950   -> 5600 + 800 + 1050 = 7,450
#   contract  6950 + 1600 = 8,550          -> 7450 + 1600 = 9,050
#   base_salary      5100.00 -> 5600.00                          (+500.00)
#   leave_deduction  R2(6950 * 2.5 / 21.75) = R2(798.8505..) = 798.85
#                 -> R2(7450 * 2.5 / 21.75) = R2(856.3218..) = 856.32 (+57.47)
#   overtime_pay     weighted hours 1.5*10 + 2*4 = 23
#                    R2(6950 * 23 / 174) = R2(918.6781..) = 918.68
#                 -> R2(7450 * 23 / 174) = R2(984.7701..) = 984.77   (+66.09)
#   meal 25 * (21 - 2.5) = 462.50 (same); performance 1600 * 1 (same)
#   gross  6950 - 798.85 + 1600 + 918.68 + 462.50 = 9132.33
#       -> 7450 - 856.32 + 1600 + 984.77 + 462.50 = 9640.95       (+508.62)
#   (leave days -> no minimum-wage top-up on either side)
#   SI base = clamp(contract, 7546, 37731) = 8,550 -> 9,050 (+500):
#     ee_pension 8%   684.00 -> 724.00 (+40.00)
#     ee_medical 2%   171.00 -> 181.00 (+10.00)
#     ee_unemp 0.5%    42.75 ->  45.25 (+2.50)
#     er_pension 16% 1368.00 -> 1448.00 (+80.00)
#     er_medical 9%   769.50 -> 814.50 (+45.00)
#     er_unemp 0.5%    42.75 ->  45.25 (+2.50)
#     er_injury 0.2%   17.10 ->  18.10 (+1.00)
#     ee_si 684 + 171 + 42.75 = 897.75 -> 724 + 181 + 45.25 = 950.25 (+52.50)
#     er_si 1368 + 769.50 + 42.75 + 17.10 = 2197.35
#        -> 1448 + 814.50 + 45.25 + 18.10 = 2325.85               (+128.50)
#   HF base 8,550 -> 9,050: ee_hf = er_hf = R0(8550 * 7%) = R0(598.5) = 599
#     -> R0(9050 * 7%) = R0(633.5) = 634 (+35); supplementary 5%:
#     R0(427.5) = 428 -> R0(452.5) = 453 (+25)
#   iit, cumulative: ytd-opening.csv gives E01 10 months, income 120,600,
#     special 15,000, sad 20,000, tax withheld 1,068 (= 3% of
#     120600 - 50000 - 15000 - 20000 = 35,600). November, months 11:
#     base: 120600 + 9132.33 - 5000*11 - (15000 + 897.75 + 599 + 428)
#           - (20000 + 2000) = 35807.58 -> 3% = 1074.2274
#           iit = R2(1074.2274 - 1068) = 6.23
#     scen: 120600 + 9640.95 - 55000 - (15000 + 950.25 + 634 + 453) - 22000
#           = 36203.70 (over 36,000: 10% - 2,520) = 1100.37
#           iit = R2(1100.37 - 1068) = 32.37                      (+26.14)
#   net_pay 9132.33 - 897.75 - 599 - 428 - 6.23 = 7201.35
#        -> 9640.95 - 950.25 - 634 - 453 - 32.37 = 7571.33         (+369.98)
#   union_fee R2(9132.33 * 2%) = R2(182.6466) = 182.65
#          -> R2(9640.95 * 2%) = R2(192.819) = 192.82              (+10.17)
#   welfare = union + 25 liability + 30 training = 237.65 -> 247.82 (+10.17)
#   employer_cost +508.62 + 128.50 + 35 + 25 + 10.17 = +707.29
#
# E02 grade 5 cleaning, hired 2024-12-15: 1 year -> seniority 50; si_base
#   10,000.00 given (SI and HF must not change), excellent (1.2), no leave.
#   gross 5100 + 300 + 50 + 1600*1.2 + 25*21 = 7895.00 -> 8395.00 (+500.00)
#   SI 10000: ee_si 800 + 200 + 50 = 1050; ee_hf R0(700) = 700 (both sides)
#   minimum-wage test 7895 - 525 - 1050 - 700 = 5620 > 2740: no top-up
#   iit, no history (months 1): 7895 - 5000 - 1750 = 1145 -> 3% = 34.35
#     -> 8395 - 5000 - 1750 = 1645 -> 49.35                      (+15.00)
#   net 7895 - 1050 - 700 - 34.35 = 6110.65 -> 6595.65            (+485.00)
#   union 157.90 -> 167.90 (+10.00); welfare 212.90 -> 222.90 (+10.00)
#   employer_cost +500 + 10 = +510.00
#
# E03 grade 5 cleaning, hired 2026-11-16 (0 years, sick 60%), si_base empty,
#   1 sick day. sched_days 16-20, 23-27, 30 = 11; ratio 11/21.
#   std 5100 + 300 = 5,400 -> 5,900; contract 7,000 -> 7,500
#   base_salary R2(5100 * 11/21) = R2(2671.428..) = 2671.43
#            -> R2(5600 * 11/21) = R2(2933.333..) = 2933.33       (+261.90)
#   post R2(300 * 11/21) = 157.14; perf R2(1600 * 11/21) = 838.10;
#   meal 25 * (11 - 1) = 250.00 (all the same)
#   sick_deduction 1 * (std/21.75 - max(std/21.75 * 60%, 2740 * 0.8/21.75))
#     = std * 0.4 / 21.75 (the floor 100.78 is below 60% of the day wage):
#     R2(2160/21.75) = R2(99.3103..) = 99.31
#     -> R2(2360/21.75) = R2(108.5057..) = 108.51                 (+9.20)
#   gross 2671.43 + 157.14 - 99.31 + 838.10 + 250 = 3817.36
#      -> 2933.33 + 157.14 - 108.51 + 838.10 + 250 = 4070.06      (+252.70)
#   SI: clamp(7000) = clamp(7500) = 7,546 (the lower limit): SI unchanged,
#     ee_si 603.68 + 150.92 + 37.73 = 792.33
#   HF base 7,000 -> 7,500: R0(490) = 490 -> R0(525) = 525        (+35.00)
#   iit: 3817.36 - 5000 < 0 -> 0 on both sides (unchanged)
#   net 3817.36 - 792.33 - 490 = 2535.03 -> 4070.06 - 792.33 - 525 = 2752.73
#                                                                  (+217.70)
#   union R2(76.3472) = 76.35 -> R2(81.4012) = 81.40 (+5.05); welfare
#   76.35 + 25 + R2(30 * 11/21) = 15.71 -> 117.06 -> 122.11 (+5.05)
#   employer_cost +252.70 + 35 + 5.05 = +292.75
#
# E04 (grade 3, leave and overtime) and E05 (grade 4): nothing changes.
# District: gross +508.62 + 500 + 252.70 = +1261.32; pass-through =
# settlement total +707.29 + 510 + 292.75 = +1510.04; the fee is unchanged.
set -eu
PS=$1
TMP=$2
VG=${PAYSETTLE_VG:-}
fail() { echo "whatif-knockon.sh: $*"; exit 1; }

IN=$TMP/in
mkdir -p "$IN/2026-11"
cat >"$IN/agencies.csv" <<'EOF'
code,name,positions
A01,区委办公室,3
A02,区政府办公室,2
EOF
cat >"$IN/2026-11/roster.csv" <<'EOF'
employee_id,name,id_number,bank_account,agency,post,grade,hire_date,leave_date,service_start,si_base,hf_rate,hf_supp_rate,sad_monthly,hot_work
E01,张伟,310104198503121008,622202100000000001,A01,driver,5,2005-06-01,,,,7,5,2000,
E02,王芳,310104199007251019,622202100000000002,A01,cleaning,5,2024-12-15,,,10000.00,,,,
E03,李娜,31010419830417107X,622202100000000003,A01,cleaning,5,2026-11-16,,,,,,,
E04,刘洋,310104199212031082,622202100000000004,A02,driver,3,2016-06-01,,,,,,,
E05,陈静,310104197609091092,622202100000000005,A02,security,4,2020-01-01,,,,,,,
EOF
cat >"$IN/2026-11/attendance.csv" <<'EOF'
employee_id,personal_leave_days,sick_leave_days,absent_days,ot_workday_hours,ot_restday_hours,ot_holiday_hours,assessment
E01,2,,0.5,10,4,,
E02,,,,,,,excellent
E03,,1,,,,,
E04,1,,,6,,,
E05,,,,,,,
EOF
cat >"$IN/ytd-opening.csv" <<'EOF'
employee_id,year,months,income,special_deductions,sad,tax_withheld
E01,2026,10,120600.00,15000.00,20000.00,1068.00
EOF

$VG "$PS" whatif 2026-11 --inputs "$IN" --set grade.base.5=5600 --name g5 \
  --out "$TMP/o" --db "$TMP/none.db" >"$TMP/out.txt" 2>"$TMP/err.txt" ||
  fail "whatif failed: $(cat "$TMP/err.txt")"
CSV=$TMP/o/whatif-g5/employees.csv
[ -f "$CSV" ] || fail "no $CSV"

# The rows that must be there: employee,item,baseline,scenario,difference
# (the figures of the comment above).
cat >"$TMP/want" <<'EOF'
E01,base_salary,5100.00,5600.00,500.00
E01,leave_deduction,798.85,856.32,57.47
E01,overtime_pay,918.68,984.77,66.09
E01,gross,9132.33,9640.95,508.62
E01,ee_pension,684.00,724.00,40.00
E01,ee_medical,171.00,181.00,10.00
E01,ee_unemployment,42.75,45.25,2.50
E01,er_pension,1368.00,1448.00,80.00
E01,er_medical,769.50,814.50,45.00
E01,er_unemployment,42.75,45.25,2.50
E01,er_injury,17.10,18.10,1.00
E01,ee_si,897.75,950.25,52.50
E01,er_si,2197.35,2325.85,128.50
E01,ee_hf,599.00,634.00,35.00
E01,er_hf,599.00,634.00,35.00
E01,ee_hf_supp,428.00,453.00,25.00
E01,er_hf_supp,428.00,453.00,25.00
E01,iit,6.23,32.37,26.14
E01,net_pay,7201.35,7571.33,369.98
E01,union_fee,182.65,192.82,10.17
E02,base_salary,5100.00,5600.00,500.00
E02,gross,7895.00,8395.00,500.00
E02,iit,34.35,49.35,15.00
E02,net_pay,6110.65,6595.65,485.00
E02,union_fee,157.90,167.90,10.00
E03,base_salary,2671.43,2933.33,261.90
E03,sick_deduction,99.31,108.51,9.20
E03,gross,3817.36,4070.06,252.70
E03,ee_hf,490.00,525.00,35.00
E03,er_hf,490.00,525.00,35.00
E03,net_pay,2535.03,2752.73,217.70
E03,union_fee,76.35,81.40,5.05
EOF
# Rows that may be listed too (amount-like intermediate figures and sums),
# but only with these hand-worked values.
cat >"$TMP/may" <<'EOF'
E01,leave_deduction_full,798.85,856.32,57.47
E01,welfare,237.65,247.82,10.17
E02,welfare,212.90,222.90,10.00
E03,sick_deduction_full,99.31,108.51,9.20
E03,welfare,117.06,122.11,5.05
EOF
awk -F, 'NR > 1 { print $1 "," $3 "," $4 "," $5 "," $6 }' "$CSV" >"$TMP/got"
while IFS= read -r row; do
  grep -Fxq -- "$row" "$TMP/got" ||
    fail "missing or different: $row; got: $(grep -F "${row%%,*},$(echo "$row" | cut -d, -f2)," "$TMP/got" || echo none)"
done <"$TMP/want"
while IFS= read -r row; do
  grep -Fxq -- "$row" "$TMP/want" || grep -Fxq -- "$row" "$TMP/may" ||
    fail "unexpected change: $row"
done <"$TMP/got"
# only grade 5, only agency A01
awk -F, 'NR > 1 && $2 != "A01" { exit 1 }' "$CSV" || fail "a non-A01 row"
awk -F, 'NR > 1 && $1 != "A01" { exit 1 }' "$TMP/o/whatif-g5/agencies.csv" ||
  fail "agency A02 (grades 3 and 4 only) changed"
grep -q "employees affected: 3 of 5" "$TMP/out.txt" ||
  fail "summary: $(cat "$TMP/out.txt")"
# employer_cost (not an amount column of employees.csv): the summary ranks
# by it: E01 +707.29, E02 +510.00, E03 +292.75 (see above)
grep -q "largest changes of employer_cost: E01 +707.29 E02 +510.00 E03 +292.75\$" \
  "$TMP/out.txt" || fail "employer_cost changes: $(cat "$TMP/out.txt")"
awk -F, '
  $1 == "district_gross"            && $4 != "1261.32" { print; bad = 1 }
  $1 == "district_pass_through"     && $4 != "1510.04" { print; bad = 1 }
  $1 == "district_settlement_total" && $4 != "1510.04" { print; bad = 1 }
  $1 == "district_fee"              && $4 != "0.00"    { print; bad = 1 }
  END { exit bad }' "$TMP/o/whatif-g5/totals.csv" >"$TMP/bad" ||
  fail "district totals: $(cat "$TMP/bad")"

# The bases (facts, not in employees.csv) under the scenario, from calc with
# the same --set: E01 declared = SI = HF base 9,050 and months 11,
# cum_taxable 36,203.70; E02 10,000 (given); E03 declared and HF 7,500,
# SI 7,546 (lower limit).
$VG "$PS" calc 2026-11 --inputs "$IN" --set grade.base.5=5600 \
  --format lines >"$TMP/lines" 2>"$TMP/err.txt" ||
  fail "calc --set failed: $(cat "$TMP/err.txt")"
while read -r who item want; do
  got=$(awk -v w="$who" -v i="$item" '$1 == w && $2 == i { print $3 }' \
    "$TMP/lines")
  awk -v g="$got" -v w="$want" 'BEGIN { exit !(g != "" && g + 0 == w + 0) }' ||
    fail "calc --set: $who $item '$got', want $want"
done <<'EOF'
E01 declared_base 9050
E01 si_base 9050
E01 hf_base 9050
E01 months_this_year 11
E01 cum_taxable 36203.70
E02 declared_base 10000
E02 si_base 10000
E02 hf_base 10000
E03 declared_base 7500
E03 si_base 7546
E03 hf_base 7500
EOF
echo "whatif-knockon.sh: grade-5 raise: $(wc -l <"$TMP/want") hand-worked changes of E01-E03, nothing else"
