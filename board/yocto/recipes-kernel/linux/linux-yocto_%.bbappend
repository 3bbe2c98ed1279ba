# The kernel options berth needs (berth's board/rpi/kernel.fragment), for a
# distro that asks for them: DISTRO_FEATURES:append = " berth". Other
# kernel recipes: SRC_URI += "file://berth.cfg" in their own bbappend.
FILESEXTRAPATHS:prepend := "${THISDIR}/files:"
SRC_URI:append = "${@bb.utils.contains('DISTRO_FEATURES', 'berth', ' file://berth.cfg', '', d)}"
