/*
** gendistrict.c -- deterministic sample data for paysettle.
**
** Writes the monthly input files of the input contract (spec/inputs.md)
** for a Shanghai district's outsourced service staff (区级机关工勤雇员)
** working in 33 agencies: DIR/agencies.csv and, for every month of the
** range, DIR/YYYY-MM/{roster,attendance,adjustments,satisfaction}.csv.
**
**   gendistrict --out DIR [--employees N] [--from YYYY-MM] [--to YYYY-MM]
**               [--seed S]
**
** Everything is a pure function of (seed, N): the people, their joining
** and leaving over the whole 2025-2026 calendar, and each month's
** attendance and adjustments. A one-month run therefore writes the same
** files as that month of a longer run, and the same arguments always give
** byte-identical output. A person's roster row is the same every month,
** except leave_date, which appears in the month of leaving only (it is
** not known earlier); joiners of a month replace the previous month's
** leavers in the same agency and post. Employee numbers, resident ID
** numbers and bank accounts are unique by construction (keyed
** permutations of the employee index), so the tool streams: memory does
** not grow with N beyond the short list of joiners, and N = 1,000,000
** takes seconds.
**
** Standalone on purpose: libc only, no engine code, no floating point
** (money is integer fen, days and hours are integer halves).
*/
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- named constants ------------------------------------------------ */

enum {
  CAL_FIRST_YEAR = 2025,       /* the calendar covers 2025 and 2026 */
  CAL_MONTHS = 24,
  N_AGENCIES = 33,
  DEFAULT_EMPLOYEES = 1000,
  MAX_EMPLOYEES = 10000000,
  DEFAULT_MONTH = 22,          /* 2026-11 */
  ID_MIN_WIDTH = 4,            /* E0001 */
  PPM = 1000000,
  LEAVE_PPM = 5000,            /* chance of leaving in a given month */
  FIRST_HIRE_YEAR = 2005,
  TRANSFER_YEAR = 2017,        /* 2016年底转隶 → hired 2017-01-01 */
  TRANSFER_PCT = 25,
  OLDEST_AGE = 58,             /* ages 22-58 on 2026-01-01 */
  YOUNGEST_AGE = 22,
  AGE_ANCHOR_YEAR = 2026,
  ADULT_DAYS = 6575,           /* 18 years */
  ID_SEQ_COUNT = 999,          /* sequence 001-999 */
  FEISTEL_ROUNDS = 4,
  BANK_BODY_DIGITS = 9,
  OUT_BUF = 1 << 20,
  PATH_BUF = 4096,
  NAME_BUF = 32,
  BANK_BUF = 24,
  FEN_PER_YUAN = 100
};

#define DEFAULT_SEED UINT64_C(20261101)
#define GOLDEN UINT64_C(0x9e3779b97f4a7c15)
#define NO_DATE INT32_MAX
#define NO_MONTH INT_MIN

/* PRNG stream tags: each kind of decision draws from its own stream. */
enum tag {
  TAG_PERSON = 1, TAG_JOB, TAG_LEAVE, TAG_DATES, TAG_CONTRIB, TAG_ATT,
  TAG_ADJ, TAG_ANNUAL, TAG_SPECIAL, TAG_SATISF, TAG_POS, TAG_PERM
};

/* ---- fixed data ------------------------------------------------------ */

/* Official days off and make-up working days (国务院办公厅 notices). */
struct span { int32_t from, to; };           /* yyyymmdd, inclusive */

static const struct span OFF_DAYS[] = {
  {20250101, 20250101}, {20250128, 20250204}, {20250404, 20250406},
  {20250501, 20250505}, {20250531, 20250602}, {20251001, 20251008},
  {20260101, 20260103}, {20260215, 20260223}, {20260404, 20260406},
  {20260501, 20260505}, {20260619, 20260621}, {20260925, 20260927},
  {20261001, 20261007}
};

static const int32_t MAKEUP_DAYS[] = {
  20250126, 20250208, 20250427, 20250928, 20251011,
  20260104, 20260214, 20260228, 20260509, 20260920, 20261010
};

/* Working days per month, checked against the lists above at startup. */
static const int EXPECTED_WORK_DAYS[CAL_MONTHS] = {
  19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23,
  21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23
};

/* The 33 agencies; weight = relative headcount. */
struct agency_def { const char *name; int weight; };

static const struct agency_def AGENCIES[N_AGENCIES] = {
  {"区委办公室", 50}, {"区政府办公室", 55},
  {"区人大常委会办公室", 30}, {"区政协办公室", 28},
  {"区纪委监委机关", 30}, {"区委组织部", 25},
  {"区委宣传部", 20}, {"区委统战部", 15},
  {"区委政法委员会", 18}, {"区发展和改革委员会", 28},
  {"区教育局", 40}, {"区科学技术委员会", 22},
  {"区财政局", 32}, {"区人力资源和社会保障局", 35},
  {"区民政局", 30}, {"区司法局", 25},
  {"区规划和自然资源局", 28}, {"区生态环境局", 22},
  {"区建设和管理委员会", 35}, {"区住房保障和房屋管理局", 28},
  {"区绿化和市容管理局", 30}, {"区商务委员会", 22},
  {"区文化和旅游局", 25}, {"区卫生健康委员会", 38},
  {"区退役军人事务局", 15}, {"区应急管理局", 20},
  {"区审计局", 18}, {"区市场监督管理局", 35},
  {"区统计局", 12}, {"区医疗保障局", 15},
  {"区机关事务管理局", 150}, {"区信访办公室", 20},
  {"区体育局", 18}
};

enum post {
  P_DRIVER, P_CATERING, P_CONFERENCE, P_CLEANING, P_SECURITY, P_GENERAL,
  N_POSTS
};

static const char *const POST_CODE[N_POSTS] = {
  "driver", "catering", "conference", "cleaning", "security", "general"
};
static const char *const POST_ZH[N_POSTS] = {
  "驾驶员", "餐饮", "会务", "保洁", "保安", "综合"
};
static const int POST_WEIGHT[N_POSTS] = {28, 22, 12, 14, 14, 10};
static const int POST_HOT_PCT[N_POSTS] = {70, 50, 5, 60, 90, 5};
static const int OT_WORK_PCT[N_POSTS] = {50, 35, 35, 15, 30, 15};
static const int OT_REST_PCT[N_POSTS] = {30, 15, 20, 8, 20, 8};
static const int OT_HOLI_PCT[N_POSTS] = {12, 10, 8, 4, 12, 3};

enum { N_GRADES = 5 };
static const int GRADE_WEIGHT[N_GRADES] = {15, 30, 30, 17, 8};
static const int JOINER_GRADE_WEIGHT[N_GRADES] = {50, 35, 15, 0, 0};

