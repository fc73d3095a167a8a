#!/usr/bin/env bash
# Re-make sack.pcapng: a server on 127.0.0.1:8001 sends 12,000 bytes in segments of at most 1,448
# (lo's MTU set to 1500) and closes; nftables drops its third full-sized segment once on input (the
# capture on lo still sees it leave), so the client
# acknowledges what follows with SACK blocks (RFC 2018 §3) and the server resends the hole. The
# kernel's defaults otherwise (timestamps, SACK, window scaling on). Captured by tshark on lo.
# Root only, never run by CI: it works in a private network namespace with only its loopback.
# Usage: sudo crates/twlab-capture/tests/captures/sack.sh   (needs ip, ethtool, nft, tshark, python3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "sack.sh: run as root (it makes a network namespace)" >&2; exit 1; }
ns="twlab-sack-$$"
work=$(mktemp -d)
cleanup() {
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns delete "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo mtu 1500 up
in_ns() { ip netns exec "$ns" "$@"; }
# Segments as they go on the wire: no segmentation offload, which would hand the capture 12 KB at once.
in_ns ethtool -K lo tso off gso off
in_ns nft -f - <<'NFT'
table inet lossy {
    chain in {
        type filter hook input priority 0;
        tcp sport 8001 meta length > 1400 numgen inc mod 1000 == 2 counter drop
    }
}
NFT
in_ns tshark -q -i lo -f "tcp port 8001" -w "$work/capture.pcapng" 2>"$work/tshark.err" &
tshark_pid=$!
for _ in $(seq 100); do grep -q Capturing "$work/tshark.err" && break; sleep 0.1; done
in_ns python3 - <<'PY'
import socket, threading
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 8001))
server.listen()
def serve():
    conn, _ = server.accept()
    conn.recv(100)
    conn.sendall(b"x" * 12000)
    conn.close()
threading.Thread(target=serve).start()
c = socket.socket()
c.bind(("127.0.0.1", 40005))
c.connect(("127.0.0.1", 8001))
c.sendall(b"GET /\r\n")
got = 0
while True:
    data = c.recv(65536)
    if not data:
        break
    got += len(data)
c.close()
assert got == 12000, got
PY
sleep 0.5
kill "$tshark_pid"
wait "$tshark_pid" || true
in_ns nft list table inet lossy | grep -q "packets 1 " || { echo "sack.sh: no segment was dropped" >&2; exit 1; }
cp "$work/capture.pcapng" "$here/sack.pcapng"
tshark -r "$here/sack.pcapng" -T fields -e frame.number -e tcp.srcport -e tcp.flags.str -e tcp.seq -e tcp.ack -e tcp.len -e tcp.options.sack_le -e tcp.options.sack_re
