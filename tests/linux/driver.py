#!/usr/bin/env python3
"""Drive the real Linux TCP stack through one twlab preset, inside the network namespace capture.sh made.

`driver.py run SCENARIO OUT_DIR` plays both applications' scripts (the same steps, waits and ports as the
preset in crates/twlab-core/src/presets.rs), drops the chosen segment with nftables, and polls `ss -tano` to
log every socket state it sees, into OUT_DIR/ss.log. `driver.py normalise SCENARIO OUT_DIR FIXTURE` turns
tshark's dump of the capture plus that log into the committed text fixture (its header says the format).
"""

import errno
import json
import socket
import subprocess
import sys
import threading
import time

CLIENT_PORT = 40000
SERVER_PORT = 80
ADDR = "127.0.0.1"
# ss is polled this often while the connection is busy, then more slowly through TIME-WAIT.
POLL_BUSY = 0.005
POLL_IDLE = 0.2


def nft(*args):
    subprocess.run(["nft", *args], check=True)


def drop_rule(match):
    """Drop, on input, the segments matching `match`; the capture on lo still sees them leave."""
    nft("add", "rule", "inet", "twlab", "in", *match.split(), "counter", "drop")


def dropped_and_clear():
    out = subprocess.run(["nft", "list", "chain", "inet", "twlab", "in"], capture_output=True, text=True, check=True).stdout
    packets = sum(int(w.split()[0]) for w in out.split("packets ")[1:])
    nft("flush", "chain", "inet", "twlab", "in")
    return packets


class SsPoller(threading.Thread):
    """Logs each change of a side's socket state as seen by `ss -tano` (TIME-WAIT with its timer)."""

    def __init__(self, log_path):
        super().__init__(daemon=True)
        self.log = open(log_path, "w")
        self.busy = True
        self.stop = False
        self.last = {"client": None, "server": None}

    def run(self):
        while not self.stop:
            self.poll()
            time.sleep(POLL_BUSY if self.busy else POLL_IDLE)
        self.poll()

    def poll(self):
        out = subprocess.run(["ss", "-tanoH"], capture_output=True, text=True).stdout
        # When ss returns, what it printed was already so (it may have been so up to one poll earlier).
        now = time.time()
        seen = {}
        for line in out.splitlines():
            f = line.split()
            if len(f) < 5:
                continue
            state, local, peer = f[0], f[3], f[4]
            timer = next((w for w in f[5:] if w.startswith("timer:")), "")
            lport, pport = local.rsplit(":", 1)[1], peer.rsplit(":", 1)[1]
            if lport == str(CLIENT_PORT) and pport == str(SERVER_PORT):
                seen["client"] = (state, timer)
            elif lport == str(SERVER_PORT) and pport == str(CLIENT_PORT):
                seen["server"] = (state, timer)
        for side in ("client", "server"):
            state = seen.get(side, ("CLOSED", ""))
            if self.last[side] is None and state[0] == "CLOSED":
                continue
            if self.last[side] is None or self.last[side][0] != state[0]:
                self.log.write(json.dumps({"t": now, "side": side, "state": state[0], "timer": state[1]}) + "\n")
                self.log.flush()
            self.last[side] = state

    def gone(self):
        return all(s is not None and s[0] == "CLOSED" for s in self.last.values())


def recv_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def recv_to_eof(sock):
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk


def listener(reuse_addr=True):
    s = socket.socket()
    if reuse_addr:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ADDR, SERVER_PORT))
    s.listen(1)
    return s


def client_socket(port=CLIENT_PORT, reuse_addr=False):
    c = socket.socket()
    if reuse_addr:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((ADDR, port))
    return c


# Where `run` writes its logs (the old-duplicate scenarios record their injected segment there).
OUT_DIR = None

# Failed calls, as (time, side, call, errno name), for the fixture's `error` lines.
ERRORS = []


def failed(side, call, err):
    ERRORS.append((time.time(), side, call, errno.errorcode[err.errno]))


# --- the presets' scripts -------------------------------------------------------------------------------

