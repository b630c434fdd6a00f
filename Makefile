# netconform: `make run` builds and runs the suite, `make test` tests the project.
#
# lib/ is four layers, each its own static archive, each compiled seeing only
# the headers of the layers below it (lib/README.md):
#   base     socket addresses, errno names, clocks, waits    libc
#   check    the check API and its record protocol            libc + base
#   world    sandbox, scenarios, faults, netem, resolver      + libnl, nftnl, ldns, libcap
#   observe  sock_diag and packet capture                     + libnl-idiag, libpcap
# reports/ sees base only; suite/, harness/ and tests/ see everything.
PKGS     := cunit libnl-3.0 libnl-route-3.0 libnl-idiag-3.0 libxml-2.0 libcap libpcap ldns libnftnl libmnl
B        := build
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror
ASAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
RELEASE  := 0.1
# Every symbol bound once at start: a check is a forked child, and lazy
# binding would look each one up again in every child (~15% of its CPU).
BIND_NOW := -Wl,-z,now

# Which Debian package brings each pkg-config name: a missing one is named,
# not left to surface as a compile error.
PKG_DEB  := cunit:libcunit1-dev libnl-3.0:libnl-3-dev libnl-route-3.0:libnl-route-3-dev \
	    libnl-idiag-3.0:libnl-idiag-3-dev libxml-2.0:libxml2-dev libcap:libcap-dev \
	    libpcap:libpcap-dev ldns:libldns-dev libnftnl:libnftnl-dev libmnl:libmnl-dev
ifeq ($(filter deps clean uninstall,$(MAKECMDGOALS)),)
MISSING  := $(strip $(foreach p,$(PKG_DEB),$(if $(shell pkg-config --exists $(firstword $(subst :, ,$(p))) 2>/dev/null && echo y),,$(lastword $(subst :, ,$(p))))))
ifneq ($(MISSING),)
ifeq ($(filter run run-musl test bench run-vm deps-vm deps-test fuzz soak matrix,$(MAKECMDGOALS)),)
$(error missing Debian packages: $(MISSING) (run `make deps` as root, or apt-get install them))
endif
endif
endif
# Asked of pkg-config when first needed, then kept: once a compile, it was
# 300 calls in a build.
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $$(PKGS) 2>/dev/null))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(shell pkg-config --libs $$(PKGS) 2>/dev/null))$(PKG_LIBS)
# A check is a fork of the program, and its end unmaps what the fork copied:
# each shared library is mappings to copy and pages relocated at start to
# copy again, in each of a run's ~1,400 forks.  So the program takes its
# libraries from their archives where the system has them (pkg-config's
# list for a static link, and what the .pc files leave out: libldns.a's
# libcrypto, libdbus-1.a's libsystemd and ICU's libstdc++, both shared, as
# is a library with no archive), and is position-dependent, nothing of its
# own relocated at start: 8% of a run's CPU (README, Timings).  libc stays
# shared: it is what the checks test.  Where that does not link (Debian 13's
# libxml2 needs a libz that has neither archive nor link here) and with
# NC_LINK=shared (debian/rules: Debian's policy) it links as the others do.
NC_LINK  ?= archives
LINK_NAMES = $(filter-out pthread m dl rt c systemd,$(patsubst -l%,%,$(shell pkg-config --static \
	     --libs-only-l $(PKGS) 2>/dev/null)))
archived   = $(if $(filter /%,$(shell $(CC) -print-file-name=lib$(1).a)),-l:lib$(1).a,-l$(1))
LINK_ARCHIVED = $(foreach l,$(LINK_NAMES),$(call archived,$(l)) $(if $(filter ldns,$(l)),$(call archived,crypto)))
LINK_STATIC = -no-pie $(LINK_ARCHIVED) $(if $(filter -l:libdbus-1.a,$(LINK_ARCHIVED)),-l:libsystemd.so.0) \
	      $(if $(filter -l:libicuuc.a,$(LINK_ARCHIVED)),-l:libstdc++.so.6)
