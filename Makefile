# calib - one non-recursive Makefile. Programs are src/cmd/<name>.c ->
# calib-<name> (src/cmd/common*.c are shared by them); the library is every
# src/lib/*.c and src/lib/*/*.c (the layers of LAYOUT: input, stats,
# analysis, output); unit tests are tests/unit/test_*.c; end-to-end tests are
# tests/e2e/*.t. New files join the build without edits here.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/calib
CC ?= cc
BUILD ?= build
CFLAGS ?= -O2 -g
LDFLAGS ?=
VERSION = 0.1.0

WARN = -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion \
       -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
       -Wformat=2 -Wundef -Wvla
GSL_CFLAGS := $(shell pkg-config --cflags gsl)
GSL_LIBS := $(shell pkg-config --libs gsl)
ALL_CPPFLAGS = -Iinclude -D_POSIX_C_SOURCE=200809L -DCALIB_VERSION='"$(VERSION)"' \
	$(GSL_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = -std=c11 -pthread $(WARN) $(CFLAGS) -MMD -MP
LIBS = -lcsv $(GSL_LIBS) -lm -pthread

LIB_SRC := $(sort $(wildcard src/lib/*.c src/lib/*/*.c))
CMD_SRC := $(sort $(filter-out src/cmd/common%,$(wildcard src/cmd/*.c)))
CMD_COMMON := $(sort $(wildcard src/cmd/common*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
E2E_TESTS := $(sort $(wildcard tests/e2e/*.t))
MANPAGES := $(sort $(wildcard man/*.1 man/*.7))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
COMMON_OBJ := $(CMD_COMMON:%.c=$(BUILD)/%.o)
PROGS := $(CMD_SRC:src/cmd/%.c=$(BUILD)/bin/calib-%)
UNITS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIBCALIB := $(BUILD)/libcalib.a

GEN := $(BUILD)/calib-gen

# Keep objects between builds (they are made through chained rules).
.SECONDARY:

.PHONY: all check unit e2e asan tsan valgrind install uninstall clean demo format lint bench bench-peers fuzz fuzz-bins manlint
all: $(PROGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCALIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bin/calib-%: $(BUILD)/src/cmd/%.o $(COMMON_OBJ) $(LIBCALIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBCALIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The seeded generator of the sample data and of the benchmark sheets.
$(GEN): data/generate.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 $(WARN) $(GSL_CFLAGS) -o $@ $< $(GSL_LIBS) -lm

# Every test prints TAP; prove runs them and prints the totals.
check: all $(UNITS) manlint
	CALIB_BIN=$(abspath $(BUILD)/bin) CALIB_VALGRIND='$(CALIB_VALGRIND)' \
	prove $(PROVE_JOBS) --exec 'sh tests/exec.sh' $(UNITS) $(E2E_TESTS)

unit: $(UNITS)
	prove --exec '' $(UNITS)

e2e: all
	CALIB_BIN=$(abspath $(BUILD)/bin) prove --exec '' $(E2E_TESTS)

# Built with clang when it is installed (its runtime: libclang-rt-14-dev):
# clang's UBSan also checks pointer arithmetic (an offset applied to a null
# pointer, an overflowing one), which gcc's does not.
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_CC := $(if $(shell command -v clang 2>/dev/null),clang,$(CC))
asan:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) BUILD=build-asan CC=$(ASAN_CC) CFLAGS='-O1 -g $(SAN)' LDFLAGS='$(SAN)' check

# The same suite under ThreadSanitizer: the reader's parsing thread, the
# workers over criteria and the bootstrap threads share nothing unguarded.
tsan:
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
	$(MAKE) BUILD=build-tsan CFLAGS='-O1 -g -fsanitize=thread' LDFLAGS='-fsanitize=thread' check

# The same suite with every program and unit test under memcheck, two test
# files at a time (memcheck runs a program's threads one at a time, so one
# file keeps one core busy; every test works in a folder of its own): no
# error, no definite leak (glibc's cached thread stacks are "possibly lost" and not
# shown). Valgrind computes long double at double precision, so the
# end-to-end cases compare numbers to 10 significant digits (cases.sh).
valgrind:
	$(MAKE) BUILD=build-vg CFLAGS='-O1 -g' PROVE_JOBS=-j2 \
	CALIB_VALGRIND='valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite' check

# libFuzzer targets fuzz/fuzz_*.c (clang, libclang-rt-14-dev), the library
# built with ASan+UBSan; each runs FUZZ_SECONDS from a seed corpus made of
# tests/ and data/ (fuzz/run.sh). Findings land in build-fuzz/findings/.
FUZZ_SECONDS ?= 60
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS = $(patsubst fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard fuzz/fuzz_*.c))
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS='-O1 -g -Werror=implicit-function-declaration $(FUZZ_SAN) -fsanitize=fuzzer-no-link' \
		LDFLAGS='$(FUZZ_SAN) -fsanitize=fuzzer' fuzz-bins
	sh fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

fuzz-bins: $(FUZZ_BINS)

$(BUILD)/fuzz/%: fuzz/%.c fuzz/fuzz_input.h $(LIBCALIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBCALIB) $(LIBS)

manlint:
	@for m in $(MANPAGES); do \
		out=$$(LC_ALL=C groff -man -ww -z $$m 2>&1); \
		if [ -n "$$out" ]; then echo "$$m: $$out"; exit 1; fi; \
	done

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	for p in $(PROGS); do install -m 755 $$p $(DESTDIR)$(BINDIR)/; done
	for m in $(filter %.1,$(MANPAGES)); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(filter %.7,$(MANPAGES)); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done
	mkdir -p $(DESTDIR)$(DATADIR)
	install -m 755 examples/weekly-drift.sh examples/calibration-meeting.sh $(DESTDIR)$(DATADIR)/

uninstall:
	for p in $(notdir $(PROGS)); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in $(notdir $(filter %.1,$(MANPAGES))); do rm -f $(DESTDIR)$(MANDIR)/man1/$$m; done
	for m in $(notdir $(filter %.7,$(MANPAGES))); do rm -f $(DESTDIR)$(MANDIR)/man7/$$m; done
	rm -f $(DESTDIR)$(DATADIR)/weekly-drift.sh $(DESTDIR)$(DATADIR)/calibration-meeting.sh
	-rmdir $(DESTDIR)$(DATADIR) 2>/dev/null

demo: all
	@sh examples/demo.sh $(BUILD)/bin demo-out

bench: all $(GEN)
	@sh bench/run.sh $(BUILD)/bin $(GEN)

# calib-agree against pandas + statsmodels + numpy, when installed
bench-peers: all $(GEN)
	@sh bench/peers.sh $(BUILD)/bin $(GEN)

format:
	clang-format -i $(LIB_SRC) $(CMD_SRC) $(CMD_COMMON) include/calib/*.h $(UNIT_SRC)

lint:
	cppcheck --quiet --enable=warning,performance,portability --std=c11 \
		-Iinclude --error-exitcode=1 src

clean:
	rm -rf build build-asan build-tsan build-vg build-fuzz

-include $(LIB_OBJ:.o=.d) $(COMMON_OBJ:.o=.d) $(CMD_SRC:%.c=$(BUILD)/%.d) $(UNIT_SRC:%.c=$(BUILD)/%.d)
