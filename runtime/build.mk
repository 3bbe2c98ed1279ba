# runtime/seccomp*.c exist only with CONFIG_SECCOMP, runtime/userns*.c with CONFIG_USERNS
runtime-srcs-y := $(filter-out runtime/seccomp%.c runtime/userns%.c,$(wildcard runtime/*.c))
runtime-srcs-$(CONFIG_SECCOMP) += $(wildcard runtime/seccomp*.c)
runtime-srcs-$(CONFIG_USERNS) += $(wildcard runtime/userns*.c)
runtime-libs-y := -lcap
runtime-libs-$(CONFIG_SECCOMP) += -lseccomp

# The default seccomp profile is compiled by libseccomp at build time (it
# costs 14-22 ms at run time) by a host tool, for the target ARCH (which the
# top Makefile takes from the target compiler). The tool is built with
# HOSTCC (HOSTCFLAGS, HOSTLDFLAGS) against the build host's libseccomp:
# Debian libseccomp-dev (make deps), Buildroot host-libseccomp, Yocto
# libseccomp-native.
ifeq ($(CONFIG_SECCOMP),y)
HOSTCC ?= gcc
HOSTCFLAGS ?=
HOSTLDFLAGS ?=
SECCOMP_GEN := $(O)/tools/seccomp-gen
SECCOMP_GEN_SRCS := runtime/tools/seccomp_gen.c runtime/seccomp.c runtime/seccomp_bpf.c runtime/seccomp_profile.c \
	runtime/spec.c lib/err.c lib/strv.c
$(SECCOMP_GEN): $(SECCOMP_GEN_SRCS) runtime/seccomp_internal.h runtime/seccomp.h \
		runtime/spec.h $(O)/include/generated/autoconf.h
	$(quiet) HOSTCC $@
	@mkdir -p $(dir $@)
	$(Q)echo '#include <seccomp.h>' | $(HOSTCC) $(HOSTCFLAGS) -E -x c - >/dev/null 2>&1 || { echo \
		"seccomp-gen (a build-host tool) needs the host's libseccomp headers: Debian libseccomp-dev (make deps), Buildroot host-libseccomp, Yocto libseccomp-native; HOSTCC=$(HOSTCC)" >&2; exit 1; }
	$(Q)$(HOSTCC) -std=gnu11 -O2 -D_GNU_SOURCE $(ABI_CPPFLAGS) $(HOSTCFLAGS) -I. -I$(O)/include -Ilib \
		-o $@ $(SECCOMP_GEN_SRCS) $(HOSTLDFLAGS) -lseccomp
$(O)/include/generated/seccomp_default.h: $(SECCOMP_GEN)
	$(quiet) GEN $@
	$(Q)$(SECCOMP_GEN) $(ARCH) > $@.tmp && mv $@.tmp $@
$(O)/obj/runtime/seccomp_embedded.o: $(O)/include/generated/seccomp_default.h
endif
