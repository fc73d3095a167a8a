#!/usr/bin/env python3
"""The socket calls of a script in tests/drill, made on the real kernel, for capture.sh.

`peers.py NAME` runs both sides in this network namespace: the stack under test makes the script's calls
(same order, same sizes), and a second kernel socket plays the script's peer, sending what its `<` lines
send. A `<` segment the script leaves out because the stack never got it is dropped with nftables.
"""

import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))
from kernelnet import ADDR, bound, drop, drop_table, dropped_and_clear, in_thread, listener, recv_to_eof  # noqa: E402

SERVER_PORT = 8080
CLIENT_PORT = 40000


def last_ack_lost(stack_is_client):
    """Both last-ack-lost scripts: the client asks, the server answers, the client closes first, and the
    client's last ACK is dropped once, so the server's FIN is retransmitted."""
    srv = listener(SERVER_PORT)

    def server():
        conn, _ = srv.accept()
        conn.recv(100)
        conn.sendall(b"200 OK")
        recv_to_eof(conn)
        drop(f"tcp sport {CLIENT_PORT} tcp flags == ack")
        time.sleep(0.1)
        conn.close()
        time.sleep(0.1)
        dropped_and_clear()
        time.sleep(0.5)

    t = in_thread(server)
    c = bound(CLIENT_PORT, reuse_addr=True)
    c.connect((ADDR, SERVER_PORT))
    c.sendall(b"GET /")
    c.recv(100)
    time.sleep(0.1)
    c.close()
    t.join()
    srv.close()


def half_close():
    srv = listener(SERVER_PORT)

    def server():
        conn, _ = srv.accept()
        recv_to_eof(conn)
        time.sleep(0.1)  # the ACK of the FIN goes on its own (delayed ACK), as in the script
        conn.sendall(b"part 1")
        time.sleep(0.1)
        conn.sendall(b"part 2")
        time.sleep(0.1)
        conn.close()

    t = in_thread(server)
    c = bound(CLIENT_PORT, reuse_addr=True)
    c.connect((ADDR, SERVER_PORT))
    c.sendall(b"GET /")
    time.sleep(0.1)
    c.shutdown(socket.SHUT_WR)
    try:
        c.send(b"GET /")
        sys.exit("half-close: a write after shutdown succeeded")
    except BrokenPipeError:
        pass
    assert recv_to_eof(c) == b"part 1part 2"
    c.close()
    t.join()
    srv.close()


def data_after_close():
    srv = listener(SERVER_PORT)

    def server():
        conn, _ = srv.accept()
        conn.recv(100)
        time.sleep(0.15)
        conn.sendall(b"200 OK")
        time.sleep(0.1)
        conn.close()

    t = in_thread(server)
    c = bound(CLIENT_PORT, reuse_addr=True)
    c.connect((ADDR, SERVER_PORT))
    c.sendall(b"GET /")
    time.sleep(0.05)
    c.close()
    t.join()
    srv.close()


def close_in_syn_sent():
    """The first SYN,ACK is dropped, so the client closes while still in SYN-SENT; the retransmitted
    SYN,ACK then finds no connection."""
    srv = listener(SERVER_PORT)
    drop(f"tcp sport {SERVER_PORT} tcp flags == syn|ack")
    c = bound(CLIENT_PORT, reuse_addr=True)
    c.setblocking(False)
    try:
        c.connect((ADDR, SERVER_PORT))
    except BlockingIOError:
        pass
    time.sleep(0.01)
    c.close()
    dropped_and_clear()
    time.sleep(1.5)
    srv.close()


def syn_in_time_wait():
    srv = listener(SERVER_PORT)

    def server():
        for request in (b"GET /", b"GET /again"):
            conn, _ = srv.accept()
            assert conn.recv(100) == request
            conn.sendall(b"200 OK")
            time.sleep(0.1)
            conn.close()

    t = in_thread(server)
    for request in (b"GET /", b"GET /again"):
        c = bound(CLIENT_PORT, reuse_addr=True)
        c.connect((ADDR, SERVER_PORT))
        c.sendall(request)
        recv_to_eof(c)
        c.close()
        time.sleep(0.5)
    t.join()
    srv.close()


def passive_close():
    srv = listener(SERVER_PORT)

    def server():
        conn, _ = srv.accept()
        time.sleep(0.1)
        conn.close()
        time.sleep(0.5)

    t = in_thread(server)
    c = bound(CLIENT_PORT, reuse_addr=True)
    c.connect((ADDR, SERVER_PORT))
    recv_to_eof(c)
    time.sleep(0.06)
    c.close()
    t.join()
    srv.close()


SCRIPTS = {
    "last-ack-lost-active": lambda: last_ack_lost(True),
    "last-ack-lost-passive": lambda: last_ack_lost(False),
    "half-close": half_close,
    "data-after-close": data_after_close,
    "close-in-syn-sent": close_in_syn_sent,
    "syn-in-time-wait": syn_in_time_wait,
    "passive-close": passive_close,
}

if __name__ == "__main__":
    with drop_table():
        SCRIPTS[sys.argv[1]]()
