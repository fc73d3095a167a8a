# Sourced by the scripts that capture the real kernel (tests/linux/capture.sh, tests/drill/kernel/
# capture.sh and packetdrill.sh): a private network namespace with only its loopback, and tshark in it.
# Root only, never run by CI.

# netns_up NS [SYSCTL=VALUE...]: a fresh namespace NS, its lo up, the settings made.
netns_up() {
    local ns=$1
    shift
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    local s
    for s in "$@"; do ip netns exec "$ns" sysctl -qw "$s"; done
}

# netns_down NS: every process in NS ended, NS deleted (nothing if it is gone already).
netns_down() {
    ip netns pids "$1" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns delete "$1" 2>/dev/null || true
}

# capture_start NS FILE TSHARK_ARGS...: tshark in NS writing FILE, returning once it listens (it says
# "Capturing on"); its pid in CAPTURE_PID.
capture_start() {
    local ns=$1 file=$2
    shift 2
    ip netns exec "$ns" tshark -q "$@" -w "$file" 2>"$file.err" &
    CAPTURE_PID=$!
    for _ in $(seq 100); do grep -q Capturing "$file.err" && break; sleep 0.1; done
}

# capture_stop: half a second for the last segments, then tshark ended.
capture_stop() {
    sleep 0.5
    kill "$CAPTURE_PID"
    wait "$CAPTURE_PID" || true
}
