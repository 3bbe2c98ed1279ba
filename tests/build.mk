# Unit tests: one Criterion binary. tests/unit/PART_*.c is built only when
# PART is compiled in.
unit-srcs := $(foreach f,$(wildcard tests/unit/*.c),$(if $(filter $(firstword $(subst _, ,$(notdir $(f)))),$(parts-y)),$(f)))
unit-objs := $(patsubst %.c,$(O)/obj/%.o,$(unit-srcs))
# cli is not an archive the unit binary links: its pure translators are added one by one
unit-objs-$(CONFIG_OCI) += $(O)/obj/cli/oci_config.o
UNIT := $(O)/tests/unit
# Criterion registers tests in their own ELF section: no --gc-sections here
comma := ,
UNIT_LDFLAGS = $(filter-out -Wl$(comma)--gc-sections,$(LDFLAGS))

# Debian 12 builds no Criterion for 32-bit ARM (armhf, armel): there the unit
# tests build against tests/unit/harness, a Criterion-compatible header and
# runner for the subset they use (docs/decisions/qemu-vm.md). UNIT_HARNESS=y
# forces it elsewhere (e.g. to check the harness on the host), =n never.
UNIT_HARNESS ?= $(if $(filter arm%,$(ARCH)),y,n)
ifeq ($(UNIT_HARNESS),y)
unit-harness-obj := $(O)/obj/tests/unit/harness/runner.o
$(unit-objs) $(unit-harness-obj): CPPFLAGS += -Itests/unit/harness
unit-objs-y += $(unit-harness-obj)
UNIT_LDLIBS :=
else
UNIT_LDLIBS := -lcriterion
endif

# Cross builds: Criterion for the target cannot be installed through multiarch
# (see scripts/fetch-cross-libs.sh); its libraries are unpacked under
# build/downloads/ARCH-libs and linked from there.
ifneq ($(ARCH),$(HOSTARCH))
ifneq ($(UNIT_HARNESS),y)
CROSS_LIBS := build/downloads/$(ARCH)-libs
UNIT_LDFLAGS += -L$(CROSS_LIBS)/lib -Wl,-rpath-link,$(CROSS_LIBS)/lib
$(CROSS_LIBS)/.stamp: scripts/fetch-cross-libs.sh
	$(quiet) FETCH $(CROSS_LIBS)
	$(Q)scripts/fetch-cross-libs.sh $(ARCH) $(CROSS_LIBS) libcriterion3
	$(Q)touch $@
$(UNIT): | $(CROSS_LIBS)/.stamp
endif
endif

$(UNIT): $(unit-objs) $(unit-objs-y) $(foreach p,$(filter-out cli,$(filter $(parts-y),$(link-parts))),$(call part-lib,$(p)))
	$(quiet) LD $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(UNIT_LDFLAGS) -o $@ $(unit-objs) $(unit-objs-y) -Wl,--start-group $(filter %.a,$^) -Wl,--end-group $(LIBS) $(if $(filter images,$(parts-y)),-larchive) $(UNIT_LDLIBS)

-include $(unit-objs:.o=.d) $(unit-harness-obj:.o=.d)

# A rootfs for integration tests: the busybox tree plus the probe at /probe.
# Tests copy it (mkrootfs) before writing into it.
TEST_ROOTFS := $(O)/tests/rootfs
$(TEST_ROOTFS)/.stamp: $(PROBE) scripts/mkimage.py
	$(quiet) ROOTFS $(TEST_ROOTFS)
	$(Q)$(PYTHON) scripts/mkimage.py --arch $(ARCH) --rootfs $(TEST_ROOTFS) --add $(PROBE):/probe
	$(Q)touch $@
.PHONY: test-rootfs
test-rootfs: $(TEST_ROOTFS)/.stamp

# The unit test binary alone (e.g. cross-built for the QEMU VM)
.PHONY: unit
unit: $(UNIT)

# The client end of the OCI console socket, for tests/integration/oci-*.t
RECVTTY := $(O)/tests/recvtty
$(RECVTTY): tests/oci/recvtty.c
	$(quiet) CC $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE $(ABI_CPPFLAGS) -o $@ $<
test-rootfs: $(RECVTTY)

# The harness's own self-test (failures, crashes, skips, fini after a failed
# assert, --filter), built for the host and run by make check-unit: the
# harness is only trusted where it is proven to report a failure.
HARNESS_SELFTEST := $(O)/tests/harness-selftest
harness-srcs := tests/unit/harness/selftest.c tests/unit/harness/runner.c
$(HARNESS_SELFTEST): $(harness-srcs) tests/unit/harness/criterion/criterion.h
	$(quiet) CC $@
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE \
		-Itests/unit/harness -o $@ $(harness-srcs)
.PHONY: check-harness
check-harness: $(HARNESS_SELFTEST)
	$(Q)tests/unit/harness/selftest.sh $(HARNESS_SELFTEST)
check-unit: check-harness
