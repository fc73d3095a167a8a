#!/usr/bin/env bash
# Re-make http-streams.pcapng: five short HTTP/1.0 requests to python3 -m http.server on loopback, with
# the kernel's defaults (timestamps, SACK, window scaling on), captured by tshark on lo. Four over IPv6
# (::1, client ports 40001, 40002, 40003, then 40001 again while the server still holds the first
# connection in TIME-WAIT: a reused socket pair, a new tcp.stream) and one over IPv4 (127.0.0.1:40004).
# Root only, never run by CI: it works in a private network namespace with only its loopback.
# Usage: sudo crates/twlab-capture/tests/captures/http-streams.sh   (needs ip, tshark, python3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "http-streams.sh: run as root (it makes a network namespace)" >&2; exit 1; }
ns="twlab-streams-$$"
work=$(mktemp -d)
cleanup() {
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns delete "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
in_ns() { ip netns exec "$ns" "$@"; }

mkdir "$work/www"
printf 'hi\n' >"$work/www/hi.txt"
in_ns tshark -q -i lo -f "tcp port 8000" -w "$work/capture.pcapng" 2>"$work/tshark.err" &
tshark_pid=$!
for _ in $(seq 100); do grep -q Capturing "$work/tshark.err" && break; sleep 0.1; done
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
sleep 0.5
kill "$tshark_pid"
wait "$tshark_pid" || true
cp "$work/capture.pcapng" "$here/http-streams.pcapng"
tshark -r "$here/http-streams.pcapng" -T fields -e tcp.stream -e ipv6.src -e ip.src -e tcp.srcport -e tcp.dstport -e tcp.flags.str
