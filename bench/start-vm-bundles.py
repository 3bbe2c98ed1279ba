# OCI bundles for bench/start-vm.sh (the start benchmark inside the QEMU VM,
# which has no python): made on the host with bench/start's own bundle
# config, so crun and runc get in the VM exactly what they get on the host.
#
#   python3 bench/start-vm-bundles.py OUT ROOT
#
# Writes OUT/bundle (Docker-style seccomp), OUT/bundle-noseccomp and
# OUT/bundle-sleep (`sleep 5`, for the guest's check that each runtime made
# its cgroup), each a config.json whose root is ROOT (a path in the guest,
# where the guest mounts the overlay once, as bench/start does on the host).
# Called by tests/qemu/run.sh with QEMU_BENCH=start; not executable, so
# `make bench` does not run it.
import copy, importlib.machinery, json, os, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
start = importlib.machinery.SourceFileLoader("bench_start", os.path.join(HERE, "start")).load_module()


def main():
    out, root = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        c = start.bundle_config(tmp, root)
    variants = {"bundle": c, "bundle-noseccomp": copy.deepcopy(c), "bundle-sleep": copy.deepcopy(c)}
    variants["bundle-noseccomp"]["linux"].pop("seccomp", None)
    variants["bundle-sleep"]["process"]["args"] = ["/bin/sleep", "5"]
    for name, cfg in variants.items():
        os.makedirs(os.path.join(out, name), exist_ok=True)
        with open(os.path.join(out, name, "config.json"), "w") as f:
            json.dump(cfg, f, indent=1)


if __name__ == "__main__":
    main()
