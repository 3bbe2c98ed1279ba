#!/usr/bin/env python3
# Driver of bench/supervisor (runs inside the bench's own namespaces).
import json, os, signal, statistics, subprocess, sys, time

BERTH, ROOTFS, T = os.environ["BERTH"], os.environ["ROOTFS"], os.environ["T"]
IDLE_S = float(os.environ["IDLE_S"])
RESTARTS = int(os.environ["RESTARTS"])
PROBE_S = float(os.environ["PROBE_S"])
ENV = dict(os.environ, BERTH_ROOT=f"{T}/root", BERTH_RUN_DIR=f"{T}/run")
PODS = f"{T}/pods"
HZ = os.sysconf("SC_CLK_TCK")
subprocess.run(["ip", "link", "set", "lo", "up"], check=False)
# the run dir is a tmpfs, as /run is on a board (private mount namespace)
os.makedirs(f"{T}/run", exist_ok=True)
subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", f"{T}/run"], check=True)
os.makedirs(PODS, exist_ok=True)
os.makedirs(f"{T}/img/www", exist_ok=True)
subprocess.run(["cp", "-a", ROOTFS + "/.", f"{T}/img/"], check=True)
open(f"{T}/img/www/index.html", "w").write("ok\n")


def berth(*args):
    return subprocess.run([BERTH, *args], env=ENV, capture_output=True, text=True)


def pss_kib(pid):
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def cpu_ticks(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])  # utime + stime


def write_bytes(pid):
    for line in open(f"/proc/{pid}/io"):
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def children_named(name, nested=False):
    """Processes called NAME; NESTED: only those in a nested pid namespace
    (a container's init forked from its shim keeps the shim's name)."""
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if open(f"/proc/{p}/comm").read().strip() != name:
                    continue
                nspid = [l for l in open(f"/proc/{p}/status") if l.startswith("NSpid:")][0]
                if (len(nspid.split()) > 2) == nested:
                    out.append(int(p))
            except (OSError, IndexError):
                pass
    return out


def write_pod(name, text):
    tmp = f"{PODS}/.{name}.tmp"
    open(tmp, "w").write(text)
    os.rename(tmp, f"{PODS}/{name}.pod")


def sleeper(name):
    write_pod(name, f"[pod]\nnetwork = none\nstop-grace = 1s\n[container app]\nimage = {T}/img\n"
                    "command = sleep 100000\n")


def pods():
    r = berth("get", "pods", "-o", "json")
    return json.loads(r.stdout)["pods"] if r.returncode == 0 else []


def wait_ready(n, timeout=120):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ps = pods()
        if len(ps) == n and all(p["ready"] == p["desired"] for p in ps):
            return
        time.sleep(0.05)
    sys.exit(f"bench: {n} pods not ready in {timeout}s")


def start_daemon():
    d = subprocess.Popen([BERTH, "daemon", "--foreground", "--pods-dir", PODS], env=ENV,
                         stdout=subprocess.DEVNULL, stderr=open(f"{T}/daemon.log", "a"))
    while not os.path.exists(f"{T}/run/berthd.sock"):
        time.sleep(0.01)
    return d


def stop_daemon(d):
    d.send_signal(signal.SIGTERM)
    d.wait(60)


def med(v):
    return statistics.median(v) if v else float("nan")


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


# --- anchor: one container start with berth run -------------------------------
runs = []
for _ in range(20):
    t0 = time.monotonic()
    berth("run", "--rm", "--rootfs", f"{T}/img:O", "true")
    runs.append((time.monotonic() - t0) * 1000)
anchor = med(runs)
print(f"anchor: berth run --rm true (overlay rootfs): median {anchor:.1f} ms over {len(runs)} runs")

# --- memory at 0, 10, 50 pods ---------------------------------------------------
d = start_daemon()
time.sleep(0.3)
mem = {0: pss_kib(d.pid)}
for n in (10, 50):
    for i in range(len(pods()), n):
        sleeper(f"p{i}")
    wait_ready(n)
    time.sleep(0.5)
    mem[n] = pss_kib(d.pid)