links      = $(shell printf 'int main(void) { return 0; }\n' | $(CC) -x c - -o /dev/null $(1) 2>/dev/null && echo yes)
# gold where it links (Debian 12's binutils has it, Debian 13's not): the
# program's link in 1.4 s, not 1.9 to 2.6 (bfd).  Asked when first needed.
# Not for clang's ASan links: gold warns of each of its checks.
FAST_LD    = $(eval FAST_LD := $$(if $$(call links,-fuse-ld=gold),-fuse-ld=gold))$(FAST_LD)
PROGRAM_LIBS = $(if $(and $(filter-out shared,$(NC_LINK)),$(call links,$(FAST_LD) $(LINK_STATIC))),$(LINK_STATIC),$(PKG_LIBS)) \
	       -lpthread -lm

CPPFLAGS += -D_GNU_SOURCE -DNC_SRCDIR='"$(CURDIR)"'
LAYERS   := base check world observe
INC_base    := -Ilib/base
INC_check   := $(INC_base) -Ilib/check
INC_world   := $(INC_check) -Ilib/world
INC_observe := $(INC_world) -Ilib/observe
INC_reports := $(INC_base) -Ireports
INC_all     := $(INC_observe) -Ireports -Iharness -I$(B)/gen

BASE_SRC     := $(wildcard lib/base/*.c)
# heap.c replaces malloc(), calloc(), realloc() and free() for the whole
# program (lib/check/heap.h): not in the check layer's archive, but linked
# by name into the programs whose checks measure the heap.
HEAP_COUNTER := lib/check/heap.c
CHECK_SRC    := $(filter-out $(HEAP_COUNTER),$(wildcard lib/check/*.c))
WORLD_SRC    := $(wildcard lib/world/*.c)
OBSERVE_SRC  := $(wildcard lib/observe/*.c)
REPORTS_SRC  := $(wildcard reports/*.c)
HARNESS_SRC  := $(filter-out harness/main.c,$(wildcard harness/*.c))
SUITE_SRC    := $(wildcard suite/*.c)
UNIT_SRC     := $(wildcard tests/test_*.c) tests/unit_main.c
SELFTEST_SRC := tests/selftest_checks.c suite/clauses.c suite/clause_axes.c
TOOL_SRC     := $(wildcard tests/tool_*.c)
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)

objs = $(patsubst %.c,$(1)/obj/%.o,$(2))
# Archives, highest layer first, as the linker wants them.
ARCHIVES = $(1)/libnc-harness.a $(1)/libnc-reports.a $(1)/libnc-observe.a \
	   $(1)/libnc-world.a $(1)/libnc-check.a $(1)/libnc-base.a

# Plain `make` builds the program: this is the first rule.
all: $(B)/netconform

.SECONDARY:
.PHONY: all deps run run-musl test test-build bench asan clean deps-vm run-vm deps-test fuzz fuzzers soak matrix mutate FORCE \
	install uninstall deb

# The version and commit, looked up on every build and rewritten only when
# they change: what includes version.h is rebuilt then, and only then, so
# --version never names a stale commit.  A file of its own per make: make
# test's steps may run make beside the ASan build.
$(B)/gen/version.h: FORCE
	@mkdir -p $(@D)
	@{ echo '#define NC_VERSION "$(RELEASE)"'; \
	   echo "#define NC_DESCRIBE \"$$(git describe --always --dirty 2>/dev/null || echo unknown)\""; \
	   echo "#define NC_COMMIT \"$$(git rev-parse HEAD 2>/dev/null || echo unknown)$$(git diff --quiet HEAD 2>/dev/null || echo ' (modified)')\""; \
	 } >$@.tmp.$$$$; \
	 cmp -s $@.tmp.$$$$ $@ && rm -f $@.tmp.$$$$ || mv $@.tmp.$$$$ $@
VERSIONED := harness/main.o harness/env.o
$(foreach v,$(B) $(B)/asan,$(addprefix $(v)/obj/,$(VERSIONED))): $(B)/gen/version.h

deps:
	@bash harness/deps.sh

define variant # $(1): output dir, $(2): compile flags, $(3): link flags, $(4): compiler (default $(CC)), $(5): netconform's libraries (default: shared)
$(1)/obj/lib/base/%.o:    INC = $(INC_base)
$(1)/obj/lib/check/%.o:   INC = $(INC_check)
$(1)/obj/lib/world/%.o:   INC = $(INC_world)
$(1)/obj/lib/observe/%.o: INC = $(INC_observe)
$(1)/obj/reports/%.o:     INC = $(INC_reports)
$(1)/obj/%.o: %.c
	@mkdir -p $$(@D)
	$$(or $(4),$$(CC)) $$(CPPFLAGS) $$(or $$(INC),$(INC_all)) $$(PKG_CFLAGS) $(2) $(WARN) -MMD -MP -c $$< -o $$@

$(1)/libnc-base.a:    $(call objs,$(1),$(BASE_SRC))
$(1)/libnc-check.a:   $(call objs,$(1),$(CHECK_SRC))
$(1)/libnc-world.a:   $(call objs,$(1),$(WORLD_SRC))
$(1)/libnc-observe.a: $(call objs,$(1),$(OBSERVE_SRC))
$(1)/libnc-reports.a: $(call objs,$(1),$(REPORTS_SRC))
$(1)/libnc-harness.a: $(call objs,$(1),$(HARNESS_SRC))
$(1)/libnc-%.a:
	@rm -f $$@
	$$(AR) rcs $$@ $$^

$(1)/netconform: $(call objs,$(1),harness/main.c $(SUITE_SRC) $(HEAP_COUNTER)) $(call ARCHIVES,$(1))
	$$(or $(4),$$(CC)) $(3) $$(LDFLAGS) -o $$@ $$^ $(or $(5),$$(PKG_LIBS) -lpthread -lm)
$(1)/netconform-selftest: $(call objs,$(1),harness/main.c $(SELFTEST_SRC)) $(call ARCHIVES,$(1))
	$$(or $(4),$$(CC)) $(3) -o $$@ $$^ $$(PKG_LIBS) -lpthread -lm
$(1)/tests/unit: $(call objs,$(1),$(UNIT_SRC) suite/clauses.c suite/clause_axes.c) $(call ARCHIVES,$(1))
	@mkdir -p $$(@D)
	$$(or $(4),$$(CC)) $(3) -o $$@ $$^ $$(PKG_LIBS) -lpthread -lm
$(1)/tests/%: $(call objs,$(1),tests/%.c suite/clauses.c suite/clause_axes.c) $(call ARCHIVES,$(1))
	@mkdir -p $$(@D)
	$$(or $(4),$$(CC)) $(3) -o $$@ $$^ $$(PKG_LIBS) -lpthread -lm
# The check layer links with libc alone: no -l at all.
$(1)/obj/tests/libc_check.o: INC = $(INC_check)
$(1)/tests/libc_check: $(call objs,$(1),tests/libc_check.c) $(1)/libnc-check.a $(1)/libnc-base.a
	@mkdir -p $$(@D)
	$$(or $(4),$$(CC)) $(3) -o $$@ $$^
endef
$(eval $(call variant,$(B),$(CFLAGS),$(BIND_NOW) $$(FAST_LD),,$$(PROGRAM_LIBS)))
# The ASan build is clang's, so that the fuzz targets (tests/fuzz/) link its
# objects: no third compile of the layers.  Line tables only: a report's
# frames keep file:line, the compile 7% less.
$(eval $(call variant,$(B)/asan,-O1 -gline-tables-only $(ASAN) $$(COVERAGE),$(ASAN),clang))
FUZZERS = $(patsubst tests/fuzz/%.c,$(B)/asan/fuzz/%,$(FUZZ_SRC))
# The targets reach the parsers and report readers alone: the layers below
# the harness (their archives) and the expectation parser.
FUZZ_OWN  := harness/expect.c harness/expect_parse.c suite/clauses.c suite/clause_axes.c
FUZZ_LINK  = $(call objs,$(B)/asan,$(FUZZ_OWN)) $(addprefix $(B)/asan/libnc-,reports.a world.a check.a base.a)
FUZZED_SRC = $(FUZZ_SRC) $(FUZZ_OWN) $(REPORTS_SRC) $(WORLD_SRC) $(CHECK_SRC) $(BASE_SRC)
# libFuzzer's coverage in what the targets link, and only there: the checks,
# the runner and sock_diag compile without it and run in make test's ASan
# steps without a call at each comparison.
COVERAGE :=
$(call objs,$(B)/asan,$(FUZZED_SRC)): COVERAGE = -fsanitize=fuzzer-no-link
$(B)/asan/fuzz/%: $(B)/asan/obj/tests/fuzz/%.o $(FUZZ_LINK)
	@mkdir -p $(@D)
	clang $(ASAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lpthread -lm
fuzzers: $(FUZZERS)

# The checks a second time, with musl (README "What musl does differently"):
# suite/ built with musl-gcc -static against the check layer and the world's
# libc-only files; musl/ answers the engine calls bodies make, locally or by
# asking the glibc worker (harness/musl_serve.c).  The kernel's uapi headers
# (linux/, asm/) are the same for both C libraries; musl-gcc hides them.
MUSL_CC  ?= musl-gcc
MUSL_SRC := $(BASE_SRC) $(CHECK_SRC) $(HEAP_COUNTER) $(SUITE_SRC) $(wildcard musl/*.c) \
	    lib/world/case_host.c lib/world/stream_pair.c lib/world/sysctl.c lib/world/privilege.c \
	    lib/world/resolver.c
MUSL_VERSION = $(shell { /lib/ld-musl-$$(uname -m).so.1 2>&1 | sed -n 's/^Version //p'; \
		 dpkg-query -W -f='$${Version}' musl 2>/dev/null; } | head -n 1)
KERNEL_INC := $(firstword $(wildcard /usr/include/$(shell gcc -print-multiarch 2>/dev/null)) /usr/include)
$(B)/musl/include/.uapi:
	@mkdir -p $(@D)
	ln -sfn /usr/include/linux $(@D)/linux
	ln -sfn /usr/include/asm-generic $(@D)/asm-generic
	ln -sfn $(KERNEL_INC)/asm $(@D)/asm
	@touch $@
# the version only where it is printed: asked of dpkg for each object, it
# was 70 calls of dpkg-query in a build
MUSL_DEFS :=
$(B)/musl/obj/musl/main.o: MUSL_DEFS = -DNC_MUSL_VERSION='"$(MUSL_VERSION)"'
$(B)/musl/obj/%.o: %.c $(B)/musl/include/.uapi
	@mkdir -p $(@D)
	@command -v $(MUSL_CC) >/dev/null || { echo "$(MUSL_CC) not found: install musl-tools (make deps)" >&2; exit 2; }
	$(MUSL_CC) -std=gnu11 -D_GNU_SOURCE $(MUSL_DEFS) \
		-Ilib/base -Ilib/check -Ilib/world -Ilib/observe -Imusl -idirafter $(B)/musl/include \
		$(CFLAGS) $(WARN) -MMD -MP -c $< -o $@
$(B)/netconform-musl: $(call objs,$(B)/musl,$(MUSL_SRC))
	$(MUSL_CC) -static -o $@ $^

TOOLS = $(patsubst tests/%.c,%,$(TOOL_SRC))
asan: $(B)/asan/netconform $(B)/asan/netconform-selftest $(B)/asan/tests/unit \
	$(B)/asan/tests/libc_check $(addprefix $(B)/asan/tests/,$(TOOLS))

run: deps
	@$(MAKE) --no-print-directory $(B)/netconform
	$(B)/netconform run --out reports/out

# Another C library (README "What musl does differently"): the suite on glibc
# and on musl, and the page comparing them.
run-musl: deps
	@$(MAKE) --no-print-directory $(B)/netconform $(B)/netconform-musl
	$(B)/netconform run --out reports/glibc
	$(B)/netconform run --libc musl --out reports/musl
	$(B)/netconform compare reports/glibc reports/musl --out reports/musl || [ $$? -eq 1 ]

# Another kernel (harness/vm.c, README "Another kernel"): the suite in QEMU
# on Debian's 6.1 kernel (sch_netem), reports in reports/vm: the platform
# bookworm-6.1-glibc of harness/platforms.txt (the .deb unpacked under
# build/platforms/ by harness/platform.sh, not /boot's; its expectations).
# VM_KERNEL=IMAGE boots another kernel.
deps-vm: deps
	@bash harness/deps.sh harness/vm/packages.txt
run-vm: deps-vm
	@$(MAKE) --no-print-directory $(B)/netconform
	$(B)/netconform run $(if $(VM_KERNEL),--kernel $(VM_KERNEL),--platform bookworm-6.1-glibc) \
		--out reports/vm

# What only the project's own tests need (clang for libFuzzer, ...).
deps-test: deps
	@bash harness/deps.sh harness/test-packages.txt

# The conformance matrix (README "The conformance matrix"): every platform
# this machine can run, one column each, in reports/matrix/.
matrix: deps-vm
	@$(MAKE) --no-print-directory $(B)/netconform $(B)/netconform-musl
	@B=$(B) bash harness/matrix.sh reports/matrix

# The suite tests itself (README): misbehaving socket and resolver functions,
# preloaded one at a time; every one must turn some check red.
$(B)/mutants.so: tests/mutants/mutants.c tests/mutants/netdb.c tests/mutants/addrinfo.c \
		tests/mutants/nameinfo.c \
		tests/mutants/mutants.h tests/mutants/mutants.def tests/mutants/resolver.def \
		tests/mutants/heldout.def tests/mutants/heldout2.def tests/mutants/heldout3.def
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -fPIC -shared -o $@ $(filter %.c,$^) -ldl
# Issue 20's held-out mutants: libraries of their own, preloaded after
# mutants.so, each under the one before (tests/mutants/heldout.c says why):
# rounds 1 and 2 in heldout.so (the second's functions called by the
# first's), round 3 in heldout3.so under it.
HELDOUT_DEPS = tests/mutants/heldout_base.c tests/mutants/heldout.h tests/mutants/mutants.h \
	tests/mutants/mutants.def tests/mutants/resolver.def tests/mutants/heldout.def \
	tests/mutants/heldout2.def tests/mutants/heldout3.def
$(B)/heldout.so: tests/mutants/heldout.c tests/mutants/heldout_netdb.c \
		tests/mutants/heldout2.c tests/mutants/heldout2_netdb.c $(HELDOUT_DEPS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -fPIC -shared -o $@ $(filter %.c,$^) -ldl
$(B)/heldout3.so: tests/mutants/heldout3.c tests/mutants/heldout3_netdb.c $(HELDOUT_DEPS)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -fPIC -shared -o $@ $(filter %.c,$^) -ldl
# Every mutant against all of its globs; the checks that caught each are
# kept in tests/mutants/caught-by.txt, which make test tries first.
mutate:
	@$(MAKE) --no-print-directory $(B)/netconform $(B)/mutants.so $(B)/heldout.so $(B)/heldout3.so
	@MUTATE_WRITE_HINTS=tests/mutants/caught-by.txt bash tests/mutants/mutate.sh

# Everything the project's tests run, built (`make test-build` alone: no tests).
TESTED  = $(B)/netconform $(B)/netconform-selftest $(B)/netconform-musl $(B)/tests/libc_check \
	  $(B)/mutants.so $(B)/heldout.so $(B)/heldout3.so $(addprefix $(B)/tests/,$(TOOLS))
test-build:
	@$(MAKE) --no-print-directory $(TESTED) asan $(FUZZERS)
# The steps start once the programs are built: the ASan build runs beside
# the first steps (tests/run.sh: the steps that run it wait for it); the
# fuzz step links its targets from its objects (tests/t_fuzz.sh).
test: deps deps-vm deps-test	# deps-vm: tests/t_vm.sh boots the second kernel
	@$(MAKE) --no-print-directory $(TESTED)
	@bash tests/run.sh

# `make fuzz [FUZZ_SECONDS=180]`: each target for that long (tests/fuzz.sh).
FUZZ_SECONDS ?= 180
fuzz: deps-test
	@$(MAKE) --no-print-directory $(FUZZERS)
	@B=$(B) bash tests/fuzz.sh $(FUZZ_SECONDS)

# `make soak`: the verdicts under load against a quiet run's (tests/soak.sh):
# light (one core busy, SOAK_RUNS=50 runs), heavy (stress-ng 4 workers per
# core and a second suite, SOAK_HEAVY_RUNS=30 runs, glibc and musl), overload
# (8 per core, SOAK_OVERLOAD_RUNS=10).  SOAK_PROFILES picks some of them.
SOAK_RUNS ?= 50
SOAK_HEAVY_RUNS ?= 30
SOAK_OVERLOAD_RUNS ?= 10
SOAK_PROFILES ?= light heavy overload
soak: deps-test	# stress-ng
	@$(MAKE) --no-print-directory $(B)/netconform $(B)/netconform-musl
	@B=$(B) SOAK_RUNS=$(SOAK_RUNS) SOAK_HEAVY_RUNS=$(SOAK_HEAVY_RUNS) \
		SOAK_OVERLOAD_RUNS=$(SOAK_OVERLOAD_RUNS) bash tests/soak.sh $(SOAK_PROFILES)

bench: deps
	@$(MAKE) --no-print-directory $(B)/netconform $(B)/netconform-musl $(addprefix $(B)/tests/,$(TOOLS))
	@bash tests/bench.sh

# `make install [PREFIX=/usr/local] [DESTDIR=]`: the program (and
# netconform-musl, when built) in PREFIX/bin, what a run reads in
# PREFIX/share/netconform, where the program finds it from wherever it runs
# (harness/datadir.c).  `make uninstall` with the same PREFIX and DESTDIR
# removes them again.
PREFIX   ?= /usr/local
BINDIR   := $(PREFIX)/bin
DATADIR  := $(PREFIX)/share/netconform
DOCDIR   := $(PREFIX)/share/doc/netconform
install: $(B)/netconform
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/scenarios \
		$(DESTDIR)$(DATADIR)/expectations $(DESTDIR)$(DOCDIR)
	install -m 755 $(B)/netconform $(DESTDIR)$(BINDIR)/netconform
	if [ -x $(B)/netconform-musl ]; then \
		install -m 755 $(B)/netconform-musl $(DESTDIR)$(BINDIR)/netconform-musl; fi
	install -m 644 scenarios/*.scn scenarios/*.md $(DESTDIR)$(DATADIR)/scenarios/
	install -m 644 expectations/*.txt $(DESTDIR)$(DATADIR)/expectations/
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/netconform $(DESTDIR)$(BINDIR)/netconform-musl
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

clean:
	rm -rf $(B) reports/out reports/matrix reports/screenshots reports/vm reports/glibc reports/musl

# build/platforms holds other roots, with builds of their own: not ours.
-include $(shell find $(B) -path '$(B)/platforms*' -prune -o -name '*.d' -type f -print 2>/dev/null)
