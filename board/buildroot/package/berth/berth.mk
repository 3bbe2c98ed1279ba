################################################################################
#
# berth
#
################################################################################

# Built from the berth tree this BR2_EXTERNAL lives in (board/buildroot).
# For a release or a pinned commit instead, see docs/decisions/buildroot.md.
BERTH_VERSION = 0.1
BERTH_SITE = $(realpath $(BR2_EXTERNAL_BERTH_PATH)/../..)
BERTH_SITE_METHOD = local
# A developer's own build output in that tree must not come along.
BERTH_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS = \
	--exclude /build --exclude /.config --exclude /.config.old
BERTH_LICENSE = GPL-2.0+
BERTH_LICENSE_FILES = LICENSE COPYING
BERTH_DEPENDENCIES = host-python3 host-python-kconfiglib libcap

# berth's ARCH (its Makefile and seccomp generator) from the target, never
# from the toolchain prefix (aarch64-buildroot-linux-gnu-); 32-bit ARM by
# its float ABI: arm (hard-float, ARMv7) or armel (soft-float, e.g. ARMv6)
ifeq ($(BR2_aarch64),y)
BERTH_ARCH = aarch64
else ifeq ($(BR2_x86_64),y)
BERTH_ARCH = x86_64
else ifeq ($(BR2_ARM_EABIHF),y)
BERTH_ARCH = arm
else
BERTH_ARCH = armel
endif

# BR2_PACKAGE_BERTH_* -> berth's Kconfig parts (lines of a defconfig)
BERTH_KCONFIG_OPTS = CONFIG_USERNS=y

ifeq ($(BR2_PACKAGE_BERTH_IMAGES),y)
BERTH_DEPENDENCIES += jansson libarchive openssl
BERTH_KCONFIG_OPTS += CONFIG_IMAGES=y
ifeq ($(BR2_PACKAGE_BERTH_PULL),y)
BERTH_DEPENDENCIES += libcurl
BERTH_KCONFIG_OPTS += CONFIG_IMAGES_PULL=y
else
BERTH_KCONFIG_OPTS += CONFIG_IMAGES_PULL=n
endif
else
BERTH_KCONFIG_OPTS += CONFIG_IMAGES=n
endif

ifeq ($(BR2_PACKAGE_BERTH_NET),y)
BERTH_DEPENDENCIES += libnl
BERTH_KCONFIG_OPTS += CONFIG_NET=y
ifeq ($(BR2_PACKAGE_BERTH_NAT),y)
BERTH_DEPENDENCIES += nftables
BERTH_KCONFIG_OPTS += CONFIG_NET_NAT=y
else
BERTH_KCONFIG_OPTS += CONFIG_NET_NAT=n
endif
else
BERTH_KCONFIG_OPTS += CONFIG_NET=n
endif

ifeq ($(BR2_PACKAGE_BERTH_SUPERVISOR),y)
BERTH_DEPENDENCIES += iniparser jansson
BERTH_KCONFIG_OPTS += CONFIG_SUPERVISOR=y
else
BERTH_KCONFIG_OPTS += CONFIG_SUPERVISOR=n
endif

ifeq ($(BR2_PACKAGE_BERTH_OCI),y)
BERTH_DEPENDENCIES += jansson
BERTH_KCONFIG_OPTS += CONFIG_OCI=y
else
BERTH_KCONFIG_OPTS += CONFIG_OCI=n
endif

ifeq ($(BR2_PACKAGE_BERTH_CHECK),y)
BERTH_KCONFIG_OPTS += CONFIG_CHECK=y
else
BERTH_KCONFIG_OPTS += CONFIG_CHECK=n
endif

ifeq ($(BR2_PACKAGE_BERTH_SECCOMP),y)
BERTH_DEPENDENCIES += host-libseccomp libseccomp
BERTH_KCONFIG_OPTS += CONFIG_SECCOMP=y
else
BERTH_KCONFIG_OPTS += CONFIG_SECCOMP=n
endif

# CFLAGS/LDFLAGS on the command line would replace berth's own: Buildroot's
# go through EXTRA_*, and -Werror stays for berth's CI, not for other
# compilers. The seccomp generator runs on the build machine, linked with
# host-libseccomp (HOST_LDFLAGS carries its rpath).
BERTH_MAKE_OPTS = \
	ARCH=$(BERTH_ARCH) \
	CROSS_COMPILE="$(TARGET_CROSS)" \
	CC="$(TARGET_CC)" \
	AR="$(TARGET_AR)" \
	HOSTCC="$(HOSTCC)" \
	HOSTCFLAGS="$(HOST_CFLAGS)" \
	HOSTLDFLAGS="$(HOST_LDFLAGS)" \
	PYTHON="$(HOST_DIR)/bin/python3" \
	SYSROOT="$(STAGING_DIR)" \
	O=build \
	BERTH_VERSION="$(BERTH_VERSION)" \
	EXTRA_CFLAGS="$(TARGET_CFLAGS) -Wno-error" \
	EXTRA_LDFLAGS="$(TARGET_LDFLAGS)"

define BERTH_CONFIGURE_CMDS
	printf '%s\n' $(BERTH_KCONFIG_OPTS) | \
		sed 's/^\(CONFIG_[A-Z0-9_]*\)=n$$/# \1 is not set/' \
		>$(@D)/board/configs/buildroot_defconfig
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(BERTH_MAKE_OPTS) buildroot_defconfig
endef

