#!/usr/bin/env bash
# Capture the real Linux kernel playing twlab's presets, and write the fixtures in tests/linux/fixtures/.
# Root only, never run by CI: it makes a private network namespace per scenario, with only its loopback,
# nftables to drop the chosen segment, tshark on lo. No delay is added: the kernel this was written on has
# no sch_netem, so a segment crosses lo in microseconds (the fixture test runs the sim with such a delay).
# Usage: sudo tests/linux/capture.sh [scenario...]   (default: all)
# Needs: ip, nft, ss, tshark, python3, chrt (apt-get install iproute2 nftables tshark util-linux).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out="$here/fixtures"
. "$here/../lib/netns.sh"
all=(normal-close normal-close-no-time-wait last-ack-lost last-ack-lost-no-time-wait half-close data-lost data-after-close syn-in-time-wait
     last-ack-lost-defaults client-reuses-time-wait client-reuses-time-wait-no-timestamps address-in-use address-in-use-reuse-addr
     syn-linear-timeouts tw-reuse tw-reuse-off syn-in-time-wait-old-isn syn-in-time-wait-timestamps
     old-duplicate-timestamps old-duplicate-no-timestamps)
scenarios=("${@:-${all[@]}}")
[ "$(id -u)" = 0 ] || { echo "capture.sh: run as root (it makes network namespaces)" >&2; exit 1; }
for tool in ip nft ss tshark python3 chrt; do
    command -v "$tool" >/dev/null || { echo "capture.sh: $tool is missing" >&2; exit 1; }
done

ns="twlab-capture-$$"
work=$(mktemp -d)
cleanup() {
    netns_down "$ns"
    rm -rf "$work"
}
trap cleanup EXIT

# Options off so that segments carry what the sim models (no SACK blocks, no timestamps, no window
# scaling); everything else is the kernel's default.
sysctls=(net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0)

for name in "${scenarios[@]}"; do
    echo "== $name"
    these=("${sysctls[@]}")
    case "$name" in *-no-time-wait) these+=(net.ipv4.tcp_max_tw_buckets=0) ;; esac
    # The later fixtures keep the kernel's defaults (timestamps, SACK and window scaling on).
    case "$name" in
        last-ack-lost-defaults | client-reuses-time-wait | address-in-use* | syn-linear-timeouts) these=() ;;
        client-reuses-time-wait-no-timestamps) these=(net.ipv4.tcp_timestamps=0) ;;
        # Two ephemeral ports, so that the third connect meets both TIME-WAITs.
        tw-reuse) these=(net.ipv4.tcp_tw_reuse=1 "net.ipv4.ip_local_port_range=40000 40001") ;;
        tw-reuse-off) these=(net.ipv4.tcp_tw_reuse=0 "net.ipv4.ip_local_port_range=40000 40001") ;;
        syn-in-time-wait-timestamps | old-duplicate-timestamps) these=() ;;
        syn-in-time-wait-old-isn) these=(net.ipv4.tcp_timestamps=0) ;;
        # No TIME-WAIT bucket, so that the client may connect again from its port at once.
        old-duplicate-no-timestamps) these=(net.ipv4.tcp_timestamps=0 net.ipv4.tcp_max_tw_buckets=0) ;;
    esac
    netns_up "$ns" "${these[@]}"
    dir="$work/$name"
    mkdir -p "$dir"
    capture_start "$ns" "$dir/capture.pcap" -i lo -f "tcp port 80"
    # Real-time priority, so that the applications' sleeps end on time on a busy machine.
    ip netns exec "$ns" chrt -f 50 python3 "$here/driver.py" run "$name" "$dir"
    capture_stop
    tshark -r "$dir/capture.pcap" -T fields -E separator=/t \
        -e frame.time_epoch -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.ack_raw -e tcp.flags -e tcp.len \
        >"$dir/segments.tsv"
    header="# twlab kernel reference: $name
# kernel: $(uname -r)
# sysctl: ${these[*]:-none (the kernel defaults)}
# delay: none added (no sch_netem in this kernel): a segment crosses lo in microseconds
# times: ms since the client's SYN was seen on lo (lo's capture sees a segment as it is sent)
# isn <connection> client <ISN> server <ISN>: the absolute numbers, one line per connection on the pair
# segment <ms> <sender> <flags> <seq rel. to sender's ISN> <ack rel. to peer's ISN> <payload length> [lost] [conn=<n>]
# state <ms> <side> <state from ss -tano, first poll that saw it> [ss timer]; CLOSED: the socket is gone
# error <ms> <side> <call> <errno>: a socket call that failed
"
    python3 "$here/driver.py" normalise "$name" "$dir" "$out/$name.txt" <<<"$header"
    cp "$dir/capture.pcap" "$out/$name.pcap"
    netns_down "$ns"
    cat "$out/$name.txt"
done