/* Shanghai district codes: 黄浦 徐汇 长宁 静安 普陀 虹口 杨浦 闵行 宝山
** 嘉定 浦东 金山 松江 青浦 奉贤 崇明. */
static const char *const REGIONS[] = {
  "310101", "310104", "310105", "310106", "310107", "310109", "310110",
  "310112", "310113", "310114", "310115", "310116", "310117", "310118",
  "310120", "310151"
};
enum { N_REGIONS = sizeof REGIONS / sizeof REGIONS[0] };

/* Family names, most common first (picked with a bias to the front). */
static const char *const FAMILY[] = {
  "王", "李", "张", "陈", "刘", "徐", "朱", "沈", "陆", "顾",
  "杨", "黄", "周", "吴", "赵", "孙", "胡", "钱", "蒋", "金",
  "姚", "郁", "费", "曹", "马", "郭", "何", "高", "林", "罗",
  "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "彭",
  "曾", "肖", "田", "董", "袁", "潘", "于", "蔡", "余", "杜",
  "叶", "程", "苏", "魏", "吕", "丁", "任", "卢", "姜", "崔",
  "钟", "谭", "汪", "范", "石", "廖", "贾", "夏", "韦", "方",
  "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "严",
  "雷", "侯", "龙", "史", "陶", "贺", "毛", "龚", "邵", "万",
  "戴", "孔", "汤", "瞿", "欧阳", "诸葛"
};
enum { N_FAMILY = sizeof FAMILY / sizeof FAMILY[0] };

static const char *const GIVEN_M[] = {
  "伟", "强", "军", "勇", "杰", "磊", "涛", "斌", "明", "刚",
  "健", "毅", "超", "峰", "辉", "鑫", "亮", "平", "建国", "建华",
  "国强", "志强", "志明", "海峰", "卫东", "卫国", "德明",
  "俊杰", "浩然", "文博", "永明", "金龙", "鹏飞", "忠良",
  "海涛", "立新", "国庆", "建军", "振华", "家豪", "伟民",
  "晓东", "春雷", "明辉", "志刚", "文杰", "勇军", "永强",
  "振宇", "嘉伟", "天宇", "宏伟", "建平", "国平", "志伟",
  "俊峰", "晓峰", "红兵", "学军"
};
static const char *const GIVEN_F[] = {
  "芳", "丽", "敏", "静", "燕", "娟", "霞", "红", "艳", "萍",
  "玲", "慧", "婷", "雪", "琳", "倩", "颖", "蓉", "洁", "莉",
  "美华", "秀英", "桂英", "丽华", "晓燕", "海燕", "红梅",
  "雅琴", "丽娟", "凤英", "玉兰", "秀兰", "文静", "佳怡",
  "欣怡", "雨婷", "思琪", "梦瑶", "晓红", "春梅", "美玲",
  "丽萍", "玉珍", "惠芳", "雪梅", "晓丽", "金凤", "敏华",
  "莉莉", "静怡", "丹丹", "海霞", "建英", "秀珍", "月华",
  "慧敏", "佩琪", "婉婷", "晶晶", "亚萍"
};
enum {
  N_GIVEN_M = sizeof GIVEN_M / sizeof GIVEN_M[0],
  N_GIVEN_F = sizeof GIVEN_F / sizeof GIVEN_F[0]
};

/* Card prefixes (ICBC, CCB, ABC, BOC, BOCOM, CMB) and lengths. */
struct bank_def { const char *prefix; int len; int weight; };
static const struct bank_def BANKS[] = {
  {"622202", 19, 30}, {"621700", 19, 20}, {"622848", 19, 15},
  {"621661", 19, 10}, {"622262", 19, 10}, {"622588", 16, 15}
};
enum { N_BANKS = sizeof BANKS / sizeof BANKS[0] };

/* Typical monthly special additional deductions (yuan). */
static const int SAD_VALUES[] = {
  400, 1000, 1500, 2000, 2000, 2000, 2500, 3000, 3000, 3500,
  4000, 4000, 4500, 5000, 6000
};
enum { N_SAD = sizeof SAD_VALUES / sizeof SAD_VALUES[0] };

/* GB 11643-1999 check digit. */
static const int ID_WEIGHTS[17] = {
  7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
};
static const char ID_CHECK[] = "10X98765432";

enum assess { AS_EMPTY, AS_EXCELLENT, AS_PASS, AS_BASIC, AS_FAIL, N_AS };
static const char *const ASSESS_EN[N_AS] = {
  "", "excellent", "pass", "basic", "fail"
};
static const char *const ASSESS_ZH[N_AS] = {
  "", "优秀", "合格", "基本合格", "不合格"
};
/* per mille: empty, excellent, pass, basic, fail */
static const int ASSESS_WEIGHT[N_AS] = {400, 90, 450, 50, 10};

enum item {
  IT_BONUS, IT_BACK_PAY, IT_ALLOWANCE, IT_DEDUCTION, IT_REIMB, IT_ANNUAL,
  N_ITEMS
};
static const char *const ITEM_CODE[N_ITEMS] = {
  "bonus", "back_pay", "allowance", "deduction", "reimbursement",
  "annual_bonus"
};
/* per mille of roster employees with a row of the item in a month */
static const int ITEM_PER_MILLE[N_ITEMS] = {40, 20, 60, 40, 50, 0};

enum { N_NOTES = 6 };
static const char *const NOTES[N_ITEMS - 1][N_NOTES] = {
  {"安全驾驶奖", "优质服务奖", "重大会议保障奖励", "季度考核奖",
   "节日值班奖励", ""},
  {"补发上月加班工资", "补发岗级调整差额", "补发上月餐费补贴",
   "补发工龄工资差额", "补发上月高温津贴", ""},
  {"夜班津贴", "通讯补贴", "交通补贴", "驻点补贴", "带班津贴", ""},
  {"食堂餐费", "工作服赔偿", "宿舍水电费", "借款扣回", "车辆违章罚款",
   ""},
  {"交通费报销", "体检费报销", "通讯费报销", "加油费报销", "停车费报销",
   ""}
};

/* Special rows, one each per month: edge cases for the engine. */
enum special {
  SP_SICK,          /* full month, heavy sick leave */
  SP_UNPAID,        /* full month, personal leave on every working day */
  SP_FORMULA,       /* a note starting with = or + */
  SP_COMMA,         /* a note with a comma (quoted field) */
  SP_QUOTE,         /* a note with double quotes */
  SP_NEWLINE,       /* a note with a line break */
  N_SPECIAL
};

/* ---- state ----------------------------------------------------------- */

typedef struct { uint64_t s; } rng_t;

/* Keyed bijection on [0, domain): Feistel network + cycle walking. */
struct perm { uint64_t domain, key; unsigned half; };

struct calendar {
  int32_t first[CAL_MONTHS + 1];      /* first day of month m */
  uint8_t cum[CAL_MONTHS][32];        /* working days on days 1..d */
  bool holiday[CAL_MONTHS];           /* has an official day off */
};

