# images/pull*.c exist only with CONFIG_IMAGES_PULL
images-srcs-y := $(filter-out images/pull%.c,$(wildcard images/*.c))
images-srcs-$(CONFIG_IMAGES_PULL) += $(wildcard images/pull*.c)
images-libs-y := -larchive -lcrypto
images-libs-$(CONFIG_IMAGES_PULL) += -lcurl
