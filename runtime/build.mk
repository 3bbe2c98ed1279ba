# runtime/seccomp*.c exist only with CONFIG_SECCOMP, runtime/userns*.c with CONFIG_USERNS
runtime-srcs-y := $(filter-out runtime/seccomp%.c runtime/userns%.c,$(wildcard runtime/*.c))
runtime-srcs-$(CONFIG_SECCOMP) += $(wildcard runtime/seccomp*.c)
runtime-srcs-$(CONFIG_USERNS) += $(wildcard runtime/userns*.c)
runtime-libs-y := -lcap
runtime-libs-$(CONFIG_SECCOMP) += -lseccomp
