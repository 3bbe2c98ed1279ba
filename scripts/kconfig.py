#!/usr/bin/python3
"""berth's Kconfig front end over python3-kconfiglib.

  kconfig.py defconfig FILE         .config from a defconfig (unknown symbols are errors)
  kconfig.py olddefconfig           refresh .config, new symbols at their defaults
  kconfig.py savedefconfig OUT      minimal defconfig of .config
  kconfig.py genconfig AUTO HEADER  resolved make fragment + C header for the build
  kconfig.py menuconfig             the curses editor

The .config path comes from KCONFIG_CONFIG (default .config).
"""
import os
import sys

try:
    import kconfiglib
except ImportError:
    sys.exit("kconfig: python3-kconfiglib is missing: run 'make deps'")

CONFIG = os.environ.get("KCONFIG_CONFIG", ".config")


def load(path=None, strict=True):
    kconf = kconfiglib.Kconfig("Kconfig", warn_to_stderr=False, suppress_traceback=True)
    kconf.warn_assign_undef = True
    if path is not None:
        kconf.load_config(path)
        errors = [w for w in kconf.warnings
                  if "undefined symbol" in w or "malformed" in w or "ignoring" in w]
        if strict and errors:
            for w in errors:
                sys.stderr.write("%s: %s\n" % (path, w.strip().replace("\n", " ")))
            sys.exit(1)
        for w in kconf.warnings:
            if w not in errors:
                sys.stderr.write("kconfig: %s\n" % w.strip().replace("\n", " "))
    return kconf


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "defconfig" and len(argv) == 3:
        if not os.path.exists(argv[2]):
            sys.exit("kconfig: %s: no such defconfig" % argv[2])
        kconf = load(argv[2])
        kconf.write_config(CONFIG, header="# berth configuration (from %s)\n" % argv[2])
        print("  wrote %s from %s" % (CONFIG, argv[2]))
    elif cmd == "olddefconfig":
        kconf = load(CONFIG if os.path.exists(CONFIG) else None)
        kconf.write_config(CONFIG)
        print("  wrote %s" % CONFIG)
    elif cmd == "savedefconfig" and len(argv) == 3:
        kconf = load(CONFIG)
        kconf.write_min_config(argv[2])
        print("  wrote %s" % argv[2])
    elif cmd == "genconfig" and len(argv) == 4:
        kconf = load(CONFIG)
        tmp = argv[2] + ".tmp"
        kconf.write_config(tmp, header="# generated from %s: do not edit\n" % CONFIG)
        os.replace(tmp, argv[2])
        tmp = argv[3] + ".tmp"
        kconf.write_autoconf(tmp, header="/* generated from %s: do not edit */\n" % CONFIG)
        os.replace(tmp, argv[3])
    elif cmd == "menuconfig":
        import menuconfig
        os.environ.setdefault("MENUCONFIG_STYLE", "aquatic")
        kconf = load(CONFIG if os.path.exists(CONFIG) else None, strict=False)
        menuconfig.menuconfig(kconf)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
