SUMMARY = "Container runtime and pod supervisor for single-board computers"
DESCRIPTION = "berth runs OCI images in pods described by INI files, keeps \
replicas alive, restarts what crashes, checks health and publishes ports, \
with namespaces, cgroup v2, overlayfs and nf_tables."
LICENSE = "GPL-2.0-or-later"
LIC_FILES_CHKSUM = "file://cli/main.c;beginline=1;endline=1;md5=7226e442a172bcf25807246d7ef1eba1"

# Set BERTH_GIT (local.conf or a bbappend) to the berth repository you build from.
BERTH_GIT ?= "git://git.example.org/berth.git;protocol=https;branch=main"
SRC_URI = "${BERTH_GIT}"
SRCREV = "${AUTOREV}"
PV = "0.1+git${SRCPV}"
S = "${WORKDIR}/git"

DEPENDS = "libseccomp libcap libnl jansson libarchive curl openssl nftables iniparser \
           python3-kconfiglib-native"

inherit pkgconfig python3native systemd update-rc.d

# CFLAGS/LDFLAGS go through EXTRA_*: on the command line they would replace
# berth's own flags; -Werror stays for berth's CI, not for other compilers.
EXTRA_OEMAKE = "O=build CROSS_COMPILE=${TARGET_PREFIX} CC='${CC}' AR='${AR}' \
                SYSROOT='${STAGING_DIR_TARGET}' PYTHON='${PYTHON}' \
                EXTRA_CFLAGS='${CFLAGS} -Wno-error' EXTRA_LDFLAGS='${LDFLAGS}'"

do_configure() {
	oe_runmake defconfig
}

do_compile() {
	oe_runmake build/berth
}

do_install() {
	oe_runmake install DESTDIR='${D}' PREFIX='${prefix}'
	install -D -m 0644 ${S}/board/init/berth.service ${D}${systemd_system_unitdir}/berth.service
	install -D -m 0755 ${S}/board/init/S90berth ${D}${sysconfdir}/init.d/berth
	install -d ${D}${sysconfdir}/berth/pods
}

SYSTEMD_SERVICE:${PN} = "berth.service"
INITSCRIPT_NAME = "berth"
INITSCRIPT_PARAMS = "defaults 90"

FILES:${PN} += "${systemd_system_unitdir}/berth.service ${datadir}/berth"

# opened on first use with dlopen (lib/dl.h), so the shlib scan cannot see them
RDEPENDS:${PN} += "libarchive libcurl libcrypto nftables libnl libnl-route"

# what the kernel must offer when it builds these parts as modules
RRECOMMENDS:${PN} = "kernel-module-overlay kernel-module-veth kernel-module-bridge \
                     kernel-module-nf-tables kernel-module-nft-nat kernel-module-nft-masq \
                     kernel-module-nft-chain-nat kernel-module-nft-ct"
