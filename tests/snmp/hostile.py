#!/usr/bin/env python3
"""hostile.py MODE PORT — a UDP "agent" on 127.0.0.1:PORT that answers
SNMP requests badly, for pductl's hostile-peer tests (stdlib only).

Modes: ok (a correct reply: every varbind gets INTEGER 7), wrong-id (the
request-id plus one), wrong-type (a GetRequest PDU instead of a Response),
truncated (a correct reply missing its last 5 bytes), overlong (a varbind
length running past the datagram), indefinite (0x80 length), error-N
(error-status N, error-index 1), toobig (tooBig for more than 3 varbinds,
else correct), max10 (silence for more than 10 varbinds, as PDU41008 units
refuse 13, else correct), stranger (a correct reply from another
port, which a connected socket never sees), silent (no reply at all).
Prints "ready" on stdout once bound; stops on SIGTERM.
"""
import socket
import sys


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        head = bytes([tag, n])
    elif n < 0x100:
        head = bytes([tag, 0x81, n])
    else:
        head = bytes([tag, 0x82, n >> 8, n & 0xff])
    return head + body


def integer(v):
    n = 1
    while not -(1 << (8 * n - 1)) <= v < (1 << (8 * n - 1)):
        n += 1
    return tlv(0x02, v.to_bytes(n, "big", signed=True))


def read(data, off):
    """One TLV at off: (tag, body, next offset); long lengths up to 2 bytes."""
    tag, n = data[off], data[off + 1]
    off += 2
    if n & 0x80:
        k = n & 0x7f
        n = int.from_bytes(data[off:off + k], "big")
        off += k
    return tag, data[off:off + n], off + n


def read_pdu(pdu):
    """(request-id, error-status or non-repeaters, error-index or
    max-repetitions, [OID bodies]) of a PDU's body."""
    _, rid, off = read(pdu, 0)
    _, a, off = read(pdu, off)
    _, b, off = read(pdu, off)
    _, vbl, _ = read(pdu, off)
    oids, off = [], 0
    while off < len(vbl):
        _, vb, off = read(vbl, off)
        _, oid, _ = read(vb, 0)
        oids.append(oid)
    return (int.from_bytes(rid, "big", signed=True), int.from_bytes(a, "big"),
            int.from_bytes(b, "big"), oids)


def parse_pdu(data):
    """(version, community, PDU tag, request-id, error-status or
    non-repeaters, error-index or max-repetitions, [OID bodies])."""
    _, msg, _ = read(data, 0)
    _, ver, off = read(msg, 0)
    _, comm, off = read(msg, off)
    ptype, pdu, _ = read(msg, off)
    return (int.from_bytes(ver, "big"), comm, ptype) + read_pdu(pdu)


def parse_request(data):
    ver, comm, _, rid, _, _, oids = parse_pdu(data)
    return ver, comm, rid, oids


def reply(ver, comm, rid, oids, status=0, pdu_tag=0xa2, value=None):
    value = value if value is not None else integer(7)
    vbl = b"".join(tlv(0x30, tlv(0x06, o) + value) for o in oids)
    pdu = integer(rid) + integer(status) + integer(1 if status else 0) + tlv(0x30, vbl)
    return tlv(0x30, integer(ver) + tlv(0x04, comm) + tlv(pdu_tag, pdu))


def answer(mode, data):
    ver, comm, rid, oids = parse_request(data)
    if mode == "ok" or mode == "stranger":
        return reply(ver, comm, rid, oids)
    if mode == "wrong-id":
        return reply(ver, comm, rid + 1, oids)
    if mode == "wrong-type":
        return reply(ver, comm, rid, oids, pdu_tag=0xa0)
    if mode == "truncated":
        return reply(ver, comm, rid, oids)[:-5]
    if mode == "overlong":
        # The value claims 100 bytes; 3 follow.
        return reply(ver, comm, rid, oids, value=bytes([0x04, 0x64, 0x61, 0x62, 0x63]))
    if mode == "indefinite":
        good = reply(ver, comm, rid, oids)
        return bytes([0x30, 0x80]) + good[2:] + b"\x00\x00"
    if mode == "toobig":
        return reply(ver, comm, rid, oids, status=1 if len(oids) > 3 else 0)
    if mode == "max10":
        return reply(ver, comm, rid, oids) if len(oids) <= 10 else None
    if mode.startswith("error-"):
        return reply(ver, comm, rid, oids, status=int(mode[6:]))
    return None


def listen(port):
    """A UDP socket bound to 127.0.0.1:port, "ready" printed for udp_fake."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    print("ready", flush=True)
    return sock


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind(("127.0.0.1", 0))
    print("ready", flush=True)
    while True:
        data, peer = sock.recvfrom(65535)
        if mode == "silent":
            continue
        try:
            out = answer(mode, data)
        except (IndexError, ValueError):
            continue
        if out is not None:
            (other if mode == "stranger" else sock).sendto(out, peer)


if __name__ == "__main__":
    main()
