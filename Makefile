# berth — top-level Makefile. Plain GNU make, non-recursive: every folder's
# build.mk adds its sources and libraries; make -jN is safe.
#
#   make                      build build/berth (+ berthd, berth-oci symlinks)
#   make V=1                  show full command lines
#   make CROSS_COMPILE=aarch64-linux-gnu-   cross build into build/aarch64
#   make defconfig | menuconfig | olddefconfig | savedefconfig | NAME_defconfig
#   make deps | deps-aarch64  install the Debian packages the build needs
#   make image                build/busybox.oci.tar, the embedded default image
#   make check                everything: deps, build, image, unit, integration, qemu
#   make demo                 run the demo (as root)

SHELL := /bin/bash
.DEFAULT_GOAL := all
PYTHON ?= /usr/bin/python3
CROSS_COMPILE ?=

# ARCH follows CROSS_COMPILE; ARCH=aarch64 alone (e.g. make image ARCH=aarch64,
# make check-qemu ARCH=aarch64) implies CROSS_COMPILE=aarch64-linux-gnu-.
# Foreign builds go to build/ARCH so they never overwrite the host's build/.
HOSTARCH := $(shell uname -m)
ifneq ($(CROSS_COMPILE),)
ARCH ?= $(patsubst %-linux-gnu-,%,$(patsubst %-linux-gnueabihf-,%,$(notdir $(CROSS_COMPILE))))
endif
ARCH ?= $(HOSTARCH)
ifeq ($(ARCH),arm64)
override ARCH := aarch64
endif
ifeq ($(ARCH),amd64)
override ARCH := x86_64
endif
ifeq ($(CROSS_COMPILE),)
ifneq ($(ARCH),$(HOSTARCH))
CROSS_COMPILE := $(ARCH)-linux-gnu-
endif
endif
ifeq ($(CROSS_COMPILE),)
O ?= build
else
O ?= build/$(ARCH)
endif
export ARCH

CC := $(CROSS_COMPILE)gcc
AR := $(CROSS_COMPILE)ar
STRIP := $(CROSS_COMPILE)strip

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-6s %s\n'
endif

KCONFIG_CONFIG ?= .config
export KCONFIG_CONFIG
KCONF := $(PYTHON) scripts/kconfig.py
KCONFIG_FILES := Kconfig $(wildcard */Kconfig)

# Configuration: .config (user) -> $(O)/auto.conf (resolved, included here) and
# $(O)/include/generated/autoconf.h (CONFIG_* for C).
# Goals that must work before the build's own tools exist (check and demo
# install the dependencies first, then run a sub-make).
NOCONFIG_GOALS := defconfig menuconfig olddefconfig savedefconfig deps deps-aarch64 \
	format help clean distclean check demo
ifeq ($(MAKECMDGOALS),)
need-config := 1
else ifneq ($(filter-out $(NOCONFIG_GOALS) %_defconfig,$(MAKECMDGOALS)),)
need-config := 1
endif
ifdef need-config
-include $(O)/auto.conf
endif

$(KCONFIG_CONFIG):
	@echo "  No $(KCONFIG_CONFIG): using board/configs/default_defconfig"
	$(Q)$(KCONF) defconfig board/configs/default_defconfig

$(O)/auto.conf $(O)/include/generated/autoconf.h &: $(KCONFIG_CONFIG) $(KCONFIG_FILES) scripts/kconfig.py
	$(quiet) GEN $@
	$(Q)mkdir -p $(O)/include/generated
	$(Q)$(KCONF) genconfig $(O)/auto.conf $(O)/include/generated/autoconf.h

# ---- flags ---------------------------------------------------------------
OPT ?= -O2
# SYSROOT: the target's root for Buildroot/Yocto builds (headers outside the
# compiler's default path must not be taken from the build host)
SYSROOT ?=
CPPFLAGS := -D_GNU_SOURCE -I. -I$(O)/include -Ilib -I$(SYSROOT)/usr/include/libnl3 -I$(SYSROOT)/usr/include/iniparser \
	-DBERTH_VERSION='"$(shell git describe --always --dirty 2>/dev/null || echo 0.1)"'
