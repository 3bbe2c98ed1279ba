# images/pull*.c exist only with CONFIG_IMAGES_PULL. libarchive, libcurl and
# libcrypto are opened on first use (lib/dl.h, images/dl_archive.h,
# images/pull_dl_curl.h, images/digest.c), not linked: they would cost every
# berth start.
images-srcs-y := $(filter-out images/pull%.c,$(wildcard images/*.c))
images-srcs-$(CONFIG_IMAGES_PULL) += $(wildcard images/pull*.c)
images-libs-y := -ldl
