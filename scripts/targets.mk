# Targets beyond the build itself. Included by the top Makefile.

.PHONY: defconfig menuconfig olddefconfig savedefconfig deps deps-aarch64 deps-arm64 deps-armhf deps-armel image \
	check check-unit check-integration check-qemu demo bench bench-qemu install format asan clean distclean help

defconfig:
	$(Q)$(KCONF) defconfig board/configs/default_defconfig
%_defconfig: board/configs/%_defconfig
	$(Q)$(KCONF) defconfig $<
menuconfig:
	$(Q)$(KCONF) menuconfig
olddefconfig:
	$(Q)$(KCONF) olddefconfig
savedefconfig:
	$(Q)$(KCONF) savedefconfig defconfig

deps:
	$(Q)scripts/deps.sh
# deps-DEBARCH: also the multiarch -dev packages of scripts/deps/*.DEBARCH
deps-aarch64 deps-arm64:
	$(Q)scripts/deps.sh aarch64
deps-armhf:
	$(Q)scripts/deps.sh arm
deps-armel:
	$(Q)scripts/deps.sh armel

IMAGE := $(O)/busybox.oci.tar
image: $(IMAGE)
$(IMAGE): scripts/mkimage.py
	$(quiet) IMAGE $@
	$(Q)mkdir -p $(O)
	$(Q)$(PYTHON) scripts/mkimage.py --arch $(ARCH) --out $@

check:
	$(Q)scripts/check.sh
check-unit: $(UNIT)
	$(Q)mkdir -p $(O)/tests
	$(Q)$(UNIT) -j2 --tap=$(O)/tests/unit.tap
check-integration: all $(IMAGE) test-rootfs
	$(Q)tests/integration/run.sh $(O) $(T)
check-qemu:
	$(Q)tests/qemu/run.sh $(ARCH) $(T)

demo:
	$(Q)scripts/demo.sh

# Benchmarks: each bench/NAME prints medians and ratios against its anchor
# measured in the same run. make bench, or make bench B=start
bench: all $(IMAGE) test-rootfs
	$(Q)set -e; for b in $(if $(B),$(addprefix bench/,$(B)),$(wildcard bench/*)); do \
		[ -x "$$b" ] || continue; echo "==== $$b"; O=$(O) "$$b"; done

# The start benchmark inside the QEMU VM (real cgroup v2 for berth, crun,
# runc): make bench-qemu [BENCH_RUNS=50]; never part of make check
bench-qemu:
	$(Q)QEMU_BENCH=start tests/qemu/run.sh $(ARCH)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
install: $(BERTH)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PREFIX)/share/berth/examples
	install -m 0755 $(BERTH) $(DESTDIR)$(BINDIR)/berth
	ln -sf berth $(DESTDIR)$(BINDIR)/berthd
	ln -sf berth $(DESTDIR)$(BINDIR)/berth-oci
	$(if $(wildcard docs/man/*.1),install -m 0644 $(wildcard docs/man/*.1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(wildcard examples/*.pod),install -m 0644 $(wildcard examples/*.pod) $(DESTDIR)$(PREFIX)/share/berth/examples/)

format:
	$(Q)clang-format -i $$(git ls-files '*.c' '*.h')

# ASan + UBSan build in its own tree, running the unit and integration suites
asan:
	$(Q)scripts/asan.sh $(O) $(T)

clean:
	rm -rf $(O)/obj $(O)/*.a $(O)/berth $(O)/berthd $(O)/berth-oci $(O)/probe $(O)/tests $(O)/auto.conf $(O)/include
distclean:
	rm -rf build .config .config.old

help:
	@sed -n '2,12p' Makefile | sed 's/^# \{0,1\}//'
