# pooltop — one plain Makefile.  `make`, `make check`, `make demo`,
# `make bench`, `make fuzz`, `make install PREFIX=... DESTDIR=...`.
#
# SANITIZE=1 builds everything with ASan+UBSan into build-san/ (so a
# sanitized tree never mixes with a plain one); WERROR=1 makes warnings
# errors (CI sets both in turn).

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
CC         ?= cc
PKGS       := ncursesw libzmq msgpack sqlite3 inih
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -fno-strict-aliasing
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DPOOLTOP_VERSION='"$(VERSION)"' -DPOOLTOP_DATADIR='"$(PREFIX)/share/pooltop"'
LDLIBS   += $(PKG_LIBS) -lm -pthread

ifeq ($(WERROR),1)
CFLAGS += -Werror
endif

# Build on every core unless told otherwise (make -jN).
ifeq ($(filter -j% j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif

ifeq ($(SANITIZE),1)
B        := build-san
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
CPPFLAGS += -DPOOLTOP_SANITIZED
LDFLAGS  += -fsanitize=address,undefined
BIN      := $(B)/bin
else
B        := build
BIN      := bin
endif

CORE_SRC  := $(wildcard proto/*.c model/*.c util/*.c)
CLIENT_SRC := $(wildcard client/*.c)
FLOOR_SRC := $(filter-out floor/main.c,$(wildcard floor/*.c))
TUI_SRC   := $(filter-out tui/main.c,$(wildcard tui/*.c))
CLI_SRC   := $(wildcard cli/*.c)
TEST_SRC  := $(wildcard tests/test_*.c)

CORE_OBJ  := $(CORE_SRC:%.c=$(B)/%.o)
CLIENT_OBJ := $(CLIENT_SRC:%.c=$(B)/%.o)
FLOOR_OBJ := $(FLOOR_SRC:%.c=$(B)/%.o)
TUI_OBJ   := $(TUI_SRC:%.c=$(B)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(B)/%.o)
LIBCORE   := $(B)/libptcore.a
LIBCLIENT := $(B)/libptclient.a
LIBFLOOR  := $(B)/libptfloor.a
LIBTUI    := $(B)/libpttui.a
LIBCLI    := $(B)/libptcli.a
TESTS     := $(TEST_SRC:tests/%.c=$(B)/tests/%)

.PHONY: all deps check rooms unit e2e hostile valgrind fuzz-replay fuzz bench bench-advice demo install uninstall clean
all: $(BIN)/pooltop $(BIN)/pooltopd

deps:
	@sh .ci/deps

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# The client library is every program's link to pooltopd, batch commands
# included: it compiles without ncurses' flags, and libptclient.a must
# never name a curses symbol (checked by `make check`).
CLIENT_PKG_CFLAGS := $(shell pkg-config --cflags libzmq msgpack 2>/dev/null)
$(B)/client/%.o: client/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CLIENT_PKG_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# The data directory is compiled in: objects that use it are rebuilt when
# PREFIX changes (make && make install PREFIX=/usr must agree).
$(B)/.prefix: FORCE
	@mkdir -p $(B); echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
$(B)/floor/server_args.o $(B)/tui/crt.o: $(B)/.prefix
.PHONY: FORCE
FORCE:

$(LIBCORE): $(CORE_OBJ)
	@rm -f $@; ar rcs $@ $^
$(LIBFLOOR): $(FLOOR_OBJ)
	@rm -f $@; ar rcs $@ $^ $(if $^,,$(B)/empty.o)
$(LIBTUI): $(TUI_OBJ)
	@rm -f $@; ar rcs $@ $^
$(LIBCLI): $(CLI_OBJ)
	@rm -f $@; ar rcs $@ $^
$(LIBCLIENT): $(CLIENT_OBJ)
	@rm -f $@; ar rcs $@ $^

$(BIN)/pooltopd: $(B)/floor/main.o $(LIBFLOOR) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(BIN)/pooltop: $(B)/tui/main.o $(LIBCLI) $(LIBTUI) $(LIBCLIENT) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/testlib.o: tests/testlib.c tests/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) $(CFLAGS) -DTEST_SRCDIR='"$(CURDIR)"' -MMD -MP -c -o $@ $<

$(B)/tests/test_%: tests/test_%.c $(B)/tests/testlib.o $(LIBFLOOR) $(LIBCLI) $(LIBTUI) $(LIBCLIENT) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) $(CFLAGS) -DTEST_SRCDIR='"$(CURDIR)"' \
		-MMD -MP $(LDFLAGS) -o $@ $< $(B)/tests/testlib.o $(LIBFLOOR) $(LIBCLI) $(LIBTUI) $(LIBCLIENT) $(LIBCORE) $(CHECK_LIBS) $(LDLIBS)

# The fuzz target doubles as a corpus replayer under gcc: the same entry
# point, driven by a main() that feeds it every file in tests/fuzz/.
$(B)/tests/fuzz-replay: tests/fuzz/fuzz_decode.c tests/fuzz/replay.c $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Build everything in parallel, then run the test steps one after another
# (each step runs its own tests a few at a time), all of them even when
# one fails, and say which failed.
CHECK_STEPS := rooms unit fuzz-replay e2e hostile
check: deps
	@$(MAKE) --no-print-directory all $(TESTS) $(B)/tests/ptq $(B)/tests/fuzz-replay $(LIBCLIENT)
	@failed=""; for step in $(CHECK_STEPS); do \
		$(MAKE) --no-print-directory $$step || failed="$$failed $$step"; \
	done; \
	if [ -n "$$failed" ]; then echo "check: FAILED:$$failed"; exit 1; fi; \
	echo "check: every step passed ($(CHECK_STEPS))"

# Each room includes only the rooms below it (docs/ARCHITECTURE.md).
rooms:
	@python3 tests/tools/rooms.py

# The suites run a few at a time (tests/tools/runpar.py; CHECK_JOBS sets
# how many): most of their time is waiting on sockets and timers.  A long
# suite runs as its cases (PROGRAM@CASE), and the longest start first.  Each prints Check's own line;
# the last line sums the checks.
UNIT_SPLIT := $(B)/tests/test_server@e2e $(B)/tests/test_server@history \
              $(B)/tests/test_conn@join $(B)/tests/test_conn@requests $(B)/tests/test_conn@hostile
UNIT_LONG  := $(UNIT_SPLIT) $(B)/tests/test_zap
UNIT_RUNS  := $(UNIT_LONG) \
              $(filter-out $(B)/tests/test_conn $(B)/tests/test_server $(UNIT_LONG),$(TESTS))
unit: $(TESTS)
	@CK_DEFAULT_TIMEOUT=120 POOLTOP_BIN=$(CURDIR)/$(BIN) python3 tests/tools/runpar.py \
		--label suites --timeout 600 $(UNIT_RUNS) > $(B)/tests/unit.out 2>&1; rc=$$?; \
		cat $(B)/tests/unit.out; \
		set -- $$(awk '/^[0-9]+%: Checks: /{ gsub(",", ""); n += $$3; f += $$5 + $$7 } \
			END { print n - f, f + 0 }' $(B)/tests/unit.out); pass=$$1; fail=$$2; \
		echo "unit: $${pass:-0} passed, $${fail:-0} failed"; test $$rc = 0 && test "$${fail:-0}" = 0

fuzz-replay: $(B)/tests/fuzz-replay
	$(B)/tests/fuzz-replay tests/fuzz/corpus

e2e: all $(B)/tests/ptq
	@POOLTOP_BIN=$(CURDIR)/$(BIN) PTQ=$(CURDIR)/$(B)/tests/ptq sh tests/e2e/run

# Hostile peers: scripts that misbehave against the real programs
# (tests/hostile/run runs every one, bounded in time); first, the client
# library must not lean on curses.
hostile: all $(LIBCLIENT)
	@if nm -u $(LIBCLIENT) | grep -Eiq 'curs|initscr|endwin|wrefresh'; then \
		echo "hostile: libptclient.a uses curses"; exit 1; fi
	@POOLTOP_BIN=$(CURDIR)/$(BIN) POOLTOP_SANITIZED=$(if $(filter 1,$(SANITIZE)),1,0) sh tests/hostile/run

# Both programs under valgrind (slow: not part of check).
valgrind: all
	@POOLTOP_BIN=$(CURDIR)/$(BIN) sh tests/valgrind/run.sh

# ptq: the e2e tests' request CLI (the server's truth, not the screen's).
$(B)/tests/ptq: tests/tools/ptq.c $(LIBCLIENT) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

fuzz:
	@mkdir -p build-fuzz
	clang $(CPPFLAGS) $(PKG_CFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-o build-fuzz/fuzz_decode tests/fuzz/fuzz_decode.c $(CORE_SRC) $(PKG_LIBS) -lm
	@mkdir -p build-fuzz/corpus
	build-fuzz/fuzz_decode -max_total_time=$${FUZZ_SECONDS:-60} -max_len=4096 \
		build-fuzz/corpus tests/fuzz/corpus

# bench_proto's output is kept so bench/run can put it in its summary.
bench: all $(B)/bench/bench_proto $(B)/bench/bench_sub
	$(B)/bench/bench_proto | tee $(B)/bench/bench_proto.out
	@if [ -f bench/run ]; then POOLTOP_BIN=$(CURDIR)/$(BIN) \
		BENCH_DIR=$(CURDIR)/$(B)/bench sh bench/run; fi
	POOLTOP_BIN=$(CURDIR)/$(BIN) sh bench/qlog_replay.sh

# The staffing advice replayed over simulated days of the demo floor
# (policies none / advice) and timed on large.ini; see docs/BENCH.md.
bench-advice: $(B)/bench/bench_advice
	$(B)/bench/bench_advice --seeds $${SEEDS:-10} scenarios/demo.ini
	$(B)/bench/bench_advice --time scenarios/large.ini

$(B)/bench/%: bench/%.c $(LIBFLOOR) $(LIBCLIENT) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBFLOOR) $(LIBCLIENT) $(LIBCORE) $(LDLIBS)

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(BIN)

# The installed programs carry PREFIX's data directory; they are built in
# a tree of their own (IB), so `make install PREFIX=...` never rebuilds
# the checkout's bin/ with the install prefix in it.  The docs the man
# pages name go to share/doc/pooltop.
IB   := $(B)/install
DOCS := $(DESTDIR)$(PREFIX)/share/doc/pooltop
install:
	@$(MAKE) --no-print-directory B=$(IB) BIN=$(IB)/bin PREFIX='$(PREFIX)' $(IB)/bin/pooltop $(IB)/bin/pooltopd
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/pooltop/themes \
		$(DESTDIR)$(PREFIX)/share/pooltop/scenarios $(DOCS) \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 $(IB)/bin/pooltop $(IB)/bin/pooltopd $(DESTDIR)$(PREFIX)/bin/
	install -m 644 README.md $(DOCS)/README.md
	install -m 644 docs/ARGUMENTS.md $(DOCS)/ARGUMENTS.md
	install -m 644 proto/PROTOCOL.md $(DOCS)/PROTOCOL.md
	install -m 644 scenarios/README.md $(DOCS)/scenarios.md
	install -m 644 themes/README.md $(DOCS)/themes.md
	for f in themes/*.theme; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/pooltop/themes/; done; true
	install -m 644 scenarios/*.ini $(DESTDIR)$(PREFIX)/share/pooltop/scenarios/
	for f in man/*.1; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man1/; done; true
	for f in man/*.8; do [ -e "$$f" ] && install -m 644 $$f $(DESTDIR)$(PREFIX)/share/man/man8/; done; true

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pooltop $(DESTDIR)$(PREFIX)/bin/pooltopd
	rm -rf $(DESTDIR)$(PREFIX)/share/pooltop $(DESTDIR)$(PREFIX)/share/doc/pooltop
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/pooltop.1 $(DESTDIR)$(PREFIX)/share/man/man8/pooltopd.8

clean:
	rm -rf build build-san build-fuzz bin

-include $(shell find $(B) -name '*.d' 2>/dev/null)
