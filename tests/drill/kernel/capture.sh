#!/usr/bin/env bash
# Capture the real kernel making the socket calls of our packetdrill scripts (tests/drill/*.pkt), for
# the comparison in crates/twlab-drill/tests/kernel.rs. Root only, never run by CI: a private network
# namespace per script with only its loopback, nftables to drop what the script says was lost, tshark
# on lo. Writes tests/drill/kernel/<script>.pcap.
# Usage: sudo tests/drill/kernel/capture.sh [script...]   (default: every script peers.py knows)
# Needs: ip, nft, tshark, python3 (apt-get install iproute2 nftables tshark).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib/netns.sh"
all=(last-ack-lost-active last-ack-lost-passive half-close data-after-close close-in-syn-sent syn-in-time-wait passive-close)
scripts=("${@:-${all[@]}}")
[ "$(id -u)" = 0 ] || { echo "capture.sh: run as root (it makes network namespaces)" >&2; exit 1; }
for tool in ip nft tshark python3; do
    command -v "$tool" >/dev/null || { echo "capture.sh: $tool is missing" >&2; exit 1; }
done

ns="twlab-drill-$$"
work=$(mktemp -d)
cleanup() {
    netns_down "$ns"
    rm -rf "$work"
}
trap cleanup EXIT

for name in "${scripts[@]}"; do
    echo "== $name"
    # As twlab's linux profile without the defaults script: no timestamps, SACK or window scaling.
    netns_up "$ns" net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0
    capture_start "$ns" "$work/$name.pcap" -i lo -f "tcp port 8080"
    ip netns exec "$ns" python3 "$here/peers.py" "$name"
    capture_stop
    cp "$work/$name.pcap" "$here/$name.pcap"
    netns_down "$ns"
    tshark -r "$here/$name.pcap" | cut -c1-120
done
