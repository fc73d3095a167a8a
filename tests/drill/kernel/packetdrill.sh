#!/usr/bin/env bash
# Run our scripts with Google's packetdrill against the real kernel, each in a private network namespace
# (packetdrill's tun device, nothing leaves the namespace), and keep what it saw as
# tests/drill/kernel/<script>.pcap for crates/twlab-drill/tests/kernel.rs. Root only, never run by CI.
# packetdrill is not part of twlab: point PACKETDRILL at a binary you have.
# Usage: sudo PACKETDRILL=/path/to/packetdrill tests/drill/kernel/packetdrill.sh script.pkt...
# Needs: ip, tshark, python3. The defaults script of packetdrill's suites (`../common/defaults.sh` in a script)
# is taken from DEFAULTS (the suite's gtests/net/common/defaults.sh), when a script runs it.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/netns.sh"
[ "$(id -u)" = 0 ] || { echo "packetdrill.sh: run as root (it makes network namespaces)" >&2; exit 1; }
[ -x "${PACKETDRILL:-}" ] || { echo "packetdrill.sh: set PACKETDRILL to a packetdrill binary" >&2; exit 1; }

work=$(mktemp -d)
ns="twlab-pd-$$"
trap 'netns_down "$ns"; rm -rf "$work"' EXIT
mkdir -p "$work/common" "$work/s"
[ -n "${DEFAULTS:-}" ] && cp "$DEFAULTS" "$work/common/defaults.sh"

# One run of packetdrill on $1 with tshark on every interface; the capture in $work/<name>.pcap.
run_once() {
    local script=$1 name
    name=$(basename "$script" .pkt)
    # As twlab's linux profile: no timestamps, SACK or window scaling unless the script turns them on.
    netns_up "$ns" net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0
    cp "$script" "$work/s/"
    capture_start "$ns" "$work/$name.pcap" -i any -y LINUX_SLL -F pcap -f "tcp port 8080"
    (cd "$work/s" && ip netns exec "$ns" "$PACKETDRILL" "$name.pkt"); echo "packetdrill exit $?"
    capture_stop
    netns_down "$ns"
}

for script in "$@"; do
    name=$(basename "$script" .pkt)
    echo "== $name"
    # tshark on "any" sometimes starts on packetdrill's new tun device after the first SYN: run again.
    for _ in 1 2 3 4 5; do
        run_once "$script"
        tshark -r "$work/$name.pcap" 2>/dev/null | head -1 | grep -q "\\[SYN\\]" && break
    done
    # packetdrill's tun device has no link header: keep the IP packets only (link type RAW), which
    # twlab's capture import and every tool read.
    python3 - "$work/$name.pcap" "$here/$name.pcap" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
magic, major, minor, zone, sigfigs, snaplen, _ = struct.unpack("<IHHiIII", data[:24])
out = [struct.pack("<IHHiIII", magic, major, minor, zone, sigfigs, snaplen, 101)]
at = 24
while at < len(data):
    sec, usec, incl, orig = struct.unpack("<IIII", data[at:at + 16])
    packet = data[at + 16:at + 16 + incl][16:]
    out.append(struct.pack("<IIII", sec, usec, len(packet), orig - 16) + packet)
    at += 16 + incl
open(sys.argv[2], "wb").write(b"".join(out))
PY
done
