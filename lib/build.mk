lib-srcs-y := $(filter-out lib/json%.c,$(wildcard lib/*.c))
lib-libs-y := -lm
lib-srcs-$(CONFIG_JSON) += $(wildcard lib/json*.c)
lib-libs-$(CONFIG_JSON) += -ljansson
