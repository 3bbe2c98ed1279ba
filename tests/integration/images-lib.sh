# Helpers for the real-peer image tests (images-peers.t, images-buildah.t),
# sourced after lib.sh.

# a tree listing that does not depend on the file system: paths, types,
# modes, owners, sizes, link counts, file mtimes, symlink targets, content
# hashes
listing() { # DIR
	(cd "$1" && find . -mindepth 1 \( -type d -printf '%p d %m %U:%G\n' \) -o \
		\( -type f -printf '%p f %m %U:%G %s %n %T@\n' \) -o \( -type l -printf '%p l %l %U:%G\n' \) -o \
		\( -type c -printf '%p c %m\n' \) -o -printf '%p other\n' | LC_ALL=C sort
	 cd "$1" && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}
# the merged view of an image in the store (overlay of its lowers)
merged() { # NAME MOUNTPOINT
	lowers=$("$BERTH" image spec "$1" | sed -n 's/^lowers=//p' | tr ' ' ':')
	mkdir -p "$2.u" "$2.w" "$2"
	mount -t overlay overlay -o "lowerdir=$lowers,upperdir=$2.u,workdir=$2.w" "$2" ||
		skip "overlay mounts are not possible here"
}
# fail unless the merged view of image NAME lists as the file WANT
same_tree() { # NAME WANT
	m="$T/m-$(echo "$1" | tr :/ --)"
	merged "$1" "$m"
	listing "$m" > "$T/got"
	umount "$m"
	diff "$2" "$T/got" > "$T/diff" || fail "$1 differs from umoci unpack: $(head -20 "$T/diff")"
}
