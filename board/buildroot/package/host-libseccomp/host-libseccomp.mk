################################################################################
#
# host-libseccomp
#
################################################################################

# berth compiles its default seccomp profile at build time with a tool that
# links libseccomp on the build machine; Buildroot's libseccomp package has
# no host variant. This adds it from the same version, site and hashes
# (package/libseccomp), unless a newer Buildroot already has it.
ifeq ($(filter host-libseccomp,$(PACKAGES_ALL)),)
HOST_LIBSECCOMP_DEPENDENCIES += host-gperf
$(eval $(call inner-autotools-package,host-libseccomp,HOST_LIBSECCOMP,LIBSECCOMP,host))
HOST_LIBSECCOMP_HASH_FILES = $(LIBSECCOMP_HASH_FILES)
endif
