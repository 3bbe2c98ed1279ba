# net/nat*.c exist only with CONFIG_NET_NAT. libnl (net/dl_nl.h) and
# libnftables (net/nat.c) are opened on first use (lib/dl.h), not linked:
# with their libraries they would cost every berth and berth-oci start.
net-srcs-y := $(filter-out net/nat%.c,$(wildcard net/*.c))
net-srcs-$(CONFIG_NET_NAT) += $(wildcard net/nat*.c)
net-libs-y := -ldl

# A static helper for the network tests (UDP, name lookups): the VMs have
# only busybox, whose nc has no UDP.
ifeq ($(CONFIG_NET),y)
NETPROBE := $(O)/tests/netprobe
$(NETPROBE): tests/net/netprobe.c
	$(quiet) CC $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE $(ABI_CPPFLAGS) -static -o $@ $< 2>/dev/null || \
		$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE $(ABI_CPPFLAGS) -static -o $@ $<
all: $(NETPROBE)
endif