struct joiner { uint32_t leaver; int month; };

struct gen {
  uint64_t seed;
  uint32_t n;                         /* people employed on 2025-01-01 */
  uint32_t total;                     /* plus every joiner */
  int width;                          /* digits of the employee number */
  int from, to;                       /* month indexes, 0 = 2025-01 */
  const char *out;
  struct calendar cal;
  struct perm id_perm, bank_perm, agency_perm;
  int32_t birth_lo;
  uint64_t id_space;
  int32_t first_hire, transfer_day, last_base_day;
  uint32_t cut[N_AGENCIES + 1];       /* base headcount buckets */
  uint32_t positions[N_AGENCIES];
  struct joiner *joiners;
  uint32_t join_off[CAL_MONTHS + 1];  /* joiners of m: [off[m], off[m+1]) */
};

enum hot { HOT_EMPTY, HOT_Y, HOT_YES, HOT_SHI, HOT_N, HOT_FOU };
static const char *const HOT_TEXT[] = {"", "y", "yes", "是", "n", "否"};

struct emp {
  uint32_t idx;                       /* employee number - 1 */
  int32_t birth, hire, leave, service;
  int leave_month;
  int region, seq, agency, post, grade;
  int64_t si_base_fen;                /* -1: empty */
  int hf_rate, hf_supp, sad;          /* -1: empty */
  enum hot hot;
  bool post_zh, slash_dates;
  char name[NAME_BUF];
  char bank[BANK_BUF];
};

struct att {
  int personal, sick, absent;         /* half days */
  int ot_work, ot_rest, ot_holiday;   /* half hours */
  enum assess assess;
  bool zh, blank_zero;
};

struct out {
  FILE *f;
  char path[PATH_BUF];
  size_t n;
  char *buf;
};

struct month_run {
  int m;
  uint32_t pos;                       /* roster position */
  uint32_t target[N_SPECIAL];
  bool done[N_SPECIAL];
  uint32_t roster, joiners, leavers, adj_rows, annual;
  struct out *roster_o, *att_o, *adj_o;
};

/* ---- errors ---------------------------------------------------------- */

static _Noreturn void die(const char *msg, const char *arg)
{
  fprintf(stderr, "gendistrict: %s%s%s\n", msg, arg ? ": " : "",
          arg ? arg : "");
  exit(2);
}

static void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p) die("out of memory", NULL);
  return p;
}

/* ---- PRNG (splitmix64) ------------------------------------------------ */

static uint64_t mix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static uint64_t rng_next(rng_t *r)
{
  r->s += GOLDEN;
  return mix64(r->s);
}

static uint32_t rng_below(rng_t *r, uint32_t n)
{
  return (uint32_t)(rng_next(r) % n);
}

static int rng_range(rng_t *r, int lo, int hi)
{
  return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static bool rng_pct(rng_t *r, int pct)
{
  return (int)rng_below(r, 100) < pct;
}

static rng_t rng_for(const struct gen *g, enum tag t, uint64_t a,
                     uint64_t b)
{
  rng_t r;
  r.s = mix64(g->seed ^ mix64((uint64_t)t * GOLDEN ^ mix64(a)
                              ^ mix64(b + GOLDEN)));
  return r;
}

static int pick_weighted(rng_t *r, const int *w, int n)
{
  int sum = 0;
  for (int i = 0; i < n; i++) sum += w[i];
  int x = (int)rng_below(r, (uint32_t)sum);
  for (int i = 0; i < n; i++) {
    if (x < w[i]) return i;
    x -= w[i];
  }
  return n - 1;
}

/* ---- keyed permutation --------------------------------------------- */

static struct perm perm_make(uint64_t domain, uint64_t key)
{
  struct perm p = {domain, key, 1};
  while ((UINT64_C(1) << (2 * p.half)) < domain) p.half++;
  return p;
}

static uint64_t perm_round(const struct perm *p, uint64_t x)
{
  uint64_t mask = (UINT64_C(1) << p->half) - 1;
  uint64_t l = x >> p->half, r = x & mask;
  for (uint64_t i = 0; i < FEISTEL_ROUNDS; i++) {
    uint64_t t = l ^ (mix64(r ^ p->key ^ (i << 56)) & mask);
    l = r;
    r = t;
  }
  return l << p->half | r;
}

static uint64_t perm_apply(const struct perm *p, uint64_t x)
{
  do x = perm_round(p, x); while (x >= p->domain);
  return x;
}

/* ---- dates and the working-day calendar ------------------------------ */

static int32_t date_of(int y, int m, int d)
{
  int yy = y - (m <= 2);
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + doe - 719468);
}

static void ymd_of(int32_t date, int *y, int *m, int *d)
{
  int z = date + 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

static int32_t yyyymmdd(int32_t date)
{
  int y, m, d;
  ymd_of(date, &y, &m, &d);
  return y * 10000 + m * 100 + d;
}

static bool is_off_day(int32_t key)
{
  for (size_t i = 0; i < sizeof OFF_DAYS / sizeof OFF_DAYS[0]; i++)
    if (key >= OFF_DAYS[i].from && key <= OFF_DAYS[i].to) return true;
  return false;
}

static bool is_makeup_day(int32_t key)
{
  for (size_t i = 0; i < sizeof MAKEUP_DAYS / sizeof MAKEUP_DAYS[0]; i++)
    if (key == MAKEUP_DAYS[i]) return true;
  return false;
}

static bool is_working_day(int32_t date)
{
  int32_t key = yyyymmdd(date);
  int wday = (int)((date % 7 + 7 + 4) % 7);     /* 0 = Sunday */
  if (is_makeup_day(key)) return true;
  return wday != 0 && wday != 6 && !is_off_day(key);
}

static void cal_init(struct calendar *c)
{
  for (int m = 0; m <= CAL_MONTHS; m++)
    c->first[m] = date_of(CAL_FIRST_YEAR + m / 12, m % 12 + 1, 1);
  for (int m = 0; m < CAL_MONTHS; m++) {
    int dim = c->first[m + 1] - c->first[m];
    c->cum[m][0] = 0;
    c->holiday[m] = false;
    for (int d = 1; d <= dim; d++) {
      int32_t date = c->first[m] + d - 1;
      c->cum[m][d] = (uint8_t)(c->cum[m][d - 1] + is_working_day(date));
      c->holiday[m] = c->holiday[m] || is_off_day(yyyymmdd(date));
    }
    if (c->cum[m][dim] != EXPECTED_WORK_DAYS[m])
      die("calendar self-check failed (working days per month)", NULL);
  }
}

static int days_in_month(const struct calendar *c, int m)
{
  return c->first[m + 1] - c->first[m];
}

static int work_days(const struct calendar *c, int m)
{
  return c->cum[m][days_in_month(c, m)];
}

/* Working days of month m between hire and leave, both inclusive. */
static int sched_days(const struct calendar *c, int32_t hire,
                      int32_t leave, int m)
{
  int32_t lo = hire > c->first[m] ? hire : c->first[m];
  int32_t hi = c->first[m + 1] - 1;
  if (leave < hi) hi = leave;
  if (lo > hi) return 0;
  return c->cum[m][hi - c->first[m] + 1] - c->cum[m][lo - c->first[m]];
}

/* ---- buffered output --------------------------------------------------- */

static struct out *out_open(const char *dir, const char *name)
{
  struct out *o = xmalloc(sizeof *o);
  int len = snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
  if (len < 0 || (size_t)len >= sizeof o->path) die("path too long", dir);
  o->f = fopen(o->path, "wb");
  if (!o->f) die(strerror(errno), o->path);
  o->buf = xmalloc(OUT_BUF);
  o->n = 0;
  return o;
}

static void out_flush(struct out *o)
{
  if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n)
    die("write failed", o->path);
  o->n = 0;
}

