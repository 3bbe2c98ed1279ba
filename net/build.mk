# net/nat*.c exist only with CONFIG_NET_NAT
net-srcs-y := $(filter-out net/nat%.c,$(wildcard net/*.c))
net-srcs-$(CONFIG_NET_NAT) += $(wildcard net/nat*.c)
net-libs-y := -lnl-route-3 -lnl-3
net-libs-$(CONFIG_NET_NAT) += -lnftables
