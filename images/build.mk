# images/pull*.c exist only with CONFIG_IMAGES_PULL. libarchive and libcurl
# are opened on first use (lib/dl.h, images/dl_archive.h,
# images/pull_dl_curl.h), not linked: they would cost every berth start.
images-srcs-y := $(filter-out images/pull%.c,$(wildcard images/*.c))
images-srcs-$(CONFIG_IMAGES_PULL) += $(wildcard images/pull*.c)
images-libs-y := -lcrypto -ldl