static void out_close(struct out *o)
{
  out_flush(o);
  if (fclose(o->f) != 0) die("write failed", o->path);
  free(o->buf);
  free(o);
}

static void out_mem(struct out *o, const char *s, size_t len)
{
  if (o->n + len > OUT_BUF) out_flush(o);
  if (len > OUT_BUF) die("field too long", o->path);
  memcpy(o->buf + o->n, s, len);
  o->n += len;
}

static void out_str(struct out *o, const char *s)
{
  out_mem(o, s, strlen(s));
}

static void out_ch(struct out *o, char c)
{
  if (o->n == OUT_BUF) out_flush(o);
  o->buf[o->n++] = c;
}

/* A text field, quoted per RFC 4180 when it needs it. */
static void out_field(struct out *o, const char *s)
{
  if (!strpbrk(s, ",\"\r\n")) {
    out_str(o, s);
    return;
  }
  out_ch(o, '"');
  for (; *s; s++) {
    if (*s == '"') out_ch(o, '"');
    out_ch(o, *s);
  }
  out_ch(o, '"');
}

static void out_uint_pad(struct out *o, uint64_t v, int width)
{
  char tmp[24];
  int i = (int)sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while ((int)sizeof tmp - i < width) tmp[--i] = '0';
  out_mem(o, tmp + i, sizeof tmp - (size_t)i);
}

static void out_uint(struct out *o, uint64_t v)
{
  out_uint_pad(o, v, 1);
}

/* Integer fen as yuan with two decimals. */
static void out_fen(struct out *o, int64_t fen)
{
  out_uint(o, (uint64_t)(fen / FEN_PER_YUAN));
  out_ch(o, '.');
  out_uint_pad(o, (uint64_t)(fen % FEN_PER_YUAN), 2);
}

/* Hundredths with trailing zeros dropped: 9000 → 90, 9150 → 91.5. */
static void out_hundredths(struct out *o, int v)
{
  out_uint(o, (uint64_t)(v / 100));
  if (v % 100 == 0) return;
  out_ch(o, '.');
  if (v % 10 == 0) out_uint(o, (uint64_t)(v % 100 / 10));
  else out_uint_pad(o, (uint64_t)(v % 100), 2);
}

/* Half units (days, hours); zero is "0" or empty as the row prefers. */
static void out_half(struct out *o, int halves, bool blank_zero)
{
  if (halves == 0 && blank_zero) return;
  out_uint(o, (uint64_t)(halves / 2));
  if (halves % 2) out_str(o, ".5");
}

static void out_date(struct out *o, int32_t date, bool slash)
{
  int y, m, d;
  ymd_of(date, &y, &m, &d);
  out_uint(o, (uint64_t)y);
  out_ch(o, slash ? '/' : '-');
  out_uint_pad(o, (uint64_t)m, slash ? 1 : 2);
  out_ch(o, slash ? '/' : '-');
  out_uint_pad(o, (uint64_t)d, slash ? 1 : 2);
}

static void out_emp_id(struct out *o, const struct gen *g, uint32_t idx)
{
  out_ch(o, 'E');
  out_uint_pad(o, (uint64_t)idx + 1, g->width);
}

static void out_agency_code(struct out *o, int agency)
{
  out_ch(o, 'A');
  out_uint_pad(o, (uint64_t)agency + 1, 2);
}

/* ---- population ------------------------------------------------------ */

/* Calendar month in which base employee i leaves (-1 = December 2024,
** before any roster), or NO_MONTH. */
static int leave_month_of(const struct gen *g, uint32_t i)
{
  rng_t r = rng_for(g, TAG_LEAVE, i, 0);
  uint32_t u = rng_below(&r, PPM);
  if (u >= (uint32_t)LEAVE_PPM * (CAL_MONTHS + 1)) return NO_MONTH;
  return (int)(u / LEAVE_PPM) - 1;
}

static int agency_of_base(const struct gen *g, uint32_t i)
{
  uint64_t x = perm_apply(&g->agency_perm, i);
  int a = 0;
  while (a + 1 < N_AGENCIES && x >= g->cut[a + 1]) a++;
  return a;
}

/* Agency and post; a joiner takes the job of the leaver replaced. */
static void job_of(const struct gen *g, uint32_t idx, int *agency,
                   int *post)
{
  if (idx >= g->n) idx = g->joiners[idx - g->n].leaver;
  rng_t r = rng_for(g, TAG_JOB, idx, 0);
  *agency = agency_of_base(g, idx);
  *post = pick_weighted(&r, POST_WEIGHT, N_POSTS);
}

static void make_name(rng_t *r, bool male, char *buf)
{
  const char *const *given = male ? GIVEN_M : GIVEN_F;
  uint32_t ng = male ? N_GIVEN_M : N_GIVEN_F;
  uint32_t a = rng_below(r, N_FAMILY), b = rng_below(r, N_FAMILY);
  strcpy(buf, FAMILY[a < b ? a : b]);
  strcat(buf, given[rng_below(r, ng)]);
}

