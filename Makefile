# powerkit — GNU make, no configure step.
# Binaries are built from cmd/<tool>.c plus the common/ objects that tool
# needs (OBJS_<tool>) and only the libraries it uses (LIBS_<tool>).
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
PK_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
PK_LDFLAGS = -fsanitize=address,undefined
endif

# The foundation every tool links.
CORE_OBJS = err.o clock.o buf.o net.o target.o opts.o cred.o json.o output.o outlets.o prom.o trace.o

# Per tool: the common/ objects beyond CORE_OBJS, and the libraries.
OBJS_nutq   = nut.o nutval.o nutops.o nutout.o nutprom.o nutcli.o
OBJS_nutset = nut.o nutval.o nutops.o nutout.o nutprom.o nutcli.o
OBJS_nutcmd = nut.o nutval.o nutops.o nutout.o nutprom.o nutcli.o
OBJS_test_nut = nut.o nutval.o nutops.o nutprom.o nutcli.o
OBJS_test_nutconn = nut.o
OBJS_pductl = ber.o snmp.o pdu.o pdu_render.o pdu_session.o pdu_switch.o pdu_oid.o
OBJS_test_ber = ber.o snmp.o
OBJS_test_pdu = $(OBJS_pductl)
OBJS_wattctl = wattbox.o wb_client.o wb_ops.o wb_out.o wb_ip.o wb_telnet.o wb_ssh.o wb_http.o
LIBS_wattctl = $(shell $(PKG_CONFIG) --libs libssh libcurl 2>/dev/null)
CFLAGS_wattctl = $(shell $(PKG_CONFIG) --cflags libssh libcurl 2>/dev/null)
OBJS_test_wattbox = wattbox.o
OBJS_test_wb_ops = wattbox.o wb_ops.o wb_out.o

TOOLS = $(sort $(patsubst cmd/%.c,%,$(wildcard cmd/*.c)))
BINS = $(addprefix $(BUILD)/,$(TOOLS))
COMMON_SRCS = $(wildcard common/*.c)
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNITS = $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))

all: $(BINS)

$(BUILD)/obj/%.o: common/%.c $(wildcard common/*.h) | $(BUILD)/obj
	$(CC) $(PK_CPPFLAGS) $(CPPFLAGS) $(PK_CFLAGS) $(CFLAGS_wattctl_$*) $(CFLAGS) -c -o $@ $<

# wb_ssh / wb_http need the library headers' flags.
CFLAGS_wattctl_wb_ssh = $(CFLAGS_wattctl)
CFLAGS_wattctl_wb_http = $(CFLAGS_wattctl)

$(BUILD)/obj/cmd_%.o: cmd/%.c $(wildcard common/*.h) | $(BUILD)/obj
	$(CC) $(PK_CPPFLAGS) $(CPPFLAGS) $(PK_CFLAGS) $(CFLAGS) -c -o $@ $<

.SECONDEXPANSION:
$(BUILD)/%: $(BUILD)/obj/cmd_%.o $$(addprefix $(BUILD)/obj/,$(CORE_OBJS) $$(OBJS_$$*))
	$(CC) $(PK_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS_$*) $(LDLIBS)

# Unit tests link every common object their tool family needs; the
# per-test list is OBJS_test_<name> (default: the core).
$(BUILD)/unit/%: tests/unit/%.c tests/unit/tap.h $$(addprefix $(BUILD)/obj/,$(CORE_OBJS) $$(OBJS_$$*)) | $(BUILD)/unit
	$(CC) $(PK_CPPFLAGS) $(CPPFLAGS) $(PK_CFLAGS) $(CFLAGS) $(PK_LDFLAGS) $(LDFLAGS) -o $@ $(filter-out %.h,$^) $(LIBS_$*) $(LDLIBS)

$(BUILD)/obj $(BUILD)/unit:
	mkdir -p $@

units: $(UNITS)

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
	  if [ -f completions/bash/$$t ]; then $(INSTALL_DATA) completions/bash/$$t $(DESTDIR)$(bashcompdir)/$$t || exit 1; fi; \
	  if [ -f completions/zsh/_$$t ]; then $(INSTALL_DATA) completions/zsh/_$$t $(DESTDIR)$(zshcompdir)/_$$t || exit 1; fi; \
	  if [ -f completions/fish/$$t.fish ]; then $(INSTALL_DATA) completions/fish/$$t.fish $(DESTDIR)$(fishcompdir)/$$t.fish || exit 1; fi; \
	done

uninstall:
	for t in $(TOOLS); do \
	  rm -f $(DESTDIR)$(bindir)/$$t $(DESTDIR)$(man1dir)/$$t.1 $(DESTDIR)$(bashcompdir)/$$t \
	        $(DESTDIR)$(zshcompdir)/_$$t $(DESTDIR)$(fishcompdir)/$$t.fish; \
	done

clean:
	rm -rf build build-asan

.PHONY: all units check demo bench install uninstall clean
.PRECIOUS: $(BUILD)/obj/%.o $(BUILD)/obj/cmd_%.o
