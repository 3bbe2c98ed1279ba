# berth — top-level Makefile. Plain GNU make, non-recursive: every folder's
# build.mk adds its sources and libraries; make -jN is safe.
#
#   make                      build build/berth (+ berthd, berth-oci symlinks)
#   make V=1                  show full command lines
#   make ARCH=aarch64|arm|armel   cross build into build/ARCH (Debian's cross gcc)
#   make CROSS_COMPILE=PREFIX-    any toolchain; ARCH from $(CC) -dumpmachine
#   make defconfig | menuconfig | olddefconfig | savedefconfig | NAME_defconfig
#   make deps | deps-aarch64 | deps-armhf | deps-armel   install the Debian packages
#   make image                build/busybox.oci.tar, the embedded default image
#   make check                everything: deps, build, image, unit, integration, qemu
#   make demo                 run the demo (as root)

SHELL := /bin/bash
.DEFAULT_GOAL := all
PYTHON ?= /usr/bin/python3
CROSS_COMPILE ?=

# ARCH is the target's, never the spelling of a compiler prefix: ARCH= if
# given, else it comes from `$(CC) -dumpmachine`, so Buildroot's
# aarch64-buildroot-linux-gnu- or Yocto's aarch64-poky-linux- work as
# well as Debian's aarch64-linux-gnu-. Values: x86_64 aarch64 arm (ARMv7
# hard-float, Debian armhf) armel (soft-float, Debian armel, e.g. ARMv6).
# ARCH=X alone (e.g. make image ARCH=aarch64, make check-qemu ARCH=arm)
# implies Debian's cross compiler for X. Foreign builds go to build/ARCH so
# they never overwrite the host's build/.
# (docs/decisions/build-cross.md)
HOSTCC ?= gcc
# arch-of MACHINE [CC]: the ARCH of a gcc -dumpmachine triplet; for 32-bit ARM
# the float ABI decides (Yocto names hard-float targets ...-gnueabi too)
# (big-endian ARM is not a target: nothing)
arch-of = $(strip $(if $(filter aarch64_be-% armeb-%,$(1)),,$(or \
	$(if $(filter x86_64-% amd64-%,$(1)),x86_64), \
	$(if $(filter aarch64-% arm64-%,$(1)),aarch64), \
	$(if $(filter arm%,$(1)),$(if $(shell $(2) -dM -E -x c /dev/null 2>/dev/null | grep -w __ARM_PCS_VFP),arm,armel)))))
HOSTARCH := $(call arch-of,$(shell $(HOSTCC) -dumpmachine 2>/dev/null),$(HOSTCC))
ifeq ($(HOSTARCH),)
HOSTARCH := $(shell uname -m)
endif
ARCH_CROSS_x86_64 := x86_64-linux-gnu-
ARCH_CROSS_aarch64 := aarch64-linux-gnu-
ARCH_CROSS_arm := arm-linux-gnueabihf-
ARCH_CROSS_armel := arm-linux-gnueabi-
# Debian's multiarch name of each ARCH (make deps-DEBARCH)
DEBARCH_x86_64 := amd64
DEBARCH_aarch64 := arm64
DEBARCH_arm := armhf
DEBARCH_armel := armel
ifdef ARCH
override ARCH := $(patsubst arm64,aarch64,$(patsubst amd64,x86_64,$(patsubst armhf,arm,$(ARCH))))
ifeq ($(filter x86_64 aarch64 arm armel,$(ARCH)),)
$(error ARCH=$(ARCH): unknown architecture (x86_64, aarch64, arm, armel))
endif
ifeq ($(CROSS_COMPILE)$(filter command line,$(origin CC)),)
ifneq ($(ARCH),$(HOSTARCH))
CROSS_COMPILE := $(ARCH_CROSS_$(ARCH))
endif
endif
endif
# CC=... on the command line (Buildroot's TARGET_CONFIGURE_OPTS) is kept;
# CC from the environment is not (it names the host's compiler too often)
ifneq ($(origin CC),command line)
CC := $(CROSS_COMPILE)gcc
endif
ifndef ARCH
TARGET_MACHINE := $(shell $(CC) -dumpmachine 2>/dev/null)
ARCH := $(call arch-of,$(TARGET_MACHINE),$(CC))
ifeq ($(ARCH),)
$(error cannot tell the target architecture of CC=$(CC) (-dumpmachine: "$(TARGET_MACHINE)"): is it installed? Or set ARCH= (x86_64, aarch64, arm, armel))
endif
endif
DEBARCH := $(DEBARCH_$(ARCH))
ifeq ($(CROSS_COMPILE)$(ARCH),$(HOSTARCH))
O ?= build
else
O ?= build/$(ARCH)
endif
export ARCH

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
NOCONFIG_GOALS := defconfig menuconfig olddefconfig savedefconfig deps deps-aarch64 deps-arm64 deps-armhf deps-armel \
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
# 64-bit off_t and time_t on 32-bit targets too (a layer or log over 2 GiB,
# dates past 2038); no-ops on 64-bit. Every C file of the build, the test
# helpers and host tools included, gets them. Libraries outside glibc keep
# the ABI they were built with: docs/decisions/build-32bit.md.
ABI_CPPFLAGS := -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64
CPPFLAGS := -D_GNU_SOURCE $(ABI_CPPFLAGS) -I. -I$(O)/include -Ilib -I$(SYSROOT)/usr/include/libnl3 -I$(SYSROOT)/usr/include/iniparser \
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