def request_reply(drop_last_ack=False, drop_data=False, shutdown_first=False):
    """presets::request_reply: GET / and 200 OK, the client closes 100 ms after the reply, the server
    100 ms after the client's FIN. `shutdown_first`: the client shuts down its write half instead and
    closes once it has read the server's FIN (see the warning about tcp_max_tw_buckets=0)."""
    srv = listener()
    dropped = {}

    def server():
        conn, _ = srv.accept()
        recv_exactly(conn, 5)
        conn.sendall(b"200 OK")
        recv_to_eof(conn)
        if drop_last_ack:
            # The client has sent its FIN: its next pure ACK is the one acknowledging ours. Drop it, once
            # (the rule goes in now, so that nft's start-up time does not delay our FIN).
            drop_rule(f"tcp sport {CLIENT_PORT} tcp flags == ack")
        time.sleep(0.1)
        conn.close()
        if drop_last_ack:
            time.sleep(0.1)  # the ACK comes at once; the FIN's retransmission after RTO >= 200 ms
            dropped["n"] = dropped_and_clear()

    t = threading.Thread(target=server)
    t.start()
    c = client_socket()
    c.connect((ADDR, SERVER_PORT))
    if drop_data:
        drop_rule(f"tcp sport {CLIENT_PORT} ip length > 40")
    c.sendall(b"GET /")
    if drop_data:
        time.sleep(0.1)  # dropped at once; its retransmission leaves after RTO >= 200 ms
        dropped["n"] = dropped_and_clear()
    recv_exactly(c, 6)
    time.sleep(0.1)
    if shutdown_first:
        c.shutdown(socket.SHUT_WR)
        recv_to_eof(c)
    c.close()
    t.join()
    srv.close()
    return dropped.get("n", 0)


def half_close():
    """presets::half_close."""
    srv = listener()

    def server():
        conn, _ = srv.accept()
        recv_to_eof(conn)
        conn.sendall(b"part 1")
        time.sleep(0.1)
        conn.sendall(b"part 2")
        time.sleep(0.1)
        conn.close()

    t = threading.Thread(target=server)
    t.start()
    c = client_socket()
    c.connect((ADDR, SERVER_PORT))
    c.sendall(b"GET /")
    time.sleep(0.1)
    c.shutdown(socket.SHUT_WR)
    recv_to_eof(c)
    c.close()
    t.join()
    srv.close()
    return 0


def data_after_close():
    """The client closes 50 ms after its request; the reply comes 100 ms after the request, to a socket
    nobody can read any more (the same script is built in crates/twlab-core/tests/linux_fixtures.rs)."""
    srv = listener()

    def server():
        conn, _ = srv.accept()
        recv_exactly(conn, 5)
        time.sleep(0.1)
        conn.sendall(b"200 OK")
        conn.close()

    t = threading.Thread(target=server)
    t.start()
    c = client_socket()
    c.connect((ADDR, SERVER_PORT))
    c.sendall(b"GET /")
    time.sleep(0.05)
    c.close()
    t.join()
    srv.close()
    return 0


def syn_in_time_wait():
    """presets::syn_in_time_wait: the server closes first and holds TIME-WAIT; 800 ms after the start the
    client connects again from the same port."""
    start = time.time()
    srv = listener()

    def server():
        for _ in range(2):
            conn, _ = srv.accept()
            conn.recv(100)  # the whole request: closing with unread bytes would send RST
            conn.sendall(b"200 OK")
            time.sleep(0.1)
            conn.close()

    t = threading.Thread(target=server)
    t.start()
    for request, at in ((b"GET /", 0), (b"GET /again", 0.8)):
        time.sleep(max(0, start + at - time.time()))
        c = client_socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.connect((ADDR, SERVER_PORT))
        c.sendall(request)
        recv_to_eof(c)
        c.close()
    t.join()
    srv.close()
    return 0


def syn_linear_timeouts():
    """presets::normal_close with the client's first six SYNs dropped: tcp_syn_linear_timeouts (4) keeps
    the first retransmissions 1 s apart, then the timeout doubles; the seventh SYN, at 7 s, gets in."""
    drop_rule(f"tcp sport {CLIENT_PORT} tcp flags == syn")
    dropped = {}

    def clear():
        time.sleep(6.5)
        dropped["n"] = dropped_and_clear()

    t = threading.Thread(target=clear)
    t.start()
    request_reply()
    t.join()
    return dropped["n"]


