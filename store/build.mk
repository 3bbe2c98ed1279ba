# Configs, secrets and volumes: plain files under the state root, no library.
store-srcs-y := $(wildcard store/*.c)
store-libs-y :=
