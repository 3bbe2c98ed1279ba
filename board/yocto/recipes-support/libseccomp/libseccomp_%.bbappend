# berth's build runs a tool on the build machine that compiles its default
# seccomp profile with libseccomp: it needs libseccomp-native.
BBCLASSEXTEND += "native"
REQUIRED_DISTRO_FEATURES:class-native = ""
