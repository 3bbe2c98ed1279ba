################################################################################
#
# berth
#
################################################################################

# Built from the berth tree this file lives in (board/buildroot/package/berth);
# override with BERTH_OVERRIDE_SRCDIR or set a release tarball here.
BERTH_VERSION = 0.1
BERTH_SITE = $(realpath $(BERTH_PKGDIR)/../../../..)
BERTH_SITE_METHOD = local
BERTH_LICENSE = GPL-2.0+
BERTH_DEPENDENCIES = iniparser jansson libarchive libcap libnl openssl

BERTH_KCONFIG_OPTS = CONFIG_OCI=y
ifeq ($(BR2_PACKAGE_BERTH_SECCOMP),y)
BERTH_DEPENDENCIES += libseccomp
BERTH_KCONFIG_OPTS += CONFIG_SECCOMP=y
else
BERTH_KCONFIG_OPTS += CONFIG_SECCOMP=n
endif
ifeq ($(BR2_PACKAGE_BERTH_NAT),y)
BERTH_DEPENDENCIES += nftables
BERTH_KCONFIG_OPTS += CONFIG_NET_NAT=y
else
BERTH_KCONFIG_OPTS += CONFIG_NET_NAT=n
endif
ifeq ($(BR2_PACKAGE_BERTH_PULL),y)
BERTH_DEPENDENCIES += libcurl
BERTH_KCONFIG_OPTS += CONFIG_IMAGES_PULL=y
else
BERTH_KCONFIG_OPTS += CONFIG_IMAGES_PULL=n
endif

# Never CFLAGS/LDFLAGS on the command line: they would replace berth's own
# (-Werror stays for berth's CI, not for other compilers).
# Buildroot has no kconfiglib package: the build machine's python3 runs it.
BERTH_MAKE_OPTS = \
	CROSS_COMPILE="$(TARGET_CROSS)" \
	O=build \
	SYSROOT="$(STAGING_DIR)" \
	PYTHON=/usr/bin/python3 \
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
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(BERTH_MAKE_OPTS) \
		DESTDIR=$(TARGET_DIR) PREFIX=/usr install
endef

define BERTH_INSTALL_INIT_SYSTEMD
	$(INSTALL) -D -m 0644 $(@D)/board/init/berth.service \
		$(TARGET_DIR)/usr/lib/systemd/system/berth.service
endef

define BERTH_INSTALL_INIT_SYSV
	$(INSTALL) -D -m 0755 $(@D)/board/init/S90berth \
		$(TARGET_DIR)/etc/init.d/S90berth
endef

define BERTH_INSTALL_INIT_OPENRC
	$(INSTALL) -D -m 0755 $(@D)/board/init/berthd \
		$(TARGET_DIR)/etc/init.d/berthd
endef

$(eval $(generic-package))
