# netconform: `make run` builds and runs the suite, `make test` tests the project.
PKGS     := cunit libnl-3.0 libnl-route-3.0 libnl-idiag-3.0 libxml-2.0 libcap libpcap ldns libnftnl libmnl
B        := build
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror
ASAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -D_GNU_SOURCE -DNC_SRCDIR='"$(CURDIR)"' -DNC_VERSION='"$(VERSION)"' -Ilib -Ireports -Iharness
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)

LIB_SRC      := $(wildcard lib/*.c)
REPORTS_SRC  := $(wildcard reports/*.c)
HARNESS_SRC  := $(filter-out harness/main.c,$(wildcard harness/*.c))
SUITE_SRC    := $(wildcard suite/*.c)
ENGINE_SRC   := $(LIB_SRC) $(REPORTS_SRC) $(HARNESS_SRC)
UNIT_SRC     := $(wildcard tests/test_*.c) tests/unit_main.c
SELFTEST_SRC := tests/selftest_checks.c suite/clauses.c
TOOL_SRC     := $(wildcard tests/tool_*.c)

objs = $(patsubst %.c,$(1)/obj/%.o,$(2))

.PHONY: all deps run test bench asan clean deps-vm run-vm
all: $(B)/netconform

deps:
	@bash harness/deps.sh

# One rule per build variant: plain (build/) and AddressSanitizer (build/asan/).
$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@
$(B)/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) -O1 -g $(ASAN) $(WARN) -MMD -MP -c $< -o $@

define binaries # $(1): output dir, $(2): extra link flags
$(1)/netconform: $(call objs,$(1),harness/main.c $(ENGINE_SRC) $(SUITE_SRC))
	$$(CC) $(2) -o $$@ $$^ $$(PKG_LIBS) -lpthread -lm
$(1)/netconform-selftest: $(call objs,$(1),harness/main.c $(ENGINE_SRC) $(SELFTEST_SRC))
	$$(CC) $(2) -o $$@ $$^ $$(PKG_LIBS) -lpthread -lm
$(1)/tests/unit: $(call objs,$(1),$(ENGINE_SRC) $(UNIT_SRC) suite/clauses.c)
	@mkdir -p $$(@D)
	$$(CC) $(2) -o $$@ $$^ $$(PKG_LIBS) -lpthread -lm
$(1)/tests/%: $(call objs,$(1),tests/%.c $(ENGINE_SRC) suite/clauses.c)
	@mkdir -p $$(@D)
	$$(CC) $(2) -o $$@ $$^ $$(PKG_LIBS) -lpthread -lm
endef
$(eval $(call binaries,$(B),))
$(eval $(call binaries,$(B)/asan,$(ASAN)))

TOOLS = $(patsubst tests/%.c,%,$(TOOL_SRC))
asan: $(B)/asan/netconform $(B)/asan/netconform-selftest $(B)/asan/tests/unit \
	$(addprefix $(B)/asan/tests/,$(TOOLS))

run: deps
	@$(MAKE) --no-print-directory $(B)/netconform
	$(B)/netconform run --out reports/out

# Another kernel (harness/vm.c, README "Another kernel"): the suite in QEMU
# on Debian's 6.1 kernel (sch_netem), reports in reports/vm.
VM_KERNEL ?= /vmlinuz
deps-vm: deps
	@bash harness/deps.sh harness/vm/packages.txt
run-vm: deps-vm
	@$(MAKE) --no-print-directory $(B)/netconform
	$(B)/netconform run --kernel $(VM_KERNEL) --out reports/vm

test: deps deps-vm	# deps-vm: tests/t_vm.sh boots the second kernel
	@$(MAKE) --no-print-directory $(B)/netconform $(B)/netconform-selftest asan \
		$(addprefix $(B)/tests/,$(TOOLS))
	@bash tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory $(B)/netconform $(addprefix $(B)/tests/,$(TOOLS))
	@bash tests/bench.sh

clean:
	rm -rf $(B) reports/out reports/vm

-include $(shell find $(B) -name '*.d' 2>/dev/null)
