# berth validate: the examples pass, a bad file fails naming file, section,
# key and reason, with a non-zero status.
need_part supervisor
ex=$(cd "$(dirname "$LIB")/../../examples" && pwd)
for f in "$ex"/*.pod; do
	expect_status 0 berth validate "$f"
done
printf '[pod]\n[container app]\nimage = busybox\nmemory = 12Q\n' >web.pod
expect_status 1 berth validate web.pod
assert_eq "$out" 'web.pod: [container app] memory: "12Q" is not a size (e.g. 64M, 1.5G, 512Ki)'
printf '[pod]\nreplicas = 2\n' >empty.pod
expect_status 1 berth validate empty.pod
assert_eq "$out" 'empty.pod: no [container NAME] section'
