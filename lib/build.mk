# lib/check_parse.c (pure parsers) is always built, so the unit tests link;
# --gc-sections drops it when CONFIG_CHECK is off
lib-srcs-y := $(filter-out lib/json%.c lib/check.c,$(wildcard lib/*.c))
lib-srcs-$(CONFIG_CHECK) += lib/check.c
lib-libs-y := -lm
lib-srcs-$(CONFIG_JSON) += $(wildcard lib/json*.c)
lib-libs-$(CONFIG_JSON) += -ljansson
