#!/usr/bin/python3
"""Build berth's embedded default image from Debian's busybox-static.

  mkimage.py --arch ARCH --out busybox.oci.tar     OCI image layout in a tar
  mkimage.py --arch ARCH --rootfs DIR [--add SRC:DST ...]   the same tree as a directory

Reproducible: entries sorted, owner 0:0, mtime 0, gzip without a timestamp,
so the same busybox gives the same digests on every build. The reference is
busybox:latest.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
# berth's ARCH (the Makefile's) -> OCI architecture, variant and Debian
# architecture of busybox-static: arm is ARMv7 hard-float (Debian armhf), armel
# soft-float (Debian armel: ARMv5TE code, which ARMv6 boards such as the Pi
# Zero run)
OCI_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "arm": "arm", "armhf": "arm",
            "armel": "arm"}
OCI_VARIANT = {"armv7l": "v7", "arm": "v7", "armhf": "v7", "armel": "v5"}
DEB_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "armhf", "arm": "armhf", "armhf": "armhf",
            "armel": "armel"}

PASSWD = """root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
"""
GROUP = """root:x:0:
daemon:x:1:
tty:x:5:
www-data:x:33:
nogroup:x:65534:
"""
INDEX_HTML = "<h1>hello from berth</h1>\n"


def busybox_for(arch):
    """Path of a static busybox binary for ARCH."""
    if arch == os.uname().machine:
        return "/bin/busybox"
    deb = DEB_ARCH[arch]
    dest = os.path.join(os.environ.get("O", "build"), "downloads", "busybox-static-" + arch)
    subprocess.check_call([os.path.join(HERE, "fetch-deb.sh"), "busybox-static", deb, dest])
    return os.path.join(dest, "bin", "busybox")


def applets():
    """Applet paths ("bin/sh", "usr/bin/wget"): the host busybox-static is the
    same Debian version and configuration for every architecture."""
    out = subprocess.check_output(["/bin/busybox", "--list-full"], text=True)
    return sorted(set(l.strip() for l in out.splitlines() if l.strip() and l.strip() != "bin/busybox"))


def tree(arch, extra):
    """The image's entries: (path, kind, mode, payload)."""
    bb = open(busybox_for(arch), "rb").read()
    e = []
    for d, mode in [("bin", 0o755), ("dev", 0o755), ("etc", 0o755), ("home", 0o755), ("proc", 0o755),
                    ("root", 0o700), ("run", 0o755), ("sbin", 0o755), ("sys", 0o755), ("tmp", 0o1777),
                    ("usr", 0o755), ("usr/bin", 0o755), ("usr/sbin", 0o755), ("var", 0o755),
                    ("var/www", 0o755), ("var/tmp", 0o1777)]:
        e.append((d, "dir", mode, None))
    e.append(("bin/busybox", "file", 0o755, bb))
    for a in applets():
        e.append((a, "symlink", 0o777, "/bin/busybox"))
    e.append(("etc/passwd", "file", 0o644, PASSWD.encode()))
    e.append(("etc/group", "file", 0o644, GROUP.encode()))
    e.append(("var/www/index.html", "file", 0o644, INDEX_HTML.encode()))
    for src, dst in extra:
        e.append((dst.lstrip("/"), "file", 0o755, open(src, "rb").read()))
    return sorted(e, key=lambda x: x[0])


def layer_tar(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for path, kind, mode, payload in entries:
            ti = tarfile.TarInfo(path)
            ti.mode, ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = mode, 0, 0, 0, "", ""
            if kind == "dir":
                ti.type = tarfile.DIRTYPE
                t.addfile(ti)
            elif kind == "symlink":
                ti.type, ti.linkname = tarfile.SYMTYPE, payload
                t.addfile(ti)
            else:
                ti.size = len(payload)
                t.addfile(ti, io.BytesIO(payload))
    return buf.getvalue()


def write_rootfs(entries, root):
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    for path, kind, mode, payload in entries:
        p = os.path.join(root, path)
        if kind == "dir":
            os.makedirs(p, exist_ok=True)
            os.chmod(p, mode)
        elif kind == "symlink":
            os.symlink(payload, p)
        else:
            with open(p, "wb") as f:
                f.write(payload)
            os.chmod(p, mode)


def blob(blobs, data, media):
    d = hashlib.sha256(data).hexdigest()
    blobs[d] = data
    return {"mediaType": media, "digest": "sha256:" + d, "size": len(data)}


def dumps(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def oci_tar(entries, arch, out):
    raw = layer_tar(entries)
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0, compresslevel=9, filename="") as g:
        g.write(raw)
    blobs = {}
    layer = blob(blobs, gz.getvalue(), "application/vnd.oci.image.layer.v1.tar+gzip")
    config = {
        "architecture": OCI_ARCH[arch],
        **({"variant": OCI_VARIANT[arch]} if arch in OCI_VARIANT else {}),
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": ["sh"],
            "WorkingDir": "/",
            "ExposedPorts": {"80/tcp": {}},
            "StopSignal": "SIGTERM",
        },
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw).hexdigest()]},
        "history": [{"created": "1970-01-01T00:00:00Z",
                     "created_by": "berth scripts/mkimage.py from Debian busybox-static"}],
    }
    cfg = blob(blobs, dumps(config), "application/vnd.oci.image.config.v1+json")
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": cfg, "layers": [layer]}
    man = blob(blobs, dumps(manifest), "application/vnd.oci.image.manifest.v1+json")
    man["platform"] = {"architecture": OCI_ARCH[arch], "os": "linux"}
    if arch in OCI_VARIANT:
        man["platform"]["variant"] = OCI_VARIANT[arch]
    man["annotations"] = {"org.opencontainers.image.ref.name": "busybox:latest",
                          "io.containerd.image.name": "docker.io/library/busybox:latest"}
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [man]}
    files = {"oci-layout": dumps({"imageLayoutVersion": "1.0.0"}), "index.json": dumps(index)}
    for d, data in blobs.items():
        files["blobs/sha256/" + d] = data
    tmp = out + ".tmp"
    with tarfile.open(tmp, mode="w", format=tarfile.PAX_FORMAT) as t:
        for d in ["blobs", "blobs/sha256"]:
            ti = tarfile.TarInfo(d)
            ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, 0
            t.addfile(ti)
        for name in sorted(files):
            ti = tarfile.TarInfo(name)
            ti.mode, ti.mtime, ti.size = 0o644, 0, len(files[name])
            t.addfile(ti, io.BytesIO(files[name]))
    os.replace(tmp, out)
    return man["digest"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", default=os.uname().machine, choices=sorted(OCI_ARCH),
                    help="berth's ARCH: x86_64, aarch64, arm (armhf), armel")
    ap.add_argument("--out")
    ap.add_argument("--rootfs")
    ap.add_argument("--add", action="append", default=[], help="SRC:DST extra file (rootfs only)")
    a = ap.parse_args()
    if not a.out and not a.rootfs:
        ap.error("give --out and/or --rootfs")
    extra = [x.split(":", 1) for x in a.add]
    if a.out:
        digest = oci_tar(tree(a.arch, []), a.arch, a.out)
        print("  image  %s busybox:latest %s" % (a.out, digest))
    if a.rootfs:
        write_rootfs(tree(a.arch, extra), a.rootfs)


if __name__ == "__main__":
    sys.exit(main())
