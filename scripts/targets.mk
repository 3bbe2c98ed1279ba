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

# ---- install ---------------------------------------------------------------
# make install [DESTDIR=] [PREFIX=/usr/local] [INIT=systemd|sysv|busybox|openrc|none]
# make install-strip     the same with the binary stripped ($(STRIP))
# INIT picks the init file; without it, the running host's init system when
# DESTDIR is empty, and none with a DESTDIR (a staging tree is for another
# system: say which). docs/install.md lists what goes where.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/berth
SYSCONFDIR ?= /etc
# Debian 12 and Raspberry Pi OS keep units in /lib/systemd/system (merged
# /usr makes it the same as /usr/lib/systemd/system)
ifeq ($(PREFIX),/usr)
SYSTEMDUNITDIR ?= /lib/systemd/system
else
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
endif
ifeq ($(origin INIT),undefined)
ifneq ($(DESTDIR),)
INIT := none
else
INIT := $(shell if [ -d /run/systemd/system ]; then echo systemd; \
	elif [ -x /sbin/openrc-run ]; then echo openrc; \
	elif [ -L /sbin/init ] && [ "$$(basename "$$(readlink -f /sbin/init)")" = busybox ]; then echo busybox; \
	elif [ -d /etc/init.d ]; then echo sysv; else echo none; fi)
endif
endif
# INIT may name several ("systemd sysv": a Debian package carries both)
init-has = $(filter $(1),$(INIT))
INSTALL_STRIP :=
# the init files name /usr/bin/berth: point them at BINDIR
init-sed = sed 's|/usr/bin/berth|$(BINDIR)/berth|g'

.PHONY: install-strip
install-strip: INSTALL_STRIP := -s --strip-program=$(STRIP)
install-strip: install
install: $(BERTH)
	$(if $(filter-out systemd sysv busybox openrc none,$(INIT)),$(error INIT=$(INIT): expected systemd, sysv, busybox, openrc or none (or several)))
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(PREFIX)/share/berth/examples
	install -m 0755 $(INSTALL_STRIP) $(BERTH) $(DESTDIR)$(BINDIR)/berth
	ln -sf berth $(DESTDIR)$(BINDIR)/berthd
	ln -sf berth $(DESTDIR)$(BINDIR)/berth-oci
	install -m 0644 docs/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 docs/man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 LICENSE COPYING README.md docs/pod-spec.md docs/berthd.md docs/oci.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 examples/*.pod $(DESTDIR)$(PREFIX)/share/berth/examples/
	@# pod files may carry secrets (env=): root only
	install -d -m 0700 $(DESTDIR)$(SYSCONFDIR)/berth/pods
	@echo "  INIT   $(INIT)"
ifneq ($(call init-has,systemd sysv busybox),)
	@# settings of the systemd unit and of S90berth; never overwritten
	install -d $(DESTDIR)$(SYSCONFDIR)/default
	[ -e $(DESTDIR)$(SYSCONFDIR)/default/berth ] || \
		install -m 0644 board/init/berth.default $(DESTDIR)$(SYSCONFDIR)/default/berth
endif
ifneq ($(call init-has,systemd),)
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	$(init-sed) board/init/berth.service >$(DESTDIR)$(SYSTEMDUNITDIR)/berth.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/berth.service
endif
ifneq ($(call init-has,busybox),)
	install -d $(DESTDIR)$(SYSCONFDIR)/init.d
	$(init-sed) board/init/S90berth >$(DESTDIR)$(SYSCONFDIR)/init.d/S90berth
	chmod 0755 $(DESTDIR)$(SYSCONFDIR)/init.d/S90berth
endif
ifneq ($(call init-has,sysv),)
	install -d $(DESTDIR)$(SYSCONFDIR)/init.d
	$(init-sed) board/init/S90berth >$(DESTDIR)$(SYSCONFDIR)/init.d/berth
	chmod 0755 $(DESTDIR)$(SYSCONFDIR)/init.d/berth
endif
ifneq ($(call init-has,openrc),)
	install -d $(DESTDIR)$(SYSCONFDIR)/init.d
	$(init-sed) board/init/berthd >$(DESTDIR)$(SYSCONFDIR)/init.d/berthd
	chmod 0755 $(DESTDIR)$(SYSCONFDIR)/init.d/berthd
endif

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