# Before the first compile: the headers and libraries of the configured parts,
# else one line naming the missing one and the make deps-* target that
# installs it (scripts/check-libs.sh)
DEPS_TARGET := $(if $(filter $(ARCH),$(HOSTARCH)),deps,deps-$(DEBARCH))
need-hdrs := sys/capability.h:libcap-dev \
	$(if $(CONFIG_JSON),jansson.h:libjansson-dev) \
	$(if $(CONFIG_SECCOMP),seccomp.h:libseccomp-dev) \
	$(if $(CONFIG_IMAGES),archive.h:libarchive-dev openssl/evp.h:libssl-dev) \
	$(if $(CONFIG_IMAGES_PULL),curl/curl.h:libcurl4-openssl-dev) \
	$(if $(CONFIG_NET),netlink/netlink.h:libnl-3-dev netlink/route/link.h:libnl-route-3-dev) \
	$(if $(CONFIG_NET_NAT),nftables/libnftables.h:libnftables-dev) \
	$(if $(CONFIG_SUPERVISOR),iniparser.h:libiniparser-dev)
lib-pkg-cap := libcap-dev
lib-pkg-seccomp := libseccomp-dev
lib-pkg-jansson := libjansson-dev
lib-pkg-iniparser := libiniparser-dev
need-libs := $(foreach l,$(sort $(patsubst -l%,%,$(filter -l%,$(LIBS)))),$(l):$(or $(lib-pkg-$(l)),libc6-dev))
$(O)/libs.ok: $(O)/auto.conf scripts/check-libs.sh
	$(Q)scripts/check-libs.sh $(DEPS_TARGET) $(DEBARCH) $(CC) $(filter -I% -isystem% --sysroot%,$(CPPFLAGS) $(EXTRA_CFLAGS)) \
		-- $(addprefix h:,$(need-hdrs)) $(addprefix l:,$(need-libs))
	$(Q)touch $@

$(O)/obj/%.o: %.c $(O)/include/generated/autoconf.h | $(O)/libs.ok
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
	$(Q)$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE $(ABI_CPPFLAGS) -static -o $@ $<

.PHONY: all probe
all: $(BERTH) $(PROBE)
probe: $(PROBE)

-include $(ALL_OBJS:.o=.d)

# armel (ARMv6: Pi Zero, Pi 1) from Debian's armel: bookworm's LTS carries no
# armel security updates, so libssl-dev, libcurl4-openssl-dev, libarchive-dev
# (and zlib1g below them) fall behind their amd64 versions and, being
# Multi-Arch: same, cannot co-install as :armel. berth dlopens those three
# (lib/dl.h), so it needs only their headers; they are fetched, never
# installed, like Criterion (scripts/fetch-cross-libs.sh), and the unit test
# binary, which links libarchive, and the VM take the libraries from there.
# (board/rpi/README.md, docs/decisions/qemu-armv6.md)
ifeq ($(ARCH)$(filter armel,$(HOSTARCH)),armel)
ARMEL_LIBS := build/downloads/armel-libs
ARMEL_DEV := libssl-dev libcurl4-openssl-dev libarchive-dev
CPPFLAGS += $(foreach p,$(ARMEL_DEV),-I$(ARMEL_LIBS)/pkgs/$(p)/usr/include/arm-linux-gnueabi \
	-I$(ARMEL_LIBS)/pkgs/$(p)/usr/include)
LDFLAGS += -L$(ARMEL_LIBS)/lib -Wl,-rpath-link,$(ARMEL_LIBS)/lib
$(ARMEL_LIBS)/.stamp-dev: scripts/fetch-cross-libs.sh
	$(quiet) FETCH $(ARMEL_LIBS): $(ARMEL_DEV)
	$(Q)scripts/fetch-cross-libs.sh armel $(ARMEL_LIBS) $(ARMEL_DEV)
	$(Q)touch $@
$(ALL_OBJS) $(O)/libs.ok: | $(ARMEL_LIBS)/.stamp-dev
endif

include tests/build.mk
include scripts/targets.mk
