supervisor-srcs-y := $(wildcard supervisor/*.c)
supervisor-libs-y := -liniparser -ljansson -lcap
