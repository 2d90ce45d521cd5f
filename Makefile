# SPDX-License-Identifier: GPL-2.0
#
# Builds the kernel's mm/vma_init.c, mm/vma_exec.c, mm/vma.c, mm/mmap_lock.c
# and lib/maple_tree.c from KDIR, unchanged, against the stubs in include/,
# the definitions extracted from KDIR's own headers (scripts/build/) and the
# environment in shared/, and links them with the tests into ./vma.
# Parsing it has no side effect: installing what the build needs and
# fetching the default tree happen in a recipe ($(TREE_MK) below).  The
# variables it takes are listed once, in HELP, which make help prints.

define HELP
usage: make [VARIABLE=value ...] [all | check | matrix | clean | help]
  all          build ./vma (the default)
  check        build and run the suite: ./vma $$(CHECK_ARGS), e.g.
               CHECK_ARGS='-t readers.*'
  matrix       ./run_tests.sh $$(MATRIX_ARGS) (with --kdir KDIR if KDIR is
               given), e.g. MATRIX_ARGS=--quick
  print-kernel-files  the kernel .c files the build compiles whole
  CONFIG=name  the configuration (configs/NAME: CONFIG_ symbols and the
               toolchain; default debug); its build directory is
               build/NAME and its binary build/NAME/vma, except debug's
  KDIR=path    the kernel tree (default: the tree around this directory when
               it sits at tools/testing/vma, else Debian's linux-source-7.3,
               fetched once into ~/.cache/vma-harness); never written
  O=dir        where every output goes (default: build/, and ./vma; with
               O=, the binary is dir/vma)
  SANITIZE=0   no ASan/UBSan (for Valgrind; default 1)
  KCSAN=1      the race detector on the kernel's memory model (no ASan)
  BENCH=1      -O2, no sanitizers (for ./vma --bench)
  COVERAGE=1   gcov instrumentation, -O0 (exact lines); COVERAGE=branches:
               at -O1 (exact branches); see run_tests.sh --coverage
  CC=cc        the compiler; LLVM=1 is CC=clang
  CCACHE=      build without ccache even where it is installed
  EXTRA_CFLAGS=... more compiler flags
  FUZZ=1       the libFuzzer target instead (clang, ASan+UBSan): build/fuzz/vma-fuzz
  FUZZ_COV=1   with FUZZ=1: mm/vma.c with clang's coverage (build/fuzz-cov)
  V=1          print the commands
endef
export HELP

