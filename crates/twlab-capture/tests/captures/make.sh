#!/usr/bin/env bash
# Re-make the kernel captures in this folder, each on loopback in a private network namespace, with the
# kernel's defaults (timestamps, SACK, window scaling on), captured by tshark on lo:
# - http-streams.pcapng: five HTTP/1.0 requests to python3 -m http.server, four over IPv6 (::1, client
#   ports 40001, 40002, 40003, then 40001 again while the server still holds the first connection in
#   TIME-WAIT: a reused socket pair, a new tcp.stream) and one over IPv4 (127.0.0.1:40004);
# - sack.pcapng: a server on 127.0.0.1:8001 sends 12,000 bytes in segments of at most 1,448 (lo's MTU
#   set to 1500, no segmentation offload) and closes; nftables drops its third full-sized segment once
#   on input (the capture still sees it leave), so the client reports what follows the hole in SACK
#   blocks (RFC 2018 §3) and the server resends it.
# Root only, never run by CI. Needs ip, ethtool, nft, tshark, python3.
# Usage: sudo crates/twlab-capture/tests/captures/make.sh [http-streams|sack]...   (default: both)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../../../tests/lib/netns.sh"
[ "$(id -u)" = 0 ] || { echo "make.sh: run as root (it makes network namespaces)" >&2; exit 1; }
ns="twlab-fixture-$$"
work=$(mktemp -d)
trap 'netns_down "$ns"; rm -rf "$work"' EXIT
in_ns() { ip netns exec "$ns" "$@"; }

# capture NAME PORT: start tshark on lo in a fresh namespace, for TCP port PORT.
capture() {
    netns_up "$ns"
    out="$work/$1.pcapng"
    capture_start "$ns" "$out" -i lo -f "tcp port $2"
}

# finish NAME: stop tshark, keep the file, list it as tshark reads it, and drop the namespace.
finish() {
    capture_stop
    cp "$out" "$here/$1.pcapng"
    tshark -r "$here/$1.pcapng" -T fields -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport \
        -e tcp.flags.str -e tcp.seq -e tcp.ack -e tcp.len -e tcp.options.sack_le -e tcp.options.sack_re
    netns_down "$ns"
}

http_streams() {
    capture http-streams 8000
    mkdir "$work/www"
    printf 'hi\n' >"$work/www/hi.txt"
    # Dual-stack: bound to ::, it answers ::1 and 127.0.0.1 alike.
    in_ns python3 -m http.server 8000 --bind :: --directory "$work/www" >/dev/null 2>&1 &
    for _ in $(seq 100); do in_ns ss -Htln 'sport = :8000' | grep -q . && break; sleep 0.1; done
    in_ns python3 - <<'PY'
import socket, time
for host, port in [("::1", 40001), ("::1", 40002), ("::1", 40003), ("127.0.0.1", 40004), ("::1", 40001)]:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.connect((host, 8000))
    s.sendall(b"GET /hi.txt HTTP/1.0\r\n\r\n")
    while s.recv(4096):
        pass
    s.close()
    time.sleep(0.1)
PY
    finish http-streams
}

sack() {
    capture sack 8001
    ip -n "$ns" link set lo mtu 1500
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
    dropped=$(in_ns nft list table inet lossy)
    [[ $dropped == *"packets 1 "* ]] || { echo "make.sh: no segment was dropped" >&2; exit 1; }
    finish sack
}

for name in "${@:-http-streams sack}"; do
    for one in $name; do
        case "$one" in
            http-streams) http_streams ;;
            sack) sack ;;
            *) echo "make.sh: no fixture $one (http-streams, sack)" >&2; exit 1 ;;
        esac
    done
done