def client_reuses_time_wait():
    """presets::client_reuses_time_wait: the client binds port 40000 with SO_REUSEADDR, closes 100 ms
    after the reply (the active closer: TIME-WAIT), and 300 ms later binds the same port again and
    connects to the same server. With timestamps the kernel hands over the pair (tcp_twsk_unique);
    without, connect() fails with EADDRNOTAVAIL."""
    srv = listener()

    def server():
        for _ in range(2):
            try:
                srv.settimeout(3)
                conn, _ = srv.accept()
            except socket.timeout:
                return
            conn.recv(100)
            conn.sendall(b"200 OK")
            recv_to_eof(conn)
            time.sleep(0.1)
            conn.close()

    t = threading.Thread(target=server)
    t.start()
    for request in (b"GET /", b"GET /again"):
        c = client_socket(reuse_addr=True)
        try:
            c.connect((ADDR, SERVER_PORT))
        except OSError as e:
            failed("client", "connect", e)
            c.close()
            break
        c.sendall(request)
        recv_exactly(c, 6)
        time.sleep(0.1)
        c.close()
        time.sleep(0.3)
    t.join()
    srv.close()
    return 0


def address_in_use(reuse_addr):
    """presets::address_in_use (and _reuse_addr): the server closes first (TIME-WAIT on its side), stops
    listening 100 ms later and 200 ms after that binds port 80 again; 800 ms after the start a client
    connects from port 40001."""
    start = time.time()
    srv = listener(reuse_addr)

    def server():
        conn, _ = srv.accept()
        conn.recv(100)
        conn.sendall(b"200 OK")
        time.sleep(0.1)
        conn.close()
        time.sleep(0.1)
        srv.close()
        time.sleep(0.2)
        try:
            again = listener(reuse_addr)
        except OSError as e:
            failed("server", "bind", e)
            return
        conn, _ = again.accept()
        conn.recv(100)
        conn.sendall(b"200 OK")
        time.sleep(0.1)
        conn.close()
        again.close()

    t = threading.Thread(target=server)
    t.start()
    c = client_socket()
    c.connect((ADDR, SERVER_PORT))
    c.sendall(b"GET /")
    recv_to_eof(c)
    c.close()
    time.sleep(max(0, start + 0.8 - time.time()))
    c = client_socket(CLIENT_PORT + 1)
    try:
        c.connect((ADDR, SERVER_PORT))
        c.sendall(b"GET /again")
        recv_to_eof(c)
    except OSError as e:
        failed("client", "connect", e)
    c.close()
    t.join()
    return 0


# TCP_REPAIR and friends (linux/tcp.h): set the ISN a socket's connect() will use.
TCP_REPAIR, TCP_REPAIR_QUEUE, TCP_QUEUE_SEQ, TCP_SEND_QUEUE = 19, 20, 21, 2


def client_with_isn(isn, reuse_addr=True):
    """A client socket on CLIENT_PORT whose SYN will carry sequence number `isn` (root only): in repair
    mode TCP_QUEUE_SEQ sets write_seq, which survives leaving it, and tcp_v4_connect picks a clock ISN
    only when write_seq is 0. Leaving repair mode clears SO_REUSEADDR, so it is set afterwards."""
    c = socket.socket()
    c.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 1)
    c.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
    c.setsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ, isn)
    c.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, 0)
    if reuse_addr:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((ADDR, CLIENT_PORT))
    return c


def syn_in_time_wait_old_isn():
    """presets::syn_in_time_wait_old_isn (and _timestamps): as syn_in_time_wait, with the client's ISNs
    set to the preset's, 900000 and then 1000: the second SYN is below the old connection's sequence
    space. Without timestamps the server's TIME-WAIT answers it with an ACK, the client resets that,
    and the RST ends the TIME-WAIT; with timestamps the newer TSval reopens the pair at once."""
    start = time.time()
    srv = listener()

    def server():
        for _ in range(2):
            conn, _ = srv.accept()
            conn.recv(100)
            conn.sendall(b"200 OK")
            time.sleep(0.1)
            conn.close()

    t = threading.Thread(target=server)
    t.start()
    for request, at, isn in ((b"GET /", 0, 900_000), (b"GET /again", 0.8, 1_000)):
        time.sleep(max(0, start + at - time.time()))
        c = client_with_isn(isn)
        c.connect((ADDR, SERVER_PORT))
        c.sendall(request)
        recv_to_eof(c)
        c.close()
    t.join()
    srv.close()
    return 0


