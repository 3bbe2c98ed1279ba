# One file per command group; a group whose part is compiled out is not built
# (cli/commands.h gives its commands a stub that says so).
cli-srcs-y := $(filter-out cli/oci%.c cli/image%.c cli/pod%.c cli/net%.c cli/store%.c cli/check%.c,$(wildcard cli/*.c))
cli-srcs-$(CONFIG_STORE) += $(wildcard cli/store*.c)
cli-srcs-$(CONFIG_OCI) += $(wildcard cli/oci*.c)
cli-srcs-$(CONFIG_IMAGES) += $(wildcard cli/image*.c)
cli-srcs-$(CONFIG_SUPERVISOR) += $(wildcard cli/pod*.c)
cli-srcs-$(CONFIG_NET) += $(wildcard cli/net*.c)
cli-srcs-$(CONFIG_CHECK) += cli/check.c
ifeq ($(CONFIG_CHECK),y)
cli-srcs-$(CONFIG_IMAGES) += cli/check_gz.c
cli-srcs-$(CONFIG_JSON) += cli/check_json.c
endif
