"""What the scripts that run the real kernel share (tests/linux/driver.py for the presets'
fixtures, tests/drill/kernel/peers.py for the packetdrill scripts' captures), inside the network
namespace their capture.sh made: segments dropped with nftables, the two sides' sockets, reading to
the end, a side in a thread."""

import socket
import subprocess
import threading
from contextlib import contextmanager

ADDR = "127.0.0.1"
TABLE = "twlab"


def nft(*args):
    subprocess.run(["nft", *args], check=True)


@contextmanager
def drop_table():
    """An nftables table whose input chain `drop` adds rules to, removed afterwards."""
    nft("add", "table", "inet", TABLE)
    nft("add", "chain", "inet", TABLE, "in", "{ type filter hook input priority 0 ; }")
    try:
        yield
    finally:
        nft("delete", "table", "inet", TABLE)


def drop(match):
    """Drop, on input, the segments matching `match`; the capture on lo still sees them leave."""
    nft("add", "rule", "inet", TABLE, "in", *match.split(), "counter", "drop")


def dropped_and_clear():
    """Stop dropping; returns how many segments the rules dropped."""
    out = subprocess.run(["nft", "list", "chain", "inet", TABLE, "in"], capture_output=True, text=True, check=True).stdout
    packets = sum(int(w.split()[0]) for w in out.split("packets ")[1:])
    nft("flush", "chain", "inet", TABLE, "in")
    return packets


def listener(port, reuse_addr=True):
    s = socket.socket()
    if reuse_addr:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ADDR, port))
    s.listen(1)
    return s


def bound(port, reuse_addr=False):
    """A client's socket bound to `port` (the presets and scripts name their client's port)."""
    c = socket.socket()
    if reuse_addr:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((ADDR, port))
    return c


def recv_to_eof(sock):
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk


def in_thread(fn):
    t = threading.Thread(target=fn)
    t.start()
    return t