class Sniffer(threading.Thread):
    """Keeps the first data segment the client sends (IP header and all), as a raw socket receives it."""

    def __init__(self):
        super().__init__(daemon=True)
        self.raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
        self.packet = None
        self.seen = threading.Event()

    def run(self):
        while self.packet is None:
            p = self.raw.recv(65535)
            ihl = (p[0] & 0x0F) * 4
            sport, dport = int.from_bytes(p[ihl:ihl + 2], "big"), int.from_bytes(p[ihl + 2:ihl + 4], "big")
            payload = len(p) - ihl - (p[ihl + 12] >> 4) * 4
            if sport == CLIENT_PORT and dport == SERVER_PORT and payload > 0:
                self.packet, self.at = p, time.time()
                self.seen.set()


def with_tcp_checksum(packet):
    """`packet` with its TCP checksum computed: on loopback the kernel leaves it partial (offloaded), and
    a replayed copy is checked like any received segment."""
    ihl = (packet[0] & 0x0F) * 4
    tcp = bytearray(packet[ihl:])
    tcp[16:18] = b"\0\0"
    data = packet[12:20] + bytes([0, 6]) + len(tcp).to_bytes(2, "big") + bytes(tcp)
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    tcp[16:18] = (~total & 0xFFFF).to_bytes(2, "big")
    return packet[:ihl] + bytes(tcp)


def replay(packet, at, out_dir):
    """Send `packet` again at time `at` through a raw socket: an old duplicate, byte for byte but for
    the checksum loopback had left undone."""
    time.sleep(max(0, at - time.time()))
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    r.sendto(with_tcp_checksum(packet), (ADDR, 0))
    ihl = (packet[0] & 0x0F) * 4
    seq, ack = (int.from_bytes(packet[ihl + k:ihl + k + 4], "big") for k in (4, 8))
    length = len(packet) - ihl - (packet[ihl + 12] >> 4) * 4
    with open(f"{out_dir}/injected", "w") as f:
        f.write(f"{seq} {ack} {length}\n")


def old_duplicate(out_dir, same_isn):
    """presets::old_duplicate on the kernel: the client sends "I ate the last cookie" and closes 200 ms
    later; 500 ms after the start it connects again from the same port (with timestamps it takes over
    its TIME-WAIT; without, capture.sh sets tcp_max_tw_buckets=0 and `same_isn` gives both connections
    ISN 1000, as the preset's fixed ISNs do). A raw socket replays connection 1's data segment 600 ms
    after it was first sent: the old duplicate."""
    start = time.time()
    srv = listener()
    sniffer = Sniffer()
    sniffer.start()

    def server():
        conn, _ = srv.accept()
        recv_to_eof(conn)
        conn.close()
        conn, _ = srv.accept()
        conn.recv(100)
        time.sleep(0.25)
        conn.sendall(b"ok")
        recv_to_eof(conn)
        conn.close()

    t = threading.Thread(target=server)
    t.start()
    connect = (lambda: client_with_isn(1000)) if same_isn else (lambda: client_socket(reuse_addr=True))
    c = connect()
    c.connect((ADDR, SERVER_PORT))
    c.sendall(b"I ate the last cookie")
    sniffer.seen.wait(1)
    injector = threading.Thread(target=replay, args=(sniffer.packet, sniffer.at + 0.6, out_dir))
    injector.start()
    time.sleep(0.2)
    c.close()
    time.sleep(max(0, start + 0.5 - time.time()))
    c = connect()
    c.connect((ADDR, SERVER_PORT))
    time.sleep(0.3)
    c.sendall(b"hello, this is a brand-new connection")
    recv_exactly(c, 2)
    time.sleep(0.05)
    c.close()
    injector.join()
    t.join()
    srv.close()
    return 0


