#!/usr/bin/python3
"""blackhole.py ADDR LOG PORT... — a silent host for the discovery tests:
on ADDR, every PORT is a TCP listener that accepts and never writes, and
a UDP socket that never answers.  Prints "ready" on stdout once bound;
appends one line to LOG per connection or datagram ("tcp PORT" /
"udp PORT"), so a test can see a probe came."""
import select
import socket
import sys

ADDR, LOG, PORTS = sys.argv[1], sys.argv[2], [int(p) for p in sys.argv[3:]]
socks = {}
for port in PORTS:
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((ADDR, port))
    t.listen(64)
    socks[t] = ("tcp", port)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((ADDR, port))
    socks[u] = ("udp", port)
print("ready", flush=True)
held = []  # accepted connections, kept open and unread
while True:
    ready, _, _ = select.select(list(socks), [], [])
    for s in ready:
        kind, port = socks[s]
        if kind == "tcp":
            held.append(s.accept()[0])
        else:
            s.recvfrom(65536)
        with open(LOG, "a") as f:
            f.write("%s %d\n" % (kind, port))