define BERTH_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(BERTH_MAKE_OPTS) build/berth
endef

define BERTH_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(@D)/build/berth $(TARGET_DIR)/usr/bin/berth
	$(if $(BR2_PACKAGE_BERTH_SUPERVISOR),ln -sf berth $(TARGET_DIR)/usr/bin/berthd)
	$(if $(BR2_PACKAGE_BERTH_OCI),ln -sf berth $(TARGET_DIR)/usr/bin/berth-oci)
	$(if $(BR2_PACKAGE_BERTH_SUPERVISOR),$(INSTALL) -d -m 0700 $(TARGET_DIR)/etc/berth/pods)
endef

# The daemon's init files are berth's own (board/init); S90berth, where
# Buildroot expects it, is a link to board/init/S90berth.
ifeq ($(BR2_PACKAGE_BERTH_SUPERVISOR),y)
define BERTH_INSTALL_INIT_SYSV
	$(INSTALL) -D -m 0755 $(BERTH_PKGDIR)/S90berth \
		$(TARGET_DIR)/etc/init.d/S90berth
endef

define BERTH_INSTALL_INIT_SYSTEMD
	$(INSTALL) -D -m 0644 $(@D)/board/init/berth.service \
		$(TARGET_DIR)/usr/lib/systemd/system/berth.service
endef

define BERTH_INSTALL_INIT_OPENRC
	$(INSTALL) -D -m 0755 $(@D)/board/init/berthd \
		$(TARGET_DIR)/etc/init.d/berthd
endef
endif

# The kernel options of board/rpi/kernel.fragment, per part
# (tests/build/buildroot.sh checks that the two lists agree).
define BERTH_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_NAMESPACES)
	$(call KCONFIG_ENABLE_OPT,CONFIG_UTS_NS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_IPC_NS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_PID_NS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NET_NS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_USER_NS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CGROUPS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CGROUP_SCHED)
	$(call KCONFIG_ENABLE_OPT,CONFIG_FAIR_GROUP_SCHED)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CFS_BANDWIDTH)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CPUSETS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_MEMCG)
	$(call KCONFIG_ENABLE_OPT,CONFIG_BLK_CGROUP)
	$(call KCONFIG_ENABLE_OPT,CONFIG_BLK_DEV_THROTTLING)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CGROUP_PIDS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CGROUP_FREEZER)
	$(call KCONFIG_ENABLE_OPT,CONFIG_CGROUP_BPF)
	$(call KCONFIG_ENABLE_OPT,CONFIG_BPF_SYSCALL)
	$(call KCONFIG_ENABLE_OPT,CONFIG_PSI)
	$(call KCONFIG_ENABLE_OPT,CONFIG_OVERLAY_FS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_TMPFS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_TMPFS_XATTR)
	$(call KCONFIG_ENABLE_OPT,CONFIG_TMPFS_POSIX_ACL)
	$(call KCONFIG_ENABLE_OPT,CONFIG_POSIX_MQUEUE)
	$(call KCONFIG_ENABLE_OPT,CONFIG_DEVTMPFS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_UNIX98_PTYS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_EPOLL)
	$(call KCONFIG_ENABLE_OPT,CONFIG_SIGNALFD)
	$(call KCONFIG_ENABLE_OPT,CONFIG_TIMERFD)
	$(call KCONFIG_ENABLE_OPT,CONFIG_INOTIFY_USER)
	$(call KCONFIG_ENABLE_OPT,CONFIG_FHANDLE)
	$(BERTH_SECCOMP_LINUX_CONFIG_FIXUPS)
	$(BERTH_NET_LINUX_CONFIG_FIXUPS)
	$(BERTH_NAT_LINUX_CONFIG_FIXUPS)
	$(BERTH_SUPERVISOR_LINUX_CONFIG_FIXUPS)
endef

ifeq ($(BR2_PACKAGE_BERTH_SECCOMP),y)
define BERTH_SECCOMP_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_SECCOMP)
	$(call KCONFIG_ENABLE_OPT,CONFIG_SECCOMP_FILTER)
endef
endif

ifeq ($(BR2_PACKAGE_BERTH_NET),y)
define BERTH_NET_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_VETH)
	$(call KCONFIG_ENABLE_OPT,CONFIG_BRIDGE)
	$(call KCONFIG_SET_OPT,CONFIG_TUN,m)
endef
endif

ifeq ($(BR2_PACKAGE_BERTH_NAT),y)
define BERTH_NAT_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_SET_OPT,CONFIG_BRIDGE_NETFILTER,m)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NETFILTER)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NETFILTER_ADVANCED)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NF_CONNTRACK)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NF_NAT)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NF_TABLES)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NF_TABLES_INET)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NF_TABLES_IPV4)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NF_TABLES_IPV6)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NFT_CT)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NFT_NAT)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NFT_MASQ)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NFT_REDIR)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NFT_NUMGEN)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NFT_FIB_INET)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NFT_FIB_IPV4)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NFT_FIB_IPV6)
endef
endif

# the hardware watchdog the daemon pets (BCM2835_WDT only exists on a Pi)
ifeq ($(BR2_PACKAGE_BERTH_SUPERVISOR),y)
define BERTH_SUPERVISOR_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_WATCHDOG)
	$(call KCONFIG_ENABLE_OPT,CONFIG_BCM2835_WDT)
endef
endif

$(eval $(generic-package))
