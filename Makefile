# paysettle -- batch payroll and settlement engine.
#
#   make            build ./paysettle (warnings are errors)
#   make demo       build and compute the sample month (calc 2026-11)
#   make test       build normally and with ASan+UBSan; run every test in both
#   make valgrind   run the end-to-end tests under valgrind
#   make bench      time calc on generated districts (see tools/bench.sh)
#   make bench-whatif  time a 12-month what-if against 12 monthly runs
#                   (see tools/bench-whatif.sh)
#   V=1             show the full compiler command lines
#
# Dependencies are found with pkg-config; ./make.sh installs any that are
# missing on Debian 12 before calling make.

Q      := $(if $(V),,@)
PKGS   := gmp yaml-0.1 sqlite3 xlsxwriter libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread

CC     ?= cc
WARN   := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
          -Wmissing-prototypes -Wwrite-strings -Wvla -Wformat=2 -Wundef \
          -Wdouble-promotion -Wfloat-equal -Wcast-qual -Wnull-dereference
BASE_CFLAGS := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g \
          $(WARN) $(PKG_CFLAGS) -Iengine -MMD -MP
REL_CFLAGS  := $(BASE_CFLAGS) -O2
ASAN_CFLAGS := $(BASE_CFLAGS) -O1 -fno-omit-frame-pointer \
          -fsanitize=address,undefined -fno-sanitize-recover=all

ENGINE_SRC := $(filter-out engine/main.c,$(wildcard engine/*.c))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
TOOL_SRC   := $(wildcard tools/*.c)

REL_OBJ  := $(ENGINE_SRC:engine/%.c=build/rel/%.o)
ASAN_OBJ := $(ENGINE_SRC:engine/%.c=build/asan/%.o)
UNIT_REL  := $(UNIT_SRC:tests/unit/%.c=build/rel/%)
UNIT_ASAN := $(UNIT_SRC:tests/unit/%.c=build/asan/%)
TOOLS    := $(TOOL_SRC:tools/%.c=build/rel/%)

.PHONY: all demo test test-rel test-asan valgrind bench bench-whatif clean
all: paysettle $(TOOLS)

paysettle: build/rel/main.o $(REL_OBJ)
	@echo "  LINK  $@"
	$(Q)$(CC) $(REL_CFLAGS) -o $@ $^ $(PKG_LIBS)

build/asan/paysettle: build/asan/main.o $(ASAN_OBJ)
	@echo "  LINK  $@"
	$(Q)$(CC) $(ASAN_CFLAGS) -o $@ $^ $(PKG_LIBS)

build/rel/%.o: engine/%.c | build/rel
	@echo "  CC    $<"
	$(Q)$(CC) $(REL_CFLAGS) -c -o $@ $<
build/asan/%.o: engine/%.c | build/asan
	@echo "  CC    $< (asan)"
	$(Q)$(CC) $(ASAN_CFLAGS) -c -o $@ $<

build/rel/test_%: tests/unit/test_%.c $(REL_OBJ) | build/rel
	@echo "  TEST  $@"
	$(Q)$(CC) $(REL_CFLAGS) -Itests/unit -o $@ $^ $(PKG_LIBS)
build/asan/test_%: tests/unit/test_%.c $(ASAN_OBJ) | build/asan
	@echo "  TEST  $@"
	$(Q)$(CC) $(ASAN_CFLAGS) -Itests/unit -o $@ $^ $(PKG_LIBS)

build/rel/%: tools/%.c | build/rel
	@echo "  TOOL  $@"
	$(Q)$(CC) $(REL_CFLAGS) -o $@ $< $(PKG_LIBS)

build/rel build/asan:
	$(Q)mkdir -p $@

# The main job on the sample district: the year to date in a fresh demo
# ledger (January to October closed, November computed as a draft for
# review), then the ledger's own check.
DEMO_DB := build/demo-ledger.db
demo: paysettle
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	./paysettle check 2026-11
	@for m in 01 02 03 04 05 06 07 08 09 10; do \
	  ./paysettle run 2026-$$m --db $(DEMO_DB) >/dev/null && \
	  ./paysettle close 2026-$$m --db $(DEMO_DB) || exit 1; \
	done
	./paysettle run 2026-11 --db $(DEMO_DB)
	./paysettle verify --db $(DEMO_DB)

# The suite runs twice: a normal build and an ASan+UBSan build. The runner
# prints one closing line for both: "N passed, N failed".
test: paysettle build/asan/paysettle $(UNIT_REL) $(UNIT_ASAN) $(TOOLS)
	$(Q)sh tests/run.sh build/rel:./paysettle build/asan:build/asan/paysettle

valgrind: paysettle $(UNIT_REL)
	$(Q)VALGRIND=1 sh tests/run.sh build/rel:./paysettle

bench: paysettle $(TOOLS)
	$(Q)sh tools/bench.sh

bench-whatif: paysettle $(TOOLS)
	$(Q)sh tools/bench-whatif.sh

clean:
	rm -rf build paysettle tests/out

-include $(wildcard build/*/*.d)