.DEFAULT_GOAL := all
REPO := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
FUZZ ?= 0
ifeq ($(LLVM),1)
CC := clang
endif
# The configuration (configs/NAME, format in configs/debug): its CONFIG_
# symbols are the -D flags of every unit (and so decide which branches of
# the tree's headers kextract.py takes), its VH_ keys the toolchain.  Read
# with sed, not included: nothing in it is make syntax.
CONFIG ?= debug
CONFIGS := $(notdir $(wildcard $(REPO)/configs/*))
CONFIG_FILE := $(REPO)/configs/$(CONFIG)
ifeq ($(filter $(CONFIG),$(CONFIGS)),)
ifeq ($(filter help,$(MAKECMDGOALS)),)
$(error vma: no configuration '$(CONFIG)' (configs/: $(CONFIGS)))
endif
endif
cfgval = $(shell sed -n 's/^$(1)=//p' $(CONFIG_FILE) 2>/dev/null)
CONFIG_SYMS := $(shell sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=y$$/\1/p' \
	$(CONFIG_FILE) 2>/dev/null)
VH_ARCH := $(or $(call cfgval,VH_ARCH),x86)
VH_CROSS_COMPILE := $(call cfgval,VH_CROSS_COMPILE)
VH_CFLAGS := $(call cfgval,VH_CFLAGS)
ifeq ($(origin CC),default)
CC := $(VH_CROSS_COMPILE)gcc
ifeq ($(VH_CROSS_COMPILE),)
CC := cc
endif
endif
OBJCOPY := $(VH_CROSS_COMPILE)objcopy
NM := $(VH_CROSS_COMPILE)nm
ifneq ($(CONFIG),debug)
ifneq ($(origin O),command line)
O := $(REPO)/build/$(CONFIG)
endif
PROG ?= $(abspath $(O))/vma
endif
# The fuzz target (fuzz/vma_fuzz.c): its own binary and build directory.
ifeq ($(FUZZ),1)
CC := clang
ifeq ($(FUZZ_COV),1)
O ?= $(REPO)/build/fuzz-cov
endif
O ?= $(REPO)/build/fuzz
PROG ?= $(abspath $(O))/vma-fuzz
endif
ifeq ($(origin O),command line)
PROG ?= $(abspath $(O))/vma
endif
O ?= $(REPO)/build
override O := $(abspath $(O))
SANITIZE ?= $(or $(call cfgval,VH_SANITIZE),1)
KCSAN ?= $(or $(call cfgval,VH_KCSAN),0)
COVERAGE ?= 0
BENCH ?= 0
PROG ?= $(REPO)/vma
KDIR_SCRIPT ?= $(REPO)/scripts/kdir.sh
BUILDIN := $(REPO)/scripts/build
SHELL := /bin/bash

ifeq ($(V),1)
Q :=
else
Q := @
endif

NODEPS := $(filter clean help matrix print-kernel-files,$(MAKECMDGOALS))
# make -n prints what it would do and does nothing, the set-up included.
DRYRUN := $(findstring n,$(firstword -$(MAKEFLAGS)))

ifeq ($(NODEPS),)
# Which tree: named while parsing, with no side effect; a KDIR that is no
# usable tree is one line here.
KRESOLVE := $(shell KDIR='$(KDIR)' $(KDIR_SCRIPT) --resolve 2>&1)
ifneq ($(filter vma:%,$(firstword $(KRESOLVE))),)
$(error $(KRESOLVE))
endif

# What the build needs to know of the tree (KTREE, KVERSION, the lock
# guard) is written by a recipe into $(TREE_MK), after installing what the
# build needs (scripts/need.sh) and fetching the default tree if it is not
# there yet; make then reads it and starts over.  A failure is written there
# as the one line to stop with, and set-up is tried again on the next make.
TREE_MK := $(O)/tree/$(shell printf %s '$(KRESOLVE)' | md5sum | cut -c1-16).mk
-include $(TREE_MK)
ifeq ($(DRYRUN),)
ifneq ($(KTREE_FAILED),)
ifneq ($(MAKE_RESTARTS),)
$(error $(KTREE_FAILED))
endif
endif
$(TREE_MK): $(KDIR_SCRIPT) $(REPO)/scripts/need.sh $(wildcard \
		$(KRESOLVE)/Makefile $(KRESOLVE)/mm/mmap_lock.c \
		$(KRESOLVE)/include/linux/mmap_lock.h) $(if $(KTREE_FAILED),FORCE)
	@mkdir -p $(dir $@)
	@echo "  SETUP   kernel tree and packages"
	$(Q)if CC='$(CC)' $(REPO)/scripts/need.sh $(if $(VH_CROSS_COMPILE),,liburcu-dev) \
		python3 $(call cfgval,VH_PACKAGES) \
		2>$@.err && \
	    KDIR='$(KDIR)' $(KDIR_SCRIPT) --mk >$@.tmp 2>>$@.err; then \
		cat $@.err >&2; mv $@.tmp $@; \
	else \
		echo "KTREE_FAILED := $$(grep '^vma:' $@.err | tail -n 1)" >$@; \
	fi; rm -f $@.tmp $@.err
else ifeq ($(wildcard $(TREE_MK)),)
# make -n on a checkout not set up yet: what the set-up would find, if the
# tree is there already (never fetched here); else the plan stops at it.
$(foreach v,$(shell KDIR='$(KDIR)' $(KDIR_SCRIPT) --peek 2>/dev/null | \
	sed 's/ := /:=/'),$(eval $(v)))
ifeq ($(KTREE),)
DRYRUN_SETUP := 1
endif
endif
endif

.PHONY: FORCE
FORCE:

GEN := $(O)/gen
# Every compiler command runs in $(O) and names the tree, this directory and
# the generated files by paths relative to it, through the links
# $(GEN)/ksrc (the tree) and $(GEN)/repo (this directory).  The same files
# built with the same flags are then the same command wherever the tree and
# the build directory are, and ccache can share objects between build
# directories: run_tests.sh's in-tree layouts take those of its first build,
# and a --patch run's new scratch copy those of the tree it was made from.
# __FILE__, as in the kernel's own build, is relative to the tree (or to
# this directory).
KS := gen/ksrc
RS := gen/repo
GS := gen
REL = $(patsubst $(O)/%,%,$@)
# What the compiler wrote into a dependency file is relative to $(O).
DEPFIX = sed -i -e 's,\(^\| \)\([^ /\\]\),\1$(O)/\2,g' $(basename $@).d
# A debug kernel: lockdep's held-lock record and lockdep maps (for the
# maple tree too: shared/env/maple_debug.h), checked by shared/env/.
# Benchmarks are run without lockdep, as on a production kernel.
ifeq ($(BENCH),1)
CONFIG_SYMS := $(filter-out CONFIG_LOCKDEP CONFIG_DEBUG_LOCK_ALLOC \
	CONFIG_PROVE_RCU,$(CONFIG_SYMS))
endif
ARCHFLAGS := $(addprefix -D,$(CONFIG_SYMS)) \
	$(PVL_DEFINE) \
	$(HAVE_UNLOCKED) \
	$(if $(filter 1,$(KCSAN)),-DVH_KCSAN)

# Stubs first, then generated headers and links to the few real kernel
# headers we use, then the kernel's own userspace shims.
# (tools/testing/shared comes early so that its quoted
# "../../include/linux/kernel.h" resolves to tools/include.)
INCLUDES := -I$(RS)/include -I$(RS) -I$(KS)/tools/testing/shared \
	-I$(GS) -I$(GS)/kinc \
	-I$(KS)/tools/include \
	-I$(KS)/tools/arch/$(VH_ARCH)/include -I$(GS)/empty

# As the kernel: -Wno-pointer-sign.
WARN := -Wall -Werror=implicit-function-declaration -Wno-unused-function -Wno-unused-variable -Wno-pointer-sign
# clang: kernel code leans on GNU C extensions, and tools/'s spinlock stubs
# never set the irqsave flags the real seqlock.h then reads.
IS_CLANG := $(filter-out 0,$(shell $(CC) --version 2>/dev/null | grep -c clang))
ifneq ($(IS_CLANG),)
WARN += -Wno-c2x-extensions -Wno-uninitialized
endif
OPT := -g -O1 -fno-omit-frame-pointer -fno-strict-aliasing
# gcc: without var-tracking assignments the large units (mm/vma.c,
# upstream's tests, lib/maple_tree.c) compile in about half the time; gdb
# still shows variables, with less precise ranges.
ifeq ($(shell $(CC) --version 2>/dev/null | grep -c clang),0)
OPT += -fno-var-tracking-assignments
endif
# ccache, when installed, caches compilations (CCACHE= does without).  In
# its depend mode it takes what a unit read from the compiler's dependency
# file: no second preprocessor run for a unit not in the cache.
CCACHE ?= $(shell command -v ccache 2>/dev/null)
ifneq ($(CCACHE),)
override CCACHE := CCACHE_DEPEND=1 $(CCACHE)
endif
ifeq ($(BENCH),1)
OPT := -g -O2
SANITIZE := 0
endif
SANFLAGS :=
ifeq ($(TSAN),1)
$(error TSAN=1 is gone: make KCSAN=1 builds the race detector that replaces it)
endif

# The race detector (shared/kcsan/; its interface: shared/env/kcsan.h).
# Every unit gets the kernel's KCSAN instrumentation (scripts/Makefile.kcsan) and is linked against our
# runtime, not libtsan; the harness units' calls are renamed to the
# runtime's harness hooks (vh_h__tsan_*), so that only kernel code is
# checked.  free() and realloc() are wrapped: freed memory is forgotten.
KCSAN_CFLAGS :=
KCSAN_RENAME :=
ifeq ($(KCSAN),1)
override SANITIZE := 0
ifneq ($(IS_CLANG),)
KCSAN_CFLAGS := -fsanitize=thread -fno-optimize-sibling-calls \
	-mllvm -tsan-compound-read-before-write=1 \
	-mllvm -tsan-distinguish-volatile=1 \
	-mllvm -tsan-instrument-func-entry-exit=0
else
KCSAN_CFLAGS := -fsanitize=thread -fno-optimize-sibling-calls \
	--param tsan-distinguish-volatile=1 \
	--param tsan-instrument-func-entry-exit=0 -Wno-tsan
endif
KCSAN_RENAME = && $(NM) -u $@ | awk '$$2 ~ /^__tsan_/ { print $$2, "vh_h" $$2 }' \
	> $@.syms && $(OBJCOPY) --redefine-syms=$@.syms $@
LDFLAGS += -Wl,--wrap=free,--wrap=realloc
endif

ifeq ($(SANITIZE),1)
# ASan reports fail the running test and the run goes on (shared/env/kasan.c).
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fsanitize-recover=address
endif
ifneq ($(filter 1 branches,$(COVERAGE)),)
SANFLAGS += --coverage
endif
ifeq ($(FUZZ),1)
SANFLAGS += -fsanitize=fuzzer-no-link
endif
# gcov counts lines exactly only unoptimised (at -O1 an early return, such
# as expand_downwards()'s -EPERM, is counted on another line), and branches
# only optimised (at -O0 the compile-time size dispatch of READ_ONCE() is
# counted as branches never taken): run_tests.sh --coverage takes lines
# from a COVERAGE=1 build and branches from a COVERAGE=branches one.
ifeq ($(COVERAGE),1)
OPT := -g -O0
endif
# A gcov object names its counts file by the absolute path it was built at:
# no cached object of another build directory.
ifneq ($(COVERAGE),0)
override CCACHE :=
endif

BASE_CFLAGS := -std=gnu11 $(VH_CFLAGS) $(OPT) $(WARN) -D_LGPL_SOURCE \
	-D_GNU_SOURCE $(SANFLAGS) $(EXTRA_CFLAGS)
CFLAGS_K := $(BASE_CFLAGS) $(ARCHFLAGS) $(INCLUDES) \
	-fmacro-prefix-map=$(KS)/= -fmacro-prefix-map=$(RS)/= \
	-fmacro-prefix-map=$(GS)/kinc/=include/
LDLIBS := -lurcu -lpthread
LDFLAGS += $(VH_CFLAGS) $(SANFLAGS)

# Maple tree and its helpers, built as tools/testing/vma builds them
# (under KCSAN=1, with its RCU publication visible to the race detector:
# include/maple/kcsan-rcu.h).
MAPLE_CFLAGS := $(BASE_CFLAGS) \
	$(if $(filter 1,$(KCSAN)),-DVH_KCSAN \
		-include $(RS)/include/maple/kcsan-rcu.h) \
	-I$(KS)/tools/testing/shared \
	-I$(GS) -I$(KS)/tools/include \
	-I$(KS)/tools/arch/$(VH_ARCH)/include -I$(KS)/lib -w \
	-fmacro-prefix-map=$(KS)/= -fmacro-prefix-map=$(RS)/=
MAPLE_OBJS := $(addprefix $(O)/maple/,maple-shim.o linux.o slab.o \
	find_bit.o bitmap.o hweight.o vsprintf.o xarray-shared.o rbtree.o \
	radix-tree.o idr.o)

# The harness, room by room (shared/*/), and our tables: every tests/*.c
# that registers one (VH_*TABLE*()), found by its text, since in a kernel
# tree's tools/testing/vma upstream's tests/*.c sit next to them and belong
# to the upstream suite instead (tests/upstream.c, built on its own).
ENV_SRCS := $(wildcard $(REPO)/shared/*/*.c)
TABLE_LINE := ^VH_[A-Z_]*TABLE[A-Z_]*[(]
TEST_SRCS := $(filter-out %/upstream.c,$(shell grep -l '$(TABLE_LINE)' \
	$(sort $(wildcard $(REPO)/tests/*.c)) /dev/null))
ENV_OBJS := $(patsubst $(REPO)/%.c,$(O)/%.o,$(ENV_SRCS))
TEST_OBJS := $(patsubst $(REPO)/%.c,$(O)/%.o,$(TEST_SRCS)) $(O)/tests/upstream.o
# The fuzz engine (fuzz/vma_fuzz.c) runs the regression table's rows
# (tests/fuzz_regress.c) in ./vma; FUZZ=1 adds the libFuzzer entry
# points (fuzz/libfuzzer.c): libFuzzer's main() runs the target, the
# runner's is renamed.  FUZZ_COV=1 also gives the tree's mm/vma.c (only
# it: not upstream's copy in tests/upstream.o) clang's source-based
# coverage, for scripts/fuzz_cov.sh.
TEST_OBJS += $(O)/fuzz/vma_fuzz.o
ifeq ($(FUZZ),1)
TEST_OBJS += $(O)/fuzz/libfuzzer.o
FUZZ_LDFLAGS := -fsanitize=fuzzer
$(O)/shared/kunit/main.o: CFLAGS_K += -Dmain=vh_runner_main
ifeq ($(FUZZ_COV),1)
FUZZ_LDFLAGS += -fprofile-instr-generate
$(O)/kernel/mm/vma.o: CFLAGS_K += -fprofile-instr-generate -fcoverage-mapping
endif
endif

# What we compile from the tree, unchanged: one object per kernel file.
KERNEL_FILES := mm/mmap_lock.c mm/vma.c mm/vma_init.c mm/vma_exec.c mm/mmap.c \
	mm/mremap.c lib/refcount.c
KERNEL_OBJS := $(patsubst %.c,$(O)/kernel/%.o,$(KERNEL_FILES))

# What we take from the tree by name where a file cannot be compiled whole
# and the functions must run in an environment of their own: one unit per
# list (scripts/build/units/NAME.names), the functions it names with the
# static helpers they use, inside their #ifs, with #line into the tree
# (scripts/build/kextract.py), between the environment the unit runs in
# and what hands the functions to the tests.  Both are named in the list
# itself, by its "# env: FILE" and "# ops: FILE" lines.
# A unit whose files the tree lacks (7.2's cache has no drivers/ or net/)
# is left out: its hand-over functions are weak, and its tests say why
# they are skipped.
KX_SOURCES = $(addprefix $(KTREE)/,$(shell sed -n 's/^\[\(.*\)\]$$/\1/p' \
	$(BUILDIN)/units/$(1).names))
KX_UNITS_ALL := $(patsubst $(BUILDIN)/units/%.names,%,\
	$(wildcard $(BUILDIN)/units/*.names))
KX_UNITS := $(foreach u,$(KX_UNITS_ALL),$(if $(strip $(foreach f,\
	$(call KX_SOURCES,$(u)),$(if $(wildcard $(f)),,$(f)))),,$(u)))
kx_key = $(shell sed -n 's/^\#[[:space:]]*$(2):[[:space:]]*//p' \
	$(BUILDIN)/units/$(1).names)
$(foreach u,$(KX_UNITS),$(eval KX_ENV_$(u) := $(call kx_key,$(u),env)) \
	$(eval KX_OPS_$(u) := $(call kx_key,$(u),ops)))
KX_OBJS := $(patsubst %,$(O)/kx/%.o,$(KX_UNITS))

# What we take by name from the tree's .c files that cannot be compiled
# whole: one generated unit per name list (scripts/build/NAME.names, every
# list but env.names), build/gen/extract/NAME.c, made again when a file it
# reads changes.
EXTRACT_LISTS := $(filter-out %/env.names,$(wildcard $(BUILDIN)/*.names))
EXTRACT_SRCS := $(patsubst $(BUILDIN)/%.names,$(GEN)/extract/%.c,\
	$(EXTRACT_LISTS))
EXTRACT_OBJS := $(patsubst $(GEN)/extract/%.c,$(O)/kernel/extract/%.o,\
	$(EXTRACT_SRCS))
KERNEL_OBJS += $(EXTRACT_OBJS)
.SECONDARY: $(EXTRACT_SRCS)

# The tree's own suite (upstream's tools/testing/vma: shared.[ch] and
# tests/*.c, minus our tables when we sit there), if it has one.
UPSTREAM_DIR := $(KTREE)/tools/testing/vma
UPSTREAM_TESTS := $(filter-out $(addprefix %/,$(notdir $(TEST_SRCS)) \
	upstream.c),$(sort $(wildcard $(UPSTREAM_DIR)/tests/*.c)))
ifeq ($(and $(UPSTREAM_TESTS),$(wildcard $(UPSTREAM_DIR)/shared.c),$(wildcard \
	$(UPSTREAM_DIR)/shared.h)),)
UPSTREAM_SKIP := -DVH_UPSTREAM_SKIP='"the tree has no tools/testing/vma suite (shared.[ch], tests/*.c)"'
UPSTREAM_TESTS :=
endif

# Compile probes (scripts/build/probes/NAME.c): VH_HAVE_NAME where the
# tree's API compiles as the probe uses it.
PROBES := $(sort $(wildcard $(BUILDIN)/probes/*.c))
ENV_HEADERS := $(REPO)/vma_internal.h $(REPO)/mm_internal.h $(shell find $(REPO)/include \
	-name '*.h' 2>/dev/null)

GENERATED := $(GEN)/.links $(GEN)/vma_env.h $(GEN)/generated/bit-length.h \
	$(GEN)/generated/map-shift.h $(GEN)/generated/autoconf.h \
	$(GEN)/upstream_tests.h $(GEN)/probes.h

.PHONY: all check matrix print-kernel-files clean help
ifeq ($(DRYRUN_SETUP),)
all: $(PROG)
else
all:
	@echo "  SETUP   kernel tree and packages (scripts/need.sh, scripts/kdir.sh --mk)"
	@echo "make -n: the rest of the plan needs the kernel tree, which the set-up fetches first"
endif

check: $(PROG)
	$(PROG) $(CHECK_ARGS)

# The matrix sets up and builds on its own (one make per row).
matrix:
	$(REPO)/run_tests.sh $(if $(KDIR),--kdir '$(KDIR)') $(MATRIX_ARGS)

# For run_tests.sh --coverage, which reports every file it compiles.
print-kernel-files:
	@echo $(KERNEL_FILES)

# The longest units first, so that make -j overlaps them with the many
# short ones (a cold build otherwise ends on maple_tree.c alone); the link
# order, which is the order tests register in, stays as it was.
LONGEST := $(O)/maple/maple-shim.o $(O)/tests/upstream.o \
	$(O)/kernel/mm/vma.o
ALL_OBJS := $(KERNEL_OBJS) $(KX_OBJS) $(ENV_OBJS) $(TEST_OBJS) $(MAPLE_OBJS)

$(PROG): $(LONGEST) $(ALL_OBJS)
	@echo "  LD      $(notdir $@)"
	$(Q)$(CC) $(LDFLAGS) $(FUZZ_LDFLAGS) -o $@ $(ALL_OBJS) $(LDLIBS)

# Links to the real kernel headers the build uses, to the tree itself and
# to this directory.
$(GEN)/.links: $(O)/.config $(BUILDIN)/real-headers $(BUILDIN)/empty-headers
	@mkdir -p $(GEN)/kinc
	$(Q)rm -rf $(GEN)/kinc $(GEN)/ksrc $(GEN)/repo && mkdir -p $(GEN)/kinc && \
	ln -s $(KTREE) $(GEN)/ksrc && ln -s $(REPO) $(GEN)/repo && \
	while read -r h; do \
		case "$$h" in ''|\#*) continue;; esac; \
		mkdir -p $(GEN)/kinc/$$(dirname $$h); \
		ln -s $(KTREE)/include/$$h $(GEN)/kinc/$$h; \
	done < $(BUILDIN)/real-headers
	$(Q)rm -rf $(GEN)/empty && while read -r h; do \
		case "$$h" in ''|\#*) continue;; esac; \
		mkdir -p $(GEN)/empty/$$(dirname $$h); \
		echo '/* Empty: scripts/build/empty-headers. */' \
			> $(GEN)/empty/$$h; \
	done < $(BUILDIN)/empty-headers
	@touch $@

# What mm.h and the other headers that cannot be included whole define
# inline, taken by name from the tree's headers (scripts/build/env.names),
# minus what the environment defines itself.  Where upstream's test copies
# of these helpers exist, the build notes those that differ from the tree.
# It is made again when any header it reads changes: a patch to mm.h is
# compiled as it is.
EXTRACTED_FROM := $(addprefix $(KTREE)/,$(shell sed -n \
	's/^\[\(.*\)\]$$/\1/p' $(BUILDIN)/env.names)) \
	$(addprefix $(KTREE)/include/,$(shell sed -e '/^\#/d' -e '/^$$/d' \
	$(BUILDIN)/real-headers))
$(GEN)/vma_env.h: $(O)/.config $(BUILDIN)/kextract.py $(BUILDIN)/env.names \
		$(ENV_HEADERS) $(EXTRACTED_FROM) $(GEN)/.links \
		$(GEN)/generated/bit-length.h $(GEN)/generated/map-shift.h \
		$(GEN)/generated/autoconf.h
	@echo "  GEN     $(notdir $@)"
	$(Q)cd $(O) && python3 $(BUILDIN)/kextract.py --guard _VH_VMA_ENV_H \
		--names $(BUILDIN)/env.names --kdir $(KS) \
		--env $(REPO)/vma_internal.h --cc "$(CC) $(CFLAGS_K)" \
		--compare $(UPSTREAM_DIR) --notes $(GEN)/vma_env.notes \
		--clash $(UPSTREAM_DIR)/shared.c $(GEN)/upstream_clash.h -o $@

# The anon_vma interval tree's unit names the tree's insert and remove
# vh_real_*: the environment checks their lock and calls them
# (include/linux/rmap.h).
XFLAGS_interval_tree := -DVH_RMAP_TREE_UNIT \
	$(foreach f,anon_rmap_tree_insert anon_rmap_tree_remove \
		anon_vma_interval_tree_insert anon_vma_interval_tree_remove,\
		-D$(f)=vh_real_$(f))

# Upstream's own anon_vma stubs, for its copy of mm/vma.c
# (scripts/build/upstream.stubs); nothing where the tree has no suite.
$(GEN)/upstream_stubs.c: $(BUILDIN)/upstream.stubs $(BUILDIN)/kextract.py \
		$(GEN)/vma_env.h $(wildcard $(UPSTREAM_DIR)/include/custom.h)
	@echo "  GEN     $(notdir $@)"
	$(Q)if [ -n "$(UPSTREAM_TESTS)" ]; then \
		cd $(O) && python3 $(BUILDIN)/kextract.py --source \
		--names $(BUILDIN)/upstream.stubs --kdir $(KS) \
		--env $(REPO)/vma_internal.h --cc "$(CC) $(CFLAGS_K)" \
		-o $@; \
	else echo '/* No upstream suite. */' > $@; fi

# The .c files each list reads (its [file] lines), for make.
extract_from = $(addprefix $(KTREE)/,$(shell sed -n 's/^\[\(.*\)\]$$/\1/p' $(1)))
.SECONDEXPANSION:
$(GEN)/extract/%.c: $(BUILDIN)/%.names $(BUILDIN)/kextract.py \
		$$(call extract_from,$(BUILDIN)/%.names) $(GEN)/vma_env.h
	@mkdir -p $(dir $@)
	@echo "  GEN     extract/$*.c"
	$(Q)cd $(O) && python3 $(BUILDIN)/kextract.py --source \
		--names $(BUILDIN)/$*.names --kdir $(KS) \
		--env $(REPO)/vma_internal.h \
		--cc "$(CC) $(CFLAGS_K) $(XFLAGS_$*)" \
		--notes $(GEN)/extract/$*.notes -o $@

$(O)/kernel/extract/%.o: $(GEN)/extract/%.c $(GENERATED)
	@mkdir -p $(dir $@)
	@echo "  CC      extract/$*.c"
	$(Q)cd $(O) && $(CCACHE) $(CC) $(CFLAGS_K) $(XFLAGS_$*) \
		$(KCSAN_CFLAGS) -include $(RS)/vma_internal.h -MMD -MP \
		-c $(GS)/extract/$*.c \
		-o $(REL) && $(DEPFIX)

# One target per probe, so that make -j runs them side by side.
PROBE_OUTS := $(patsubst $(BUILDIN)/probes/%.c,$(GEN)/probes/%.h,$(PROBES))
$(GEN)/probes/%.h: $(BUILDIN)/probes/%.c $(O)/.config $(GEN)/vma_env.h
	@mkdir -p $(dir $@)
	$(Q)n=$$(echo $* | tr a-z A-Z); \
	if (cd $(O) && $(CC) $(CFLAGS_K) -fsyntax-only $<) 2>/dev/null; then \
		echo "#define VH_HAVE_$$n 1"; \
	else \
		echo "/* VH_HAVE_$$n: no */"; \
	fi > $@.tmp && mv $@.tmp $@

$(GEN)/probes.h: $(PROBE_OUTS)
	@echo "  GEN     $(notdir $@)"
	$(Q)cat $(PROBE_OUTS) /dev/null > $@.tmp && mv $@.tmp $@

$(GEN)/generated/bit-length.h $(GEN)/generated/map-shift.h \
$(GEN)/generated/autoconf.h: $(O)/.config
	@mkdir -p $(GEN)/generated
	$(Q)for s in CONFIG_64BIT CONFIG_PHYS_ADDR_T_64BIT; do \
		case " $(CONFIG_SYMS) " in *" $$s "*) \
			echo "#define $$s 1";; esac; \
	done > $(GEN)/generated/bit-length.h
	$(Q)echo '#define XA_CHUNK_SHIFT 3' > $(GEN)/generated/map-shift.h
	$(Q)cp $(KTREE)/tools/testing/shared/autoconf.h \
		$(GEN)/generated/autoconf.h

# The upstream suite: one include and one runner per upstream tests/*.c
# (through the link to the tree, as tests/upstream.c includes the rest).
$(GEN)/upstream_tests.h: $(O)/.config
	@mkdir -p $(GEN)
	$(Q)for f in $(patsubst $(KTREE)/%,ksrc/%,$(UPSTREAM_TESTS)); do \
		echo "#include <$$f>"; \
	done > $@.tmp && \
	echo '#define VH_UPSTREAM_RUNNERS \' >> $@.tmp && \
	for f in $(UPSTREAM_TESTS); do \
		grep -o '^\(static \)\?void run_[a-z_]*_tests' $$f | \
			sed 's/^.*void \(.*\)/	X(\1) \\/'; \
	done >> $@.tmp && echo >> $@.tmp && mv $@.tmp $@

# mm/*.c include "vma_internal.h" by a quoted path (the kernel's own, next
# to them): ours, which shadows it, goes first.
$(O)/kernel/%.o: $(KTREE)/%.c $(GENERATED)
	@mkdir -p $(dir $@)
	@echo "  CC      $*.c"
	$(Q)cd $(O) && $(CCACHE) $(CC) $(CFLAGS_K) $(KCSAN_CFLAGS) \
		-include $(RS)/vma_internal.h $(KINCLUDE) -MMD -MP \
		-c $(KS)/$*.c \
		-o $(REL) && $(DEPFIX)

# The units taken by name (KX_UNITS): the extraction, made again when the
# list, a file it reads or the environment changes, then the unit, which
# includes the environment, the extraction and the hand-over.
$(foreach u,$(KX_UNITS),$(eval $(GEN)/kx/$(u).h: $(call KX_SOURCES,$(u)) \
	$(REPO)/$(KX_ENV_$(u))))
$(GEN)/kx/%.h: $(BUILDIN)/units/%.names $(BUILDIN)/kextract.py $(GENERATED) \
		$(ENV_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  GEN     kx/$*.h"
	$(Q)cd $(O) && python3 $(BUILDIN)/kextract.py --guard _VH_KX_$*_H \
		--names $(BUILDIN)/units/$*.names --kdir $(KS) \
		--env $(REPO)/$(KX_ENV_$*) --cc "$(CC) $(CFLAGS_K)" \
		--notes $(GEN)/kx/$*.notes -o $@

.SECONDARY: $(patsubst %,$(GEN)/kx/%.c,$(KX_UNITS))
$(GEN)/kx/%.c: $(O)/.config
	@mkdir -p $(dir $@)
	$(Q)printf '/* Generated by the Makefile: do not edit. */\n#include "%s"\n#include "kx/%s.h"\n#include "%s"\n' \
		$(KX_ENV_$*) $* $(KX_OPS_$*) > $@

$(O)/kx/%.o: $(GEN)/kx/%.c $(GEN)/kx/%.h $(GENERATED)
	@mkdir -p $(dir $@)
	@echo "  CC      kx/$*.c"
	$(Q)cd $(O) && $(CCACHE) $(CC) $(CFLAGS_K) $(KCSAN_CFLAGS) \
		-include $(RS)/vma_internal.h -MMD -MP -c $(GS)/kx/$*.c \
		-o $(REL) && $(DEPFIX)

# The race detector's report filter (configs/strict says why).
$(O)/shared/kcsan/kcsan_report.o: CFLAGS_K += \
	-DVH_KCSAN_FILTER='"$(call cfgval,VH_KCSAN_FILTER)"'

# The configuration, for ./vma --config and vh_config_has().
$(O)/shared/env/config.o: CFLAGS_K += -DVH_CONFIG='"$(CONFIG)"' \
	-DVH_CONFIG_SYMS='"$(CONFIG_SYMS)"' \
	-DVH_CONFIG_DESC='"$(subst ",,$(subst ',,$(call cfgval,VH_DESC)))"'

# mm/mmap.c reaches mm/vma.h through mm/internal.h, which vma_internal.h
# shadows (the kernel's own internal.h cannot be included in userspace).
$(O)/kernel/mm/mmap.o: KINCLUDE := -include $(KS)/mm/vma.h

# mm/internal.h cannot be included whole: mm_internal.h shadows it (what
# the file uses of it is in build/gen/vma_env.h).
$(O)/kernel/mm/mremap.o: CFLAGS_K += -include $(RS)/mm_internal.h

$(O)/shared/kunit/main.o $(O)/shared/vma/sites.o: \
	CFLAGS_K += -DVH_KTREE='"$(KTREE)"' \
	-DVH_KVERSION='"$(KVERSION)"'

# Upstream's suite has its own copy of mm/vma*.c (tests/upstream.c says
# why): every symbol it defines is made local.  Its tests leave
# vma_merge_struct.mm NULL, so the real mmap_assert_write_locked()
# computes &NULL->mmap_lock in their runs.  -O0 (upstream builds them
# -Og): this unit is the longest to compile and an edit of mm/vma.c or of
# a header rebuilds it; -O0 halves that (5.6 s to 2.9 s) and its tests run
# one thread at a time in milliseconds either way.  The harness's own
# tests use kernel/mm/vma.o, built as the other kernel units.
# Under KCSAN=1 it is harness code: its tests run one thread at a time.
$(O)/tests/upstream.o: $(REPO)/tests/upstream.c $(GENERATED) \
		$(GEN)/upstream_stubs.c
	@mkdir -p $(dir $@)
	@echo "  CC      tests/upstream.c"
	$(Q)cd $(O) && $(CCACHE) $(CC) $(CFLAGS_K) -O0 \
		$(if $(filter 1,$(SANITIZE)),-fno-sanitize=null) \
		$(UPSTREAM_SKIP) $(KCSAN_CFLAGS) -MMD -MP -MT $(REL) \
		-MF $(basename $(REL)).d -c $(RS)/tests/upstream.c \
		-o $(REL).tmp && $(DEPFIX)
	$(Q)$(OBJCOPY) -w --localize-symbol='!__x86.get_pc_thunk.*' \
		--localize-symbol='*' $@.tmp $@ && rm -f $@.tmp \
		$(KCSAN_RENAME)

# The race detector's runtime is not instrumented, nor is the rest of the
# environment: what it models synchronises through explicit hooks
# (vh_kcsan_acquire()/_release()), and its own code calls the runtime only
# through them.
KCSAN_UNINSTRUMENTED := $(filter $(O)/shared/env/% $(O)/shared/kcsan/%,\
	$(ENV_OBJS))
$(KCSAN_UNINSTRUMENTED): KCSAN_CFLAGS :=
$(KCSAN_UNINSTRUMENTED): KCSAN_RENAME :=

$(O)/%.o: $(REPO)/%.c $(GENERATED)
	@mkdir -p $(dir $@)
	@echo "  CC      $*.c"
	$(Q)cd $(O) && $(CCACHE) $(CC) $(CFLAGS_K) $(KCSAN_CFLAGS) -MMD -MP \
		-c $(RS)/$*.c -o $(REL) && $(DEPFIX) $(KCSAN_RENAME)

# lib/maple_tree.c as in a debug kernel (see the header).  The maple tree
# needs none of the extracted environment.
MAPLE_GEN := $(O)/.config $(GEN)/.links $(GEN)/generated/bit-length.h \
	$(GEN)/generated/map-shift.h $(GEN)/generated/autoconf.h
ifneq ($(filter CONFIG_LOCKDEP,$(CONFIG_SYMS)),)
$(O)/maple/maple-shim.o: MAPLE_CFLAGS += \
	-include $(RS)/shared/env/maple_debug.h
endif
$(O)/maple/maple-shim.o: $(REPO)/shared/env/maple_debug.h

$(O)/maple/%.o: $(KTREE)/tools/testing/shared/%.c $(MAPLE_GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      maple/$*.c"
	$(Q)cd $(O) && $(CCACHE) $(CC) $(MAPLE_CFLAGS) -MMD -MP \
		-c $(KS)/tools/testing/shared/$*.c -o $(REL) && $(DEPFIX)

$(O)/maple/%.o: $(KTREE)/tools/lib/%.c $(MAPLE_GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      maple/$*.c"
	$(Q)cd $(O) && $(CCACHE) $(CC) $(MAPLE_CFLAGS) -MMD -MP \
		-c $(KS)/tools/lib/$*.c -o $(REL) && $(DEPFIX)

# The kernel's own red-black trees (the anon_vma interval tree's), as the
# tree's rbtree.h, which tools/testing/shared includes, expects them.
$(O)/maple/rbtree.o: $(KTREE)/lib/rbtree.c $(MAPLE_GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      lib/rbtree.c"
	$(Q)cd $(O) && $(CCACHE) $(CC) $(MAPLE_CFLAGS) -MMD -MP \
		-c $(KS)/lib/rbtree.c -o $(REL) && $(DEPFIX)

# tools/testing/shared builds these from sed-edited copies of lib/.
$(O)/maple/radix-tree.c $(O)/maple/idr.c: $(O)/maple/%.c: $(O)/.config
	@mkdir -p $(dir $@)
	$(Q)sed -e 's/^static //' -e 's/__always_inline //' \
		-e 's/inline //' < $(KTREE)/lib/$*.c > $@

$(O)/maple/radix-tree.o $(O)/maple/idr.o: $(O)/maple/%.o: $(O)/maple/%.c \
		$(MAPLE_GEN)
	@echo "  CC      maple/$*.c"
	$(Q)cd $(O) && $(CCACHE) $(CC) $(MAPLE_CFLAGS) \
		-I$(KS)/tools/testing/shared -MMD -MP -c $(REL:.o=.c) \
		-o $(REL) && $(DEPFIX)

clean:
	rm -rf $(O) $(PROG)

help:
	@echo "$$HELP"
	@echo "configurations (make CONFIG=name; configs/):"
	@for c in $(CONFIGS); do \
		printf '  %-12s %s\n' "$$c" \
			"$$(sed -n 's/^VH_DESC=//p' $(REPO)/configs/$$c)"; \
	done

# Everything is rebuilt when the tree or the configuration changes:
# $(O)/.config holds both, and is rewritten only when they differ.  The
# dependency files are read only when they describe this configuration.
CONFIG_STAMP := $(strip $(KTREE) $(REPO) $(CC) $(CFLAGS_K) $(SANFLAGS) $(KCSAN_CFLAGS))
CONFIG_STAMP_Q := '$(subst ','\'',$(CONFIG_STAMP))'
$(O)/.config: FORCE
	@mkdir -p $(O)
	@[ "$$(cat $@ 2>/dev/null)" = $(CONFIG_STAMP_Q) ] || \
		echo $(CONFIG_STAMP_Q) > $@
ifeq ($(NODEPS),)
ifeq ($(shell cat $(O)/.config 2>/dev/null),$(CONFIG_STAMP))
-include $(shell find $(O)/kernel $(O)/kx $(O)/shared $(O)/tests $(O)/fuzz $(O)/maple \
	-name '*.d' 2>/dev/null)
endif
endif
