SUMMARY = "Container runtime and pod supervisor for single-board computers"
DESCRIPTION = "berth runs OCI images in pods described by INI files, keeps \
replicas alive, restarts what crashes, checks health and publishes ports, \
with namespaces, cgroup v2, overlayfs and nf_tables."
SECTION = "console/utils"
LICENSE = "GPL-2.0-or-later"
LIC_FILES_CHKSUM = "file://LICENSE;md5=dd8e21a26ea5bc9c7ef574d9497e240e \
                    file://COPYING;md5=b234ee4d69f5fce4486a80fdaf4a4263"

# BERTH_GIT_URI is a placeholder until berth has a public home: point it at
# the repository you build from (local.conf or a bbappend), e.g. a clone on
# the build machine: BERTH_GIT_URI = "git:///srv/git/berth.git;protocol=file"
BERTH_GIT_URI ?= "git://git.example.org/berth.git;protocol=https"
BERTH_GIT_BRANCH ?= "main"
# destsuffix=${BP} unpacks to the default S: ${WORKDIR}/${BP} on scarthgap,
# ${UNPACKDIR}/${BP} from whinlatter on, where setting S to ${WORKDIR}/git
# is fatal. So this recipe sets no S.
SRC_URI = "${BERTH_GIT_URI};branch=${BERTH_GIT_BRANCH};destsuffix=${BP}"
SRCREV = "b35c6c94fdba151dca58b136cbef4c045d0a346e"
PV = "0.1+git"

DEPENDS = "libcap python3-kconfiglib-native"

inherit pkgconfig python3native systemd update-rc.d

# Each option is a Kconfig part of berth (its enable/disable fields are the
# lines of the defconfig written by do_configure). Libraries that berth
# opens with dlopen on first use are runtime dependencies the shlib scan
# cannot see: they are listed in the rdepends field.
PACKAGECONFIG ??= "images pull net nat supervisor oci userns check \
                   ${@bb.utils.filter('DISTRO_FEATURES', 'seccomp', d)}"
PACKAGECONFIG[images] = "CONFIG_IMAGES=y,CONFIG_IMAGES=n,libarchive openssl jansson,libarchive libcrypto,kernel-module-overlay"
PACKAGECONFIG[pull] = "CONFIG_IMAGES_PULL=y,CONFIG_IMAGES_PULL=n,curl,libcurl ca-certificates"
PACKAGECONFIG[net] = "CONFIG_NET=y,CONFIG_NET=n,libnl,libnl-route,kernel-module-veth kernel-module-bridge"
PACKAGECONFIG[nat] = "CONFIG_NET_NAT=y,CONFIG_NET_NAT=n,nftables,nftables,kernel-module-nf-tables kernel-module-nft-nat kernel-module-nft-masq kernel-module-nft-chain-nat kernel-module-nft-ct"
PACKAGECONFIG[supervisor] = "CONFIG_SUPERVISOR=y,CONFIG_SUPERVISOR=n,iniparser jansson"
PACKAGECONFIG[oci] = "CONFIG_OCI=y,CONFIG_OCI=n,jansson"
PACKAGECONFIG[seccomp] = "CONFIG_SECCOMP=y,CONFIG_SECCOMP=n,libseccomp libseccomp-native"
PACKAGECONFIG[userns] = "CONFIG_USERNS=y,CONFIG_USERNS=n"
PACKAGECONFIG[check] = "CONFIG_CHECK=y,CONFIG_CHECK=n"

python () {
    pc = (d.getVar('PACKAGECONFIG') or '').split()
    for opt, needs in (('pull', 'images'), ('nat', 'net')):
        if opt in pc and needs not in pc:
            raise bb.parse.SkipRecipe("PACKAGECONFIG %s needs %s" % (opt, needs))
}

# berth's ARCH (its Makefile and seccomp generator) from the target, never
# from the toolchain prefix (aarch64-poky-linux-); 32-bit ARM by its float
# ABI: arm (hard-float, ARMv7) or armel (soft-float, e.g. ARMv6).
COMPATIBLE_HOST = "(x86_64|aarch64|arm)-.*-linux.*"
def berth_arch(d):
    arch = d.getVar('TARGET_ARCH')
    if arch == 'arm':
        return bb.utils.contains('TUNE_FEATURES', 'callconvention-hard', 'arm', 'armel', d)
    return arch
BERTH_ARCH = "${@berth_arch(d)}"

# CFLAGS/LDFLAGS go through EXTRA_*: on the command line they would replace
# berth's own; -Werror stays for berth's CI, not for other compilers. The
# seccomp generator runs on the build machine with libseccomp-native.
EXTRA_OEMAKE = "O=build ARCH=${BERTH_ARCH} CROSS_COMPILE=${TARGET_PREFIX} \
                CC='${CC}' AR='${AR}' \
                HOSTCC='${BUILD_CC}' HOSTCFLAGS='${BUILD_CFLAGS}' HOSTLDFLAGS='${BUILD_LDFLAGS}' \
                PYTHON='${PYTHON}' SYSROOT='${STAGING_DIR_TARGET}' \
                BERTH_VERSION='${PV}' \
                EXTRA_CFLAGS='${CFLAGS} -Wno-error' EXTRA_LDFLAGS='${LDFLAGS}'"

do_configure() {
	printf '%s\n' ${PACKAGECONFIG_CONFARGS} | \
		sed 's/^\(CONFIG_[A-Z0-9_]*\)=n$/# \1 is not set/' >${S}/board/configs/yocto_defconfig
	oe_runmake yocto_defconfig
}

do_compile() {
	oe_runmake build/berth
}

do_install() {
	install -D -m 0755 ${S}/build/berth ${D}${bindir}/berth
	if ${@bb.utils.contains('PACKAGECONFIG', 'oci', 'true', 'false', d)}; then
		ln -sf berth ${D}${bindir}/berth-oci
	fi
	if ${@bb.utils.contains('PACKAGECONFIG', 'supervisor', 'true', 'false', d)}; then
		ln -sf berth ${D}${bindir}/berthd
		# pod files may carry secrets (env=): root only
		install -d -m 0700 ${D}${sysconfdir}/berth/pods
		if ${@bb.utils.contains('DISTRO_FEATURES', 'systemd', 'true', 'false', d)}; then
			install -D -m 0644 ${S}/board/init/berth.service \
				${D}${systemd_system_unitdir}/berth.service
		fi
		if ${@bb.utils.contains('DISTRO_FEATURES', 'sysvinit', 'true', 'false', d)}; then
			install -D -m 0755 ${S}/board/init/S90berth ${D}${sysconfdir}/init.d/berth
		fi
	fi
}

# the daemon's init files (board/init) exist only with the supervisor
SYSTEMD_PACKAGES = "${@bb.utils.contains('PACKAGECONFIG', 'supervisor', '${PN}', '', d)}"
SYSTEMD_SERVICE:${PN} = "berth.service"
INITSCRIPT_PACKAGES = "${@bb.utils.contains('PACKAGECONFIG', 'supervisor', '${PN}', '', d)}"
INITSCRIPT_NAME = "berth"
INITSCRIPT_PARAMS = "defaults 90 10"