CFLAGS := -std=gnu11 $(OPT) -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wshadow -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -Wmissing-prototypes -Wstrict-prototypes \
	-fstack-protector-strong -fPIE -ffunction-sections -fdata-sections \
	-fno-strict-aliasing -MMD -MP $(EXTRA_CFLAGS)
# (unless the distribution's flags choose the level: Buildroot, Yocto)
ifeq ($(SANITIZE)$(filter -D_FORTIFY_SOURCE%,$(EXTRA_CFLAGS)),)
CPPFLAGS += -D_FORTIFY_SOURCE=2
endif
# BERTH_VERSION=: given by Buildroot and Yocto, whose copies of the source
# have no .git (git describe would describe the tree around them, if any)
ifdef BERTH_VERSION
CPPFLAGS := $(filter-out -DBERTH_VERSION=%,$(CPPFLAGS)) -DBERTH_VERSION='"$(BERTH_VERSION)"'
endif
LDFLAGS := -pie -Wl,-z,relro,-z,now -Wl,--gc-sections -Wl,--as-needed $(EXTRA_LDFLAGS)
ifneq ($(SANITIZE),)
CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif

# ---- parts -----------------------------------------------------------------
# Each PART/build.mk sets PART-srcs-y and PART-libs-y (using CONFIG_* from
# auto.conf). A part whose CONFIG_ is n is not compiled or linked at all.
parts-y := lib runtime
parts-$(CONFIG_IMAGES) += images
parts-$(CONFIG_STORE) += store
parts-$(CONFIG_NET) += net
parts-$(CONFIG_SUPERVISOR) += supervisor
parts-y += cli
all-parts := lib runtime images store net supervisor cli

$(foreach p,$(all-parts),$(eval $(p)-srcs-y :=)$(eval $(p)-libs-y :=))
include $(foreach p,$(all-parts),$(p)/build.mk)

# archive order: dependents first for the static linker
link-parts := cli $(filter supervisor,$(parts-y)) $(filter images store net,$(parts-y)) runtime lib
part-lib = $(O)/lib$(1).a
objs-of = $(patsubst %.c,$(O)/obj/%.o,$($(1)-srcs-y))
LIBS := $(sort $(foreach p,$(parts-y),$($(p)-libs-y)))
# keep a deterministic order that satisfies static deps
LIBS := $(foreach p,$(link-parts),$($(p)-libs-y))

ALL_OBJS := $(foreach p,$(parts-y),$(call objs-of,$(p)))

$(O)/obj/%.o: %.c $(O)/include/generated/autoconf.h
	$(quiet) CC $<
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

define part-rule
$(call part-lib,$(1)): $(call objs-of,$(1))
	$$(quiet) AR $$@
	$$(Q)rm -f $$@
	$$(Q)$$(AR) rcsD $$@ $$^
endef
$(foreach p,$(parts-y),$(eval $(call part-rule,$(p))))

BERTH := $(O)/berth
$(BERTH): $(foreach p,$(filter $(parts-y),$(link-parts)),$(call part-lib,$(p)))
	$(quiet) LD $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ -Wl,--start-group $^ -Wl,--end-group $(LIBS)
	$(Q)ln -sf berth $(O)/berthd
	$(Q)ln -sf berth $(O)/berth-oci

PROBE := $(O)/probe
$(PROBE): tests/probe/probe.c
	$(quiet) CC $@
	$(Q)$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -static -o $@ $<

.PHONY: all probe
all: $(BERTH) $(PROBE)
probe: $(PROBE)

-include $(ALL_OBJS:.o=.d)

include tests/build.mk
include scripts/targets.mk
