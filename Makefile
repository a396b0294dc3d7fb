# powerkit — GNU make, no configure step.
# Binaries are built from cmd/<tool>.c plus the common/ layers, one static
# archive each (the linker takes the objects the tool calls), and only the
# libraries it uses (LIBS_<tool>).
SHELL = /bin/sh
PREFIX ?= /usr/local
prefix ?= $(PREFIX)
exec_prefix ?= $(prefix)
bindir ?= $(exec_prefix)/bin
datadir ?= $(prefix)/share
mandir ?= $(datadir)/man
man1dir ?= $(mandir)/man1
bashcompdir ?= $(datadir)/bash-completion/completions
zshcompdir ?= $(datadir)/zsh/site-functions
fishcompdir ?= $(datadir)/fish/vendor_completions.d
INSTALL ?= install
INSTALL_PROGRAM ?= $(INSTALL) -m 0755
INSTALL_DATA ?= $(INSTALL) -m 0644
PKG_CONFIG ?= pkg-config

CC ?= cc
CFLAGS ?= -O2 -g
VERSION = 0.1.0
BUILD ?= build

# Required flags live apart from the user's CFLAGS, which come last.
PK_CPPFLAGS = -Icommon -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPK_VERSION='"$(VERSION)"'
# Messages are cut to fixed buffers on purpose, so truncation is no warning.
PK_CFLAGS = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-format-truncation
ifeq ($(WERROR),1)
PK_CFLAGS += -Werror
endif
ifeq ($(SANITIZE),1)
# float-cast-overflow is not part of gcc's "undefined" group.
PK_CFLAGS += -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=undefined,float-cast-overflow
PK_LDFLAGS = -fsanitize=address,undefined,float-cast-overflow
endif

# FUZZ=1 (what make fuzz sets, with CC=clang and BUILD=build-fuzz): the
# library and the libFuzzer harnesses of tests/fuzz/ built with coverage
# and the sanitizers; clang warns about gcc's option names it lacks.
ifeq ($(FUZZ),1)
FUZZ_SAN = -fsanitize=fuzzer,address,undefined,float-cast-overflow
PK_CFLAGS += $(FUZZ_SAN) -fno-sanitize-recover=undefined,float-cast-overflow -fno-omit-frame-pointer -Wno-unknown-warning-option
PK_LDFLAGS = $(FUZZ_SAN)
endif