static void make_bank(const struct gen *g, rng_t *r, uint32_t idx,
                      char *buf)
{
  int w[N_BANKS];
  for (int i = 0; i < N_BANKS; i++) w[i] = BANKS[i].weight;
  const struct bank_def *b = &BANKS[pick_weighted(r, w, N_BANKS)];
  uint64_t body = perm_apply(&g->bank_perm, idx);
  int len = (int)strlen(b->prefix);
  int fill = b->len - 1 - len - BANK_BODY_DIGITS;
  memcpy(buf, b->prefix, (size_t)len);
  for (int i = 0; i < fill; i++) buf[len++] = (char)('0' + rng_below(r, 10));
  for (int i = BANK_BODY_DIGITS - 1; i >= 0; i--) {
    buf[len + i] = (char)('0' + body % 10);
    body /= 10;
  }
  len += BANK_BODY_DIGITS;
  int sum = 0;                                  /* Luhn check digit */
  for (int i = len - 1, dbl = 1; i >= 0; i--, dbl = !dbl) {
    int d = (buf[i] - '0') * (dbl ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  buf[len++] = (char)('0' + (10 - sum % 10) % 10);
  buf[len] = '\0';
}

/* Birth date, region and sequence come from a bijection of the employee
** index, so resident ID numbers are unique without any lookup. */
static void make_identity(const struct gen *g, struct emp *e)
{
  uint64_t x = perm_apply(&g->id_perm, e->idx);
  e->seq = (int)(x % ID_SEQ_COUNT) + 1;
  x /= ID_SEQ_COUNT;
  e->region = (int)(x % N_REGIONS);
  e->birth = g->birth_lo + (int32_t)(x / N_REGIONS);
  rng_t r = rng_for(g, TAG_PERSON, e->idx, 0);
  make_name(&r, e->seq % 2 == 1, e->name);
  make_bank(g, &r, e->idx, e->bank);
}

static int32_t rand_date(rng_t *r, int32_t lo, int32_t hi)
{
  return lo + (int32_t)rng_below(r, (uint32_t)(hi - lo + 1));
}

/* Continuous service elsewhere before hire_date, or NO_DATE. */
static int32_t earlier_service(rng_t *r, const struct emp *e, int years)
{
  int32_t adult = e->birth + ADULT_DAYS;
  int32_t lo = e->hire - years * 365, hi = e->hire - 30;
  if (lo < adult) lo = adult;
  return lo > hi ? NO_DATE : rand_date(r, lo, hi);
}

static void make_base_dates(const struct gen *g, struct emp *e, rng_t *r)
{
  int32_t lo = e->birth + ADULT_DAYS;
  if (lo < g->first_hire) lo = g->first_hire;
  e->service = NO_DATE;
  if (lo <= g->transfer_day && rng_pct(r, TRANSFER_PCT)) {
    e->hire = g->transfer_day;                  /* 转隶 at end of 2016 */
    e->service = earlier_service(r, e, 20);
  } else {
    e->hire = rand_date(r, lo, g->last_base_day);
    if (rng_pct(r, 12)) e->service = earlier_service(r, e, 10);
  }
  e->leave = NO_DATE;
  e->leave_month = leave_month_of(g, e->idx);
  if (e->leave_month >= 0) {
    int dim = days_in_month(&g->cal, e->leave_month);
    e->leave = g->cal.first[e->leave_month] + rng_range(r, 1, dim) - 1;
  }
}

static void make_joiner_dates(const struct gen *g, struct emp *e,
                              rng_t *r)
{
  int m = g->joiners[e->idx - g->n].month;
  e->hire = g->cal.first[m] + rng_range(r, 1, days_in_month(&g->cal, m))
            - 1;
  e->service = rng_pct(r, 15) ? earlier_service(r, e, 8) : NO_DATE;
  e->leave = NO_DATE;
  e->leave_month = NO_MONTH;
}

static void make_si_base(rng_t *r, struct emp *e)
{
  uint32_t u = rng_below(r, 1000);
  if (u < 820) e->si_base_fen = -1;
  else if (u < 960) e->si_base_fen = rng_range(r, 6000, 12000);
  else if (u < 995) e->si_base_fen = rng_range(r, 12000, 25000);
  else if (u < 998) e->si_base_fen = 40000;
  else e->si_base_fen = rng_range(r, 38000, 45000);
  if (e->si_base_fen > 0) e->si_base_fen *= FEN_PER_YUAN;
}

static void make_contrib(rng_t *r, struct emp *e)
{
  make_si_base(r, e);
  uint32_t u = rng_below(r, 100);
  e->hf_rate = u < 70 ? 7 : u < 82 ? -1 : u < 92 ? 5 : 6;
  u = rng_below(r, 100);
  e->hf_supp = u < 80 ? -1 : u < 85 ? 0 : rng_range(r, 1, 5);
  u = rng_below(r, 100);
  e->sad = u < 55 ? -1 : u < 60 ? 0 : SAD_VALUES[rng_below(r, N_SAD)];
  u = rng_below(r, 100);
  if (rng_pct(r, POST_HOT_PCT[e->post]))
    e->hot = u < 94 ? HOT_Y : u < 97 ? HOT_SHI : HOT_YES;
  else
    e->hot = u < 80 ? HOT_EMPTY : u < 98 ? HOT_N : HOT_FOU;
  e->post_zh = rng_pct(r, 8);
  e->slash_dates = rng_pct(r, 4);
}

static void make_emp(const struct gen *g, uint32_t idx, struct emp *e)
{
  e->idx = idx;
  make_identity(g, e);
  job_of(g, idx, &e->agency, &e->post);
  rng_t r = rng_for(g, TAG_DATES, idx, 0);
  bool joiner = idx >= g->n;
  if (joiner) make_joiner_dates(g, e, &r);
  else make_base_dates(g, e, &r);
  e->grade = 1 + pick_weighted(&r, joiner ? JOINER_GRADE_WEIGHT
                               : GRADE_WEIGHT, N_GRADES);
  rng_t c = rng_for(g, TAG_CONTRIB, idx, 0);
  make_contrib(&c, e);
}

/* Joiners of month m replace the leavers of month m - 1, same job. */
static void plan_joiners(struct gen *g)
{
  uint32_t count[CAL_MONTHS + 1] = {0};
  for (uint32_t i = 0; i < g->n; i++) {
    int l = leave_month_of(g, i);
    if (l != NO_MONTH && l + 1 < CAL_MONTHS) count[l + 1]++;
  }
  g->join_off[0] = 0;
  for (int m = 0; m < CAL_MONTHS; m++)
    g->join_off[m + 1] = g->join_off[m] + count[m];
  uint32_t total = g->join_off[CAL_MONTHS];
  g->joiners = xmalloc((size_t)total * sizeof *g->joiners);
  uint32_t fill[CAL_MONTHS];
  memcpy(fill, g->join_off, sizeof fill);
  for (uint32_t i = 0; i < g->n; i++) {
    int l = leave_month_of(g, i);
    if (l == NO_MONTH || l + 1 >= CAL_MONTHS) continue;
    g->joiners[fill[l + 1]++] = (struct joiner){i, l + 1};
  }
  g->total = g->n + total;
  g->width = ID_MIN_WIDTH;
  for (uint64_t lim = 10000; g->total >= lim; lim *= 10) g->width++;
}

/* ---- agencies ------------------------------------------------------- */

static void plan_agencies(struct gen *g)
{
  uint64_t sum = 0, acc = 0;
  for (int a = 0; a < N_AGENCIES; a++) sum += (uint64_t)AGENCIES[a].weight;
  for (int a = 0; a <= N_AGENCIES; a++) {
    g->cut[a] = (uint32_t)(g->n * acc / sum);
    if (a < N_AGENCIES) acc += (uint64_t)AGENCIES[a].weight;
  }
  for (int a = 0; a < N_AGENCIES; a++) {
    uint32_t head = g->cut[a + 1] - g->cut[a];
    rng_t r = rng_for(g, TAG_POS, (uint64_t)a, 0);
    uint32_t extra = 0;
    if (rng_below(&r, 3) == 0) {                /* some open posts */
      extra = head * (1 + rng_below(&r, 4)) / 100;
      if (extra < 1 + rng_below(&r, 2)) extra = 1 + rng_below(&r, 2);
    }
    g->positions[a] = head + extra > 0 ? head + extra : 1;
  }
}

static void write_agencies(const struct gen *g)
{
  struct out *o = out_open(g->out, "agencies.csv");
  out_str(o, "code,name,positions\n");
  for (int a = 0; a < N_AGENCIES; a++) {
    out_agency_code(o, a);
    out_ch(o, ',');
    out_field(o, AGENCIES[a].name);
    out_ch(o, ',');
    out_uint(o, g->positions[a]);
    out_ch(o, '\n');
  }
  out_close(o);
}

/* ---- roster ------------------------------------------------------------ */

static void out_id_number(struct out *o, const struct emp *e)
{
  char id[19];
  int y, m, d, sum = 0;
  ymd_of(e->birth, &y, &m, &d);
  snprintf(id, sizeof id, "%s%04d%02d%02d%03d", REGIONS[e->region], y, m,
           d, e->seq);
  for (int i = 0; i < 17; i++) sum += (id[i] - '0') * ID_WEIGHTS[i];
  id[17] = ID_CHECK[sum % 11];
  out_mem(o, id, 18);
}

static void out_opt_int(struct out *o, int v)
{
  if (v >= 0) out_uint(o, (uint64_t)v);
  out_ch(o, ',');
}

static void put_roster(struct out *o, const struct gen *g,
                       const struct emp *e, int m)
{
  out_emp_id(o, g, e->idx);
  out_ch(o, ',');
  out_field(o, e->name);
  out_ch(o, ',');
  out_id_number(o, e);
  out_ch(o, ',');
  out_str(o, e->bank);
  out_ch(o, ',');
  out_agency_code(o, e->agency);
  out_ch(o, ',');
  out_str(o, e->post_zh ? POST_ZH[e->post] : POST_CODE[e->post]);
  out_ch(o, ',');
  out_opt_int(o, e->grade);
  out_date(o, e->hire, e->slash_dates);
  out_ch(o, ',');
  if (e->leave_month == m) out_date(o, e->leave, e->slash_dates);
  out_ch(o, ',');
  if (e->service != NO_DATE) out_date(o, e->service, e->slash_dates);
  out_ch(o, ',');
  if (e->si_base_fen >= 0) out_uint(o, (uint64_t)e->si_base_fen / 100);
  out_ch(o, ',');
  out_opt_int(o, e->hf_rate);
  out_opt_int(o, e->hf_supp);
  out_opt_int(o, e->sad);
  out_str(o, HOT_TEXT[e->hot]);
  out_ch(o, '\n');
}

/* ---- attendance ------------------------------------------------------ */

static int min_int(int a, int b)
{
  return a < b ? a : b;
}

static void gen_leave(rng_t *r, struct att *a, int sched)
{
  int cap = 2 * sched;
  uint32_t u = rng_below(r, 1000);
  if (u < 70) a->personal = rng_range(r, 1, 6);
  else if (u < 80) a->personal = rng_range(r, 6, 20);
  u = rng_below(r, 1000);
  if (u < 70) a->sick = rng_range(r, 1, 10);
  else if (u < 80) a->sick = rng_range(r, 10, 30);
  if (rng_below(r, 1000) < 8) a->absent = 2 * rng_range(r, 1, 2);
  a->absent = min_int(a->absent, cap);
  a->sick = min_int(a->sick, cap - a->absent);
  a->personal = min_int(a->personal, cap - a->absent - a->sick);
}

static void gen_overtime(rng_t *r, struct att *a, int post, bool holiday)
{
  if (rng_pct(r, OT_WORK_PCT[post])) a->ot_work = rng_range(r, 1, 40);
  if (rng_pct(r, OT_REST_PCT[post])) {
    a->ot_rest = 2 * rng_range(r, 4, 16) + (rng_pct(r, 20) ? 1 : 0);
  }
  if (holiday && rng_pct(r, OT_HOLI_PCT[post]))
    a->ot_holiday = 2 * rng_range(r, 4, 24);
}

static void gen_assessment(rng_t *r, struct att *a)
{
  uint32_t u = rng_below(r, 1000);
  a->assess = (enum assess)pick_weighted(r, ASSESS_WEIGHT, N_AS);
  if (a->absent > 0 && u < 300) a->assess = AS_FAIL;
  a->zh = rng_pct(r, 12);
}

/* The month's two attendance edge cases go to full-month employees. */
static enum special att_special(struct month_run *mr, int sched, int wd)
{
  if (sched != wd) return N_SPECIAL;
  for (int k = SP_SICK; k <= SP_UNPAID; k++) {
    if (!mr->done[k] && mr->pos >= mr->target[k]) {
      mr->done[k] = true;
      return (enum special)k;
    }
  }
  return N_SPECIAL;
}

static void gen_att(const struct gen *g, struct month_run *mr,
                    const struct emp *e, int sched, struct att *a)
{
  rng_t r = rng_for(g, TAG_ATT, e->idx, (uint64_t)mr->m);
  memset(a, 0, sizeof *a);
  a->blank_zero = rng_pct(&r, 35);
  if (sched == 0) return;
  enum special sp = att_special(mr, sched, work_days(&g->cal, mr->m));
  if (sp == SP_SICK) {
    a->sick = 2 * (sched - rng_range(&r, 0, 2));
  } else if (sp == SP_UNPAID) {
    a->personal = 2 * sched;
  } else {
    gen_leave(&r, a, sched);
    if (a->personal + a->sick + a->absent < sched)
      gen_overtime(&r, a, e->post, g->cal.holiday[mr->m]);
  }
  gen_assessment(&r, a);
}

static void put_att(struct out *o, const struct gen *g, uint32_t idx,
                    const struct att *a)
{
  out_emp_id(o, g, idx);
  const int v[] = {
    a->personal, a->sick, a->absent, a->ot_work, a->ot_rest, a->ot_holiday
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    out_ch(o, ',');
    out_half(o, v[i], a->blank_zero);
  }
  out_ch(o, ',');
  out_str(o, (a->zh ? ASSESS_ZH : ASSESS_EN)[a->assess]);
  out_ch(o, '\n');
}

/* ---- adjustments ----------------------------------------------------- */

static int64_t item_amount(rng_t *r, enum item it)
{
  switch (it) {
  case IT_BONUS: return (int64_t)rng_range(r, 4, 40) * 5000;
  case IT_BACK_PAY: return rng_range(r, 5000, 150000);
  case IT_ALLOWANCE:
    if (rng_pct(r, 60)) return (int64_t)rng_range(r, 1, 10) * 5000;
    return rng_range(r, 2000, 80000);
  case IT_DEDUCTION: return rng_range(r, 1000, 40000);
  case IT_REIMB: return rng_range(r, 1000, 80000);
  default: return 0;
  }
}

static void put_adj(struct month_run *mr, const struct gen *g,
                    uint32_t idx, enum item it, int64_t fen,
                    const char *note)
{
  struct out *o = mr->adj_o;
  out_emp_id(o, g, idx);
  out_ch(o, ',');
  out_str(o, ITEM_CODE[it]);
  out_ch(o, ',');
  out_fen(o, fen);
  out_ch(o, ',');
  out_field(o, note);
  out_ch(o, '\n');
  mr->adj_rows++;
  if (it == IT_ANNUAL) mr->annual++;
}

/* At most one annual bonus per employee per tax year: the month (January,
** February or none) is decided once per (employee, year). */
static void gen_annual(const struct gen *g, struct month_run *mr,
                       const struct emp *e)
{
  int year = CAL_FIRST_YEAR + mr->m / 12, mon = mr->m % 12 + 1;
  if (mon > 2 || e->hire >= date_of(year, 1, 1)) return;
  rng_t r = rng_for(g, TAG_ANNUAL, e->idx, (uint64_t)year);
  uint32_t u = rng_below(&r, 100);
  int when = u < 55 ? 1 : u < 65 ? 2 : 0;
  if (when != mon) return;
  int64_t fen;
  u = rng_below(&r, 1000);
  if (u < 5) fen = 3600000;                     /* B / 12 = 3,000 */
  else if (u < 15) fen = (int64_t)rng_range(&r, 400, 800) * 10000;
  else fen = (int64_t)(e->grade * 20 + rng_range(&r, 10, 60)) * 10000;
  if (rng_pct(&r, 5)) fen += rng_range(&r, 1, 9999);
  char note[64];
  snprintf(note, sizeof note, "%d年度年终奖", year - 1);
  put_adj(mr, g, e->idx, IT_ANNUAL, fen, note);
}

static void gen_special_adj(const struct gen *g, struct month_run *mr,
                            const struct emp *e)
{
  for (int k = SP_FORMULA; k < N_SPECIAL; k++) {
    if (mr->done[k] || mr->pos < mr->target[k]) continue;
    mr->done[k] = true;
    rng_t r = rng_for(g, TAG_SPECIAL, e->idx, (uint64_t)mr->m);
    if (k == SP_FORMULA)
      put_adj(mr, g, e->idx, IT_ALLOWANCE, 30000,
              mr->m % 2 ? "+300 临时驻点补贴" : "=2*150 两次夜班补贴");
    else if (k == SP_COMMA)
      put_adj(mr, g, e->idx, IT_BACK_PAY, item_amount(&r, IT_BACK_PAY),
              "补发上月工资差额, 经用人单位确认");
    else if (k == SP_QUOTE)
      put_adj(mr, g, e->idx, IT_BONUS, item_amount(&r, IT_BONUS),
              "按\"一岗双责\"考核奖励");
    else
      put_adj(mr, g, e->idx, IT_REIMB, item_amount(&r, IT_REIMB),
              "交通费报销\n含停车费");
    return;
  }
}

static void gen_adjustments(const struct gen *g, struct month_run *mr,
                            const struct emp *e)
{
  rng_t r = rng_for(g, TAG_ADJ, e->idx, (uint64_t)mr->m);
  for (int it = 0; it < IT_ANNUAL; it++) {
    if ((int)rng_below(&r, 1000) >= ITEM_PER_MILLE[it]) continue;
    int rows = rng_pct(&r, 20) ? 2 : 1;
    for (int k = 0; k < rows; k++) {
      int64_t fen = item_amount(&r, (enum item)it);
      const char *note = NOTES[it][rng_below(&r, N_NOTES)];
      put_adj(mr, g, e->idx, (enum item)it, fen, note);
    }
  }
  gen_annual(g, mr, e);
  gen_special_adj(g, mr, e);
}

/* ---- satisfaction ---------------------------------------------------- */

static int score_in(rng_t *r, int lo, int hi)
{
  int v = rng_range(r, lo, hi);
  uint32_t u = rng_below(r, 10);
  if (u < 3) v -= v % 100;                      /* whole points */
  else if (u < 7) v -= v % 10;                  /* one decimal */
  return v < lo ? lo : v;
}

static void satisfaction_scores(const struct gen *g, int m, int *score)
{
  rng_t r = rng_for(g, TAG_SATISF, (uint64_t)m, 0);
  int order[N_AGENCIES];
  for (int a = 0; a < N_AGENCIES; a++) order[a] = a;
  for (int a = N_AGENCIES - 1; a > 0; a--) {
    int b = (int)rng_below(&r, (uint32_t)a + 1), t = order[a];
    order[a] = order[b];
    order[b] = t;
  }
  static const int BOUNDARY[] = {9000, 8999, 8000, 7999};
  bool edge = m % 3 == 0;                       /* Jan, Apr, Jul, Oct */
  int omit = rng_range(&r, 2, 3), i = 0;
  for (; i < omit; i++) score[order[i]] = -1;
  for (int k = 0; edge && k < 4; k++) score[order[i++]] = BOUNDARY[k];
  for (int k = rng_range(&r, edge ? 0 : 1, edge ? 1 : 2); k > 0; k--)
    score[order[i++]] = score_in(&r, 6500, 7998);
  for (int k = rng_range(&r, 3, 6); k > 0; k--)
    score[order[i++]] = score_in(&r, 8000, 8998);
  for (; i < N_AGENCIES; i++)
    score[order[i]] = rng_pct(&r, 3) ? 10000 : score_in(&r, 9001, 9990);
}

static void write_satisfaction(const struct gen *g, int m, const char *dir)
{
  int score[N_AGENCIES];
  satisfaction_scores(g, m, score);
  struct out *o = out_open(dir, "satisfaction.csv");
  out_str(o, "agency,score\n");
  for (int a = 0; a < N_AGENCIES; a++) {
    if (score[a] < 0) continue;
    out_agency_code(o, a);
    out_ch(o, ',');
    out_hundredths(o, score[a]);
    out_ch(o, '\n');
  }
  out_close(o);
}

/* ---- one month ------------------------------------------------------- */

static const char ROSTER_HEADER[] =
  "employee_id,name,id_number,bank_account,agency,post,grade,hire_date,"
  "leave_date,service_start,si_base,hf_rate,hf_supp_rate,sad_monthly,"
  "hot_work\n";
static const char ATT_HEADER[] =
  "employee_id,personal_leave_days,sick_leave_days,absent_days,"
  "ot_workday_hours,ot_restday_hours,ot_holiday_hours,assessment\n";
static const char ADJ_HEADER[] = "employee_id,item,amount,note\n";

static void emit_employee(const struct gen *g, struct month_run *mr,
                          uint32_t idx)
{
  struct emp e;
  struct att a;
  make_emp(g, idx, &e);
  int sched = sched_days(&g->cal, e.hire, e.leave, mr->m);
  put_roster(mr->roster_o, g, &e, mr->m);
  gen_att(g, mr, &e, sched, &a);
  put_att(mr->att_o, g, idx, &a);
  gen_adjustments(g, mr, &e);
  mr->roster++;
  mr->leavers += e.leave_month == mr->m;
  mr->joiners += e.hire >= g->cal.first[mr->m];
  mr->pos++;
}

static void month_dir(const struct gen *g, int m, char *dir, size_t size)
{
  int len = snprintf(dir, size, "%s/%04d-%02d", g->out,
                     CAL_FIRST_YEAR + m / 12, m % 12 + 1);
  if (len < 0 || (size_t)len >= size) die("path too long", g->out);
  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    die(strerror(errno), dir);
}

static void month_open(struct month_run *mr, const char *dir)
{
  mr->roster_o = out_open(dir, "roster.csv");
  mr->att_o = out_open(dir, "attendance.csv");
  mr->adj_o = out_open(dir, "adjustments.csv");
  out_str(mr->roster_o, ROSTER_HEADER);
  out_str(mr->att_o, ATT_HEADER);
  out_str(mr->adj_o, ADJ_HEADER);
}

static void write_month(const struct gen *g, int m)
{
  char dir[PATH_BUF];
  struct month_run mr;
  memset(&mr, 0, sizeof mr);
  mr.m = m;
  uint32_t span = g->n / 2 > 0 ? g->n / 2 : 1;
  for (int k = 0; k < N_SPECIAL; k++) {
    rng_t r = rng_for(g, TAG_SPECIAL, (uint64_t)k, (uint64_t)m);
    mr.target[k] = rng_below(&r, span);
  }
  month_dir(g, m, dir, sizeof dir);
  month_open(&mr, dir);
  for (uint32_t i = 0; i < g->n; i++) {
    int l = leave_month_of(g, i);
    if (l == NO_MONTH || l >= m) emit_employee(g, &mr, i);
  }
  for (uint32_t k = 0; k < g->join_off[m + 1]; k++)
    emit_employee(g, &mr, g->n + k);
  out_close(mr.roster_o);
  out_close(mr.att_o);
  out_close(mr.adj_o);
  write_satisfaction(g, m, dir);
  printf("%04d-%02d: roster %" PRIu32 ", joiners %" PRIu32
         ", leavers %" PRIu32 ", adjustments %" PRIu32
         " (annual_bonus %" PRIu32 ")\n", CAL_FIRST_YEAR + m / 12,
         m % 12 + 1, mr.roster, mr.joiners, mr.leavers, mr.adj_rows,
         mr.annual);
}

/* ---- command line ------------------------------------------------------ */

static void usage(void)
{
  fputs("usage: gendistrict --out DIR [--employees N] [--from YYYY-MM]"
        " [--to YYYY-MM] [--seed S]\n"
        "  writes DIR/agencies.csv and DIR/YYYY-MM/*.csv for each month;\n"
        "  months must lie in 2025-01..2026-12 (the calendar's years)\n",
        stderr);
  exit(2);
}

static int parse_month(const char *s)
{
  int y, m;
  char tail;
  if (strlen(s) != 7 || s[4] != '-' ||
      sscanf(s, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12)
    die("not a month (YYYY-MM)", s);
  int idx = (y - CAL_FIRST_YEAR) * 12 + m - 1;
  if (idx < 0 || idx >= CAL_MONTHS)
    die("month outside the calendar (2025-01..2026-12)", s);
  return idx;
}

static uint64_t parse_uint(const char *s, uint64_t max)
{
  char *end;
  errno = 0;
  if (*s < '0' || *s > '9') die("not a number", s);
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || v > max) die("number out of range", s);
  return v;
}

static void parse_args(int argc, char **argv, struct gen *g)
{
  g->n = DEFAULT_EMPLOYEES;
  g->from = g->to = DEFAULT_MONTH;
  g->seed = DEFAULT_SEED;
  g->out = NULL;
  for (int i = 1; i < argc; i++) {
    const char *opt = argv[i];
    if (i + 1 >= argc) usage();
    const char *val = argv[++i];
    if (!strcmp(opt, "--out")) g->out = val;
    else if (!strcmp(opt, "--employees"))
      g->n = (uint32_t)parse_uint(val, MAX_EMPLOYEES);
    else if (!strcmp(opt, "--from")) g->from = parse_month(val);
    else if (!strcmp(opt, "--to")) g->to = parse_month(val);
    else if (!strcmp(opt, "--seed")) g->seed = parse_uint(val, UINT64_MAX);
    else usage();
  }
  if (!g->out || g->n == 0) usage();
  if (g->from > g->to) die("--from is after --to", NULL);
}

static void setup(struct gen *g)
{
  cal_init(&g->cal);
  g->birth_lo = date_of(AGE_ANCHOR_YEAR - OLDEST_AGE - 1, 1, 2);
  int32_t birth_hi = date_of(AGE_ANCHOR_YEAR - YOUNGEST_AGE, 1, 1);
  uint64_t days = (uint64_t)(birth_hi - g->birth_lo + 1);
  g->first_hire = date_of(FIRST_HIRE_YEAR, 1, 1);
  g->transfer_day = date_of(TRANSFER_YEAR, 1, 1);
  g->last_base_day = g->cal.first[0] - 1;
  g->id_space = days * N_REGIONS * ID_SEQ_COUNT;
  g->agency_perm = perm_make(g->n, mix64(g->seed ^ TAG_PERM));
  plan_agencies(g);
  plan_joiners(g);
  if (g->total > g->id_space) die("too many employees", NULL);
  g->id_perm = perm_make(g->id_space, mix64(g->seed + TAG_PERSON));
  g->bank_perm = perm_make(UINT64_C(1000000000),
                           mix64(g->seed + TAG_CONTRIB));
}

int main(int argc, char **argv)
{
  struct gen g;
  memset(&g, 0, sizeof g);
  parse_args(argc, argv, &g);
  setup(&g);
  if (mkdir(g.out, 0777) != 0 && errno != EEXIST) die(strerror(errno), g.out);
  write_agencies(&g);
  for (int m = g.from; m <= g.to; m++) write_month(&g, m);
  free(g.joiners);
  return 0;
}
