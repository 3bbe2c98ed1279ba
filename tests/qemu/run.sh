#!/bin/sh
# placeholder: the QEMU harness lands with the foundation work
echo "check-qemu ARCH=$1: not built yet" >&2
exit 1