def tw_reuse():
    """presets::tw_reuse (and tw_reuse_off): three connects without bind, from ip_local_port_range
    40000 40001 (capture.sh sets it); the client closes 100 ms after each reply, connects again 300 ms
    later, then 1 s after that. The kernel picks 40000, then 40001 (40000's TIME-WAIT is younger than
    tcp_tw_reuse_delay), then takes over 40000's TIME-WAIT with tcp_tw_reuse=1, or fails with
    EADDRNOTAVAIL with tcp_tw_reuse=0 (__inet_hash_connect, tcp_twsk_unique)."""
    srv = listener()

    def server():
        srv.settimeout(5)
        for _ in range(3):
            try:
                conn, _ = srv.accept()
            except socket.timeout:
                return
            conn.recv(100)
            conn.sendall(b"200 OK")
            recv_to_eof(conn)
            time.sleep(0.1)
            conn.close()

    t = threading.Thread(target=server)
    t.start()
    for request, wait in ((b"GET /", 0), (b"GET /2", 0.3), (b"GET /3", 1.0)):
        time.sleep(wait)
        c = socket.socket()
        try:
            c.connect((ADDR, SERVER_PORT))
        except OSError as e:
            failed("client", "connect", e)
            c.close()
            break
        c.sendall(request)
        recv_exactly(c, 6)
        time.sleep(0.1)
        c.close()
    t.join()
    srv.close()
    return 0


SCENARIOS = {
    "normal-close": lambda: request_reply(),
    "last-ack-lost": lambda: request_reply(drop_last_ack=True),
    "last-ack-lost-no-time-wait": lambda: request_reply(drop_last_ack=True, shutdown_first=True),
    "normal-close-no-time-wait": lambda: request_reply(),
    "half-close": half_close,
    "data-after-close": data_after_close,
    "syn-in-time-wait": syn_in_time_wait,
    "data-lost": lambda: request_reply(drop_data=True),
    # With the kernel's default sysctls (timestamps, SACK, window scaling on); see capture.sh.
    "last-ack-lost-defaults": lambda: request_reply(drop_last_ack=True),
    "client-reuses-time-wait": client_reuses_time_wait,
    "syn-linear-timeouts": syn_linear_timeouts,
    "client-reuses-time-wait-no-timestamps": client_reuses_time_wait,
    "address-in-use": lambda: address_in_use(False),
    "address-in-use-reuse-addr": lambda: address_in_use(True),
    "tw-reuse": tw_reuse,
    "tw-reuse-off": tw_reuse,
    "syn-in-time-wait-old-isn": syn_in_time_wait_old_isn,
    "syn-in-time-wait-timestamps": syn_in_time_wait_old_isn,
    "old-duplicate-timestamps": lambda: old_duplicate(OUT_DIR, same_isn=False),
    "old-duplicate-no-timestamps": lambda: old_duplicate(OUT_DIR, same_isn=True),
}


def run(name, out_dir):
    global OUT_DIR
    OUT_DIR = out_dir
    nft("add", "table", "inet", "twlab")
    nft("add", "chain", "inet", "twlab", "in", "{ type filter hook input priority 0 ; }")
    poller = SsPoller(f"{out_dir}/ss.log")
    poller.start()
    dropped = SCENARIOS[name]()
    time.sleep(1)
    poller.busy = False
    # Watch TIME-WAIT to its end (60 s on Linux), with a margin for the timer wheel.
    deadline = time.time() + 75
    while not poller.gone() and time.time() < deadline:
        time.sleep(0.2)
    poller.stop = True
    poller.join()
    nft("delete", "table", "inet", "twlab")
    with open(f"{out_dir}/dropped", "w") as f:
        f.write(f"{dropped}\n")
    with open(f"{out_dir}/errors.log", "w") as f:
        for e in ERRORS:
            f.write(json.dumps(e) + "\n")


# --- normalising ------------------------------------------------------------------------------------------

def flags_text(bits):
    """tcpdump's notation as twlab prints it (S, F, R, then . for ACK; PSH is not modelled)."""
    out = ""
    for bit, c in ((0x02, "S"), (0x01, "F"), (0x04, "R"), (0x10, ".")):
        if bits & bit:
            out += c
    return out