shims = children_named("berth-shim")
inits = children_named("berth-shim", nested=True)
holders = children_named("berth-pod")
shim_pss = med([pss_kib(p) for p in shims])
init_pss = med([pss_kib(p) for p in inits])
holder_pss = med([pss_kib(p) for p in holders])
for n in (0, 10, 50):
    print(f"daemon PSS with {n:2d} pods: {mem[n]:6d} KiB ({mem[n] / 1024:.2f} MiB; target <= 2 MiB at 10)")
print(f"per container: shim PSS median {shim_pss:.0f} KiB ({len(shims)} shims), "
      f"container init (pid 1, init = true) {init_pss:.0f} KiB ({len(inits)}); "
      f"per replica: sandbox holder PSS median {holder_pss:.0f} KiB ({len(holders)} holders)")
libs = sum(1 for l in open(f"/proc/{d.pid}/maps") if ".so" in l and "r-xp" in l)
print(f"daemon maps {libs} shared libraries (the whole multi-call binary's; see O=build/rpi)")

# --- idle: CPU and bytes written --------------------------------------------------
c0, w0 = cpu_ticks(d.pid), write_bytes(d.pid)
time.sleep(IDLE_S)
c1, w1 = cpu_ticks(d.pid), write_bytes(d.pid)
print(f"idle {IDLE_S:.0f} s with 50 pods: daemon CPU {(c1 - c0) * 1000 / HZ:.0f} ms "
      f"({(c1 - c0) / HZ / IDLE_S * 100:.3f}%), bytes written {w1 - w0} (targets ~0 and 0)")
stop_daemon(d)
for f in os.listdir(PODS):
    os.unlink(f"{PODS}/{f}")

# --- crash-to-restart latency -------------------------------------------------------
write_pod("crash", f"[pod]\nnetwork = none\nbackoff-reset = 1ms\nstop-grace = 1s\n"
                   f"[container app]\nimage = {T}/img\ncommand = sleep 100000\n")
d = start_daemon()
wait_ready(1)
state = f"{T}/run/supervisor/replicas/crash-0"


def state_pid():
    try:
        for line in open(state):
            if line.startswith("ctr "):
                return int(line.split()[4])
    except (OSError, ValueError, IndexError):
        return 0
    return 0


lat = []
for _ in range(RESTARTS):
    old = state_pid()
    while old <= 0:
        time.sleep(0.001)
        old = state_pid()
    t0 = time.monotonic()
    os.kill(old, signal.SIGKILL)
    while True:
        p = state_pid()
        if p > 0 and p != old and os.path.exists(f"/proc/{p}"):
            break
    lat.append((time.monotonic() - t0) * 1000)
    time.sleep(0.02)
p50, p99 = med(lat), pct(lat, 99)
print(f"crash-to-restart ({len(lat)} SIGKILLs, immediate restart): p50 {p50:.1f} ms, "
      f"p99 {p99:.1f} ms (target p50 <= 20 ms); ratio p50/anchor {p50 / anchor:.2f}, "
      f"overhead over one start {p50 - anchor:.1f} ms")
stop_daemon(d)
os.unlink(f"{PODS}/crash.pod")

# --- 100 http probes at 1 s ---------------------------------------------------------
for i in range(50):
    write_pod(f"w{i}", f"[pod]\nnetwork = none\nstop-grace = 1s\n[container app]\nimage = {T}/img\n"
                       "command = httpd -f -p 80 -h /www\n"
                       "[probe app liveness]\nhttp = 80\nperiod = 1s\n"
                       "[probe app readiness]\nhttp = 80\npath = /index.html\nperiod = 1s\n")
d = start_daemon()
wait_ready(50)
time.sleep(1)
c0 = cpu_ticks(d.pid)
time.sleep(PROBE_S)
c1 = cpu_ticks(d.pid)
cpu_ms = (c1 - c0) * 1000 / HZ
print(f"100 http probes at 1 s for {PROBE_S:.0f} s: daemon CPU {cpu_ms:.0f} ms "
      f"({cpu_ms / PROBE_S / 10:.2f}% of one CPU, {cpu_ms * 1000 / (100 * PROBE_S):.0f} us per check)")
stop_daemon(d)