# The library, one static archive a folder (README: Layout), linked in
# the order of the layers (each may call only those after it), so that a
# binary takes only the objects it calls: the NUT tools and pductl link
# only libc (nutq --tls loads libssl, pductl's SNMPv3 nettle, at run
# time: core/dl.h; nettle's headers are needed to build), and wattctl
# alone adds libssh and libcurl (LIBS_wattctl).
LAYERS = cli nut pdu wattbox snmp core
LAYER_LIBS = $(foreach l,$(LAYERS),$(BUILD)/lib/libpk_$(l).a)
layer_objs = $(patsubst common/%.c,$(BUILD)/obj/%.o,$(sort $(wildcard common/$(1)/*.c)))
LIBS_wattctl = $(shell $(PKG_CONFIG) --libs libssh libcurl 2>/dev/null)
CFLAGS_wattctl = $(shell $(PKG_CONFIG) --cflags libssh libcurl 2>/dev/null)
LAYER_CFLAGS_snmp = $(shell $(PKG_CONFIG) --cflags nettle 2>/dev/null)
# The unit tests may reach any layer, the WattBox drivers included.
UNIT_LIBS = $(LIBS_wattctl)

TOOLS = $(sort $(patsubst cmd/%.c,%,$(wildcard cmd/*.c)))
BINS = $(addprefix $(BUILD)/,$(TOOLS))
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNITS = $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))

# Shell completions: thin shims that ask the tool (TOOL --complete ...),
# one template a shell.
COMPLETIONS = $(foreach t,$(TOOLS),$(BUILD)/completions/bash/$(t) \
	$(BUILD)/completions/zsh/_$(t) $(BUILD)/completions/fish/$(t).fish)

all: $(BINS) $(COMPLETIONS)

$(BUILD)/completions/bash/%: completions/bash.in
	@mkdir -p $(@D)
	sed 's/@TOOL@/$*/g' $< > $@
$(BUILD)/completions/zsh/_%: completions/zsh.in
	@mkdir -p $(@D)
	sed 's/@TOOL@/$*/g' $< > $@
$(BUILD)/completions/fish/%.fish: completions/fish.in
	@mkdir -p $(@D)
	sed 's/@TOOL@/$*/g' $< > $@

# Header dependencies come from the compiler (-MMD -MP, the .d files).
DEPFLAGS = -MMD -MP

$(BUILD)/obj/%.o: common/%.c
	@mkdir -p $(@D)
	$(CC) $(PK_CPPFLAGS) $(CPPFLAGS) $(PK_CFLAGS) $(DEPFLAGS) $(LAYER_CFLAGS_$(patsubst %/,%,$(dir $*))) $(CFLAGS) -c -o $@ $<

# wattbox/ssh.c and http.c need the library headers' flags.
LAYER_CFLAGS_wattbox = $(CFLAGS_wattctl)

$(BUILD)/obj/cmd_%.o: cmd/%.c
	@mkdir -p $(@D)
	$(CC) $(PK_CPPFLAGS) $(CPPFLAGS) $(PK_CFLAGS) $(DEPFLAGS) $(CFLAGS) -c -o $@ $<

.SECONDEXPANSION:
$(BUILD)/lib/libpk_%.a: $$(call layer_objs,$$*)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%: $(BUILD)/obj/cmd_%.o $(LAYER_LIBS)
	$(CC) $(PK_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS_$*) $(LDLIBS)

$(BUILD)/unit/%: tests/unit/%.c $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(PK_CPPFLAGS) $(CPPFLAGS) $(PK_CFLAGS) $(DEPFLAGS) $(CFLAGS) $(PK_LDFLAGS) $(LDFLAGS) -o $@ $^ $(UNIT_LIBS) $(LDLIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

units: $(UNITS)

# make fuzz: one libFuzzer harness per parser and codec (tests/fuzz/
# fuzz_NAME.c, seeds in tests/fuzz/corpus/NAME/), built with clang into
# $(FUZZ_BUILD), then each run for FUZZ_SECONDS (default 10; a real hunt
# is make fuzz FUZZ_SECONDS=600).  New inputs go to $(FUZZ_BUILD)/corpus/,
# crashes to $(FUZZ_BUILD)/crash-NAME-*: a crash input belongs in the
# seed corpus, as the regression test of its fix.  make fuzz-build only
# builds; tests/t_fuzz.sh (make check) replays each corpus and runs each
# harness for a few seconds.
FUZZ_CC ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 10
FUZZERS = $(sort $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))

fuzz-build:
	$(MAKE) FUZZ=1 CC=$(FUZZ_CC) BUILD=$(FUZZ_BUILD) fuzz-harnesses

fuzz-harnesses: $(addprefix $(BUILD)/fuzz/,$(FUZZERS))

# (the headers the .d files add as prerequisites are not inputs)
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LAYER_LIBS)
	@mkdir -p $(@D)
	$(CC) $(PK_CPPFLAGS) $(CPPFLAGS) $(PK_CFLAGS) $(DEPFLAGS) $(CFLAGS) $(PK_LDFLAGS) $(LDFLAGS) -o $@ $(filter-out %.h,$^) $(UNIT_LIBS) $(LDLIBS)

fuzz: fuzz-build
	for f in $(FUZZERS); do \
	  n=$${f#fuzz_}; mkdir -p $(FUZZ_BUILD)/corpus/$$n || exit 1; \
	  nice $(FUZZ_BUILD)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/crash-$$n- $(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n || exit 1; \
	done

# make check: install what is missing, build warning-free, run the suite on
# the plain build and again on an ASan+UBSan build.
check:
	sh tests/deps.sh check
	$(MAKE) WERROR=1 all units
	$(MAKE) WERROR=1 SANITIZE=1 BUILD=build-asan all units
	sh tests/run.sh $(BUILD) build-asan

demo:
	sh tests/deps.sh demo
	$(MAKE) all
	sh tests/demo.sh $(BUILD)

bench:
	sh tests/deps.sh bench
	$(MAKE) all
	sh tests/bench.sh $(BUILD)

install: all
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(man1dir) $(DESTDIR)$(bashcompdir) $(DESTDIR)$(zshcompdir) $(DESTDIR)$(fishcompdir)
	for t in $(TOOLS); do \
	  $(INSTALL_PROGRAM) $(BUILD)/$$t $(DESTDIR)$(bindir)/$$t || exit 1; \
	  if [ -f man/$$t.1 ]; then $(INSTALL_DATA) man/$$t.1 $(DESTDIR)$(man1dir)/$$t.1 || exit 1; fi; \
	  $(INSTALL_DATA) $(BUILD)/completions/bash/$$t $(DESTDIR)$(bashcompdir)/$$t || exit 1; \
	  $(INSTALL_DATA) $(BUILD)/completions/zsh/_$$t $(DESTDIR)$(zshcompdir)/_$$t || exit 1; \
	  $(INSTALL_DATA) $(BUILD)/completions/fish/$$t.fish $(DESTDIR)$(fishcompdir)/$$t.fish || exit 1; \
	done

uninstall:
	for t in $(TOOLS); do \
	  rm -f $(DESTDIR)$(bindir)/$$t $(DESTDIR)$(man1dir)/$$t.1 $(DESTDIR)$(bashcompdir)/$$t \
	        $(DESTDIR)$(zshcompdir)/_$$t $(DESTDIR)$(fishcompdir)/$$t.fish; \
	done

clean:
	rm -rf build build-asan build-fuzz

.PHONY: all units check demo bench install uninstall clean fuzz fuzz-build fuzz-harnesses
.PRECIOUS: $(BUILD)/obj/%.o $(BUILD)/obj/cmd_%.o $(BUILD)/lib/libpk_%.a