def normalise(name, out_dir, fixture, header):
    rows = []
    dports = []
    with open(f"{out_dir}/segments.tsv") as f:
        for line in f:
            t, sport, dport, seq, ack, bits, length = line.split("\t")
            rows.append((float(t), int(sport), int(seq), int(ack), int(bits, 16), int(length)))
            dports.append(int(dport))
    # A client SYN with a new port or sequence number starts a new connection; the server's segments
    # belong to the connection of the client port they go to.
    isns = []
    conn_of = []
    for _, sport, seq, ack, bits, _ in rows:
        # (The same port and ISN again once the server has answered is a new connection too: TCP_REPAIR
        # can give two connections one ISN.)
        if bits & 0x02 and sport != SERVER_PORT and not any(
                i["port"] == sport and i["client"] == seq and "server" not in i for i in isns):
            isns.append({"client": seq, "port": sport})
        if sport == SERVER_PORT:
            # The newest connection on the port; but a segment other than a SYN,ACK belongs to the
            # newest one the server has opened (its TIME-WAIT answering a new SYN is the old one's).
            on_port = [n for n, i in enumerate(isns, 1) if i["port"] == dports[len(conn_of)]]
            opened = [n for n in on_port if "server" in isns[n - 1]]
            conn = max(on_port) if bits & 0x02 or not opened else max(opened)
            if bits & 0x02:
                isns[conn - 1].setdefault("server", seq)
        else:
            conn = max(n for n, i in enumerate(isns, 1) if i["port"] == sport)
        conn_of.append(conn)
    # A segment a raw socket replayed (an old duplicate): its connection is the first, and it is marked.
    injected = None
    try:
        injected = tuple(int(w) for w in open(f"{out_dir}/injected").read().split())
    except FileNotFoundError:
        pass
    seen_once = False
    dup = []
    for i, (_, sport, seq, ack, _, length) in enumerate(rows):
        same = injected == (seq, ack, length) and sport != SERVER_PORT
        is_copy = same and seen_once
        seen_once |= same
        if is_copy:
            conn_of[i] = 1
        dup.append(is_copy)
    t0 = next(r[0] for r in rows if r[4] & 0x02)
    dropped = int(open(f"{out_dir}/dropped").read())
    lost_marked = 0
    server_fin_seen = False
    lines = []
    for (t, sport, seq, ack, bits, length), conn, copy in zip(rows, conn_of, dup):
        isn = isns[conn - 1]
        side = "server" if sport == SERVER_PORT else "client"
        peer = "server" if side == "client" else "client"
        fl = flags_text(bits)
        # A refused SYN's RST has no server ISN: its numbers stay absolute (its seq is 0).
        rel_seq = (seq - isn.get(side, 0)) % 2**32
        rel_ack = (ack - isn.get(peer, 0)) % 2**32 if bits & 0x10 else 0
        # The segment the nft rule dropped (the rule's own predicate, checked against its counter).
        lost = False
        if lost_marked < dropped and side == "client":
            if name.startswith("last-ack-lost") and server_fin_seen and fl == "." and length == 0:
                lost = True
            if name == "data-lost" and length > 0:
                lost = True
            if name == "syn-linear-timeouts" and fl == "S":
                lost = True
        lost_marked += lost
        if side == "server" and bits & 0x01:
            server_fin_seen = True
        lines.append(f"segment {(t - t0) * 1000:10.3f} {side:6} {fl:3} {rel_seq} {rel_ack} {length}"
                     + (" lost" if lost else "") + (" dup" if copy else "")
                     + (f" conn={conn}" if len(isns) > 1 else ""))
    if lost_marked != dropped:
        sys.exit(f"{name}: nft dropped {dropped} segments but {lost_marked} match the rule's predicate")
    states = []
    with open(f"{out_dir}/ss.log") as f:
        for line in f:
            e = json.loads(line)
            timer = f" {e['timer']}" if e["timer"] else ""
            states.append((e["t"], f"state   {(e['t'] - t0) * 1000:10.3f} {e['side']:6} {e['state']}{timer}"))
    errors = []
    with open(f"{out_dir}/errors.log") as f:
        for line in f:
            t, side, call, err = json.loads(line)
            errors.append(f"error   {(t - t0) * 1000:10.3f} {side:6} {call} {err}")
    with open(fixture, "w") as f:
        f.write(header)
        f.write(f"# nft dropped {dropped} segment(s), marked `lost` below\n")
        for n, pair in enumerate(isns, 1):
            port = f" port {pair['port']}" if pair["port"] != CLIENT_PORT else ""
            f.write(f"isn {n} client {pair['client']} server {pair.get('server', 0)}{port}\n")
        f.write("\n".join(lines) + "\n")
        f.write("\n".join(s for _, s in states) + "\n")
        if errors:
            f.write("\n".join(errors) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3])
    else:
        normalise(sys.argv[2], sys.argv[3], sys.argv[4], sys.stdin.read().rstrip("\n") + "\n")
