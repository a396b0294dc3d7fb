#!/usr/bin/env python3
"""walkfake.py MODE PORT [LOG] — a tiny SNMP v1/v2c agent on
127.0.0.1:PORT serving one made-up subtree, .1.3.6.1.4.1.99999.1, with
INTEGER values, for the walk tests of pductl against snmpwalk on the same
agent (stdlib only).  It answers GET, GETNEXT and GETBULK from a list of
objects in the agent's order: the next object after OID X is the one
listed after X when X is listed, else the first listed one above X.
Past the last object: endOfMibView (v2c), noSuchName (v1).

Modes (R = .1.3.6.1.4.1.99999.1):
  disorder  R.1 R.2 R.3 R.2.5 R.4, then .1.3.6.1.4.1.99999.2.1: R.2.5
            does not increase
  stall     R.1 ... R.12, but silent when asked for what follows R.8 or
            anything after it (a GETBULK reply stops at R.8)
  slow      R.1 ... R.20, each reply 0.3 s late
  toobig    R.1 ... R.60; tooBig for a GETBULK of more than 5 repetitions
  shorten   R.1 ... R.60; GETBULK replies cut to 3 varbinds
  many      R.1 ... R.300
Each GETBULK's max-repetitions is appended to LOG ("reps N").  Prints
"ready" on stdout once bound; stops on SIGTERM.
"""
import socket
import sys
import time

from hostile import integer, parse_pdu, tlv

ROOT = (1, 3, 6, 1, 4, 1, 99999, 1)
OUTSIDE = (1, 3, 6, 1, 4, 1, 99999, 2, 1)


def objects(mode):
    if mode == "disorder":
        return [ROOT + (1,), ROOT + (2,), ROOT + (3,), ROOT + (2, 5), ROOT + (4,), OUTSIDE]
    count = {"stall": 12, "slow": 20, "toobig": 60, "shorten": 60, "many": 300}[mode]
    return [ROOT + (i,) for i in range(1, count + 1)]


def oid_encode(arcs):
    body = bytes([40 * arcs[0] + arcs[1]])
    for a in arcs[2:]:
        chunk = [a & 0x7f]
        a >>= 7
        while a:
            chunk.insert(0, 0x80 | (a & 0x7f))
            a >>= 7
        body += bytes(chunk)
    return tlv(0x06, body)


def oid_decode(body):
    arcs = [body[0] // 40, body[0] % 40]
    a = 0
    for b in body[1:]:
        a = (a << 7) | (b & 0x7f)
        if not b & 0x80:
            arcs.append(a)
            a = 0
    return tuple(arcs)


def parse(data):
    ver, comm, ptype, rid, _, reps, oids = parse_pdu(data)
    return ver, comm, ptype, rid, reps, [oid_decode(o) for o in oids]


def value_of(oid):
    return integer(oid[-1] if oid[:len(ROOT)] == ROOT else 0)


def next_of(objs, oid):
    if oid in objs:
        i = objs.index(oid) + 1
        return objs[i] if i < len(objs) else None
    return next((o for o in objs if o > oid), None)


def response(ver, comm, rid, vbs, status=0, index=0):
    vbl = b"".join(tlv(0x30, oid_encode(o) + v) for o, v in vbs)
    pdu = integer(rid) + integer(status) + integer(index) + tlv(0x30, vbl)
    return tlv(0x30, integer(ver) + tlv(0x04, comm) + tlv(0xa2, pdu))


def silenced(mode, oid):
    return mode == "stall" and oid >= ROOT + (8,)


def answer(mode, objs, data, log):
    ver, comm, ptype, rid, reps, oids = parse(data)
    if ptype == 0xa0:  # GET
        vbs = [(o, value_of(o) if o in objs else b"\x80\x00") for o in oids]
        return response(ver, comm, rid, vbs)
    if silenced(mode, oids[0]):
        return None
    if ptype == 0xa1:  # GETNEXT
        nxt = next_of(objs, oids[0])
        if nxt is None:
            if ver == 0:
                return response(ver, comm, rid, [(oids[0], b"\x05\x00")], status=2, index=1)
            return response(ver, comm, rid, [(oids[0], b"\x82\x00")])
        return response(ver, comm, rid, [(nxt, value_of(nxt))])
    if ptype != 0xa5:
        return None
    if log:
        with open(log, "a") as f:
            f.write("reps %d\n" % reps)
    if mode == "toobig" and reps > 5:
        return response(ver, comm, rid, [(oids[0], b"\x05\x00")], status=1)
    vbs, cur = [], oids[0]
    for _ in range(min(reps, 3) if mode == "shorten" else reps):
        nxt = next_of(objs, cur)
        if nxt is None:
            vbs.append((cur, b"\x82\x00"))
            continue
        vbs.append((nxt, value_of(nxt)))
        cur = nxt
        if silenced(mode, cur):
            break
    return response(ver, comm, rid, vbs)


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    log = sys.argv[3] if len(sys.argv) > 3 else None
    objs = objects(mode)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    print("ready", flush=True)
    while True:
        data, peer = sock.recvfrom(65535)
        try:
            out = answer(mode, objs, data, log)
        except (IndexError, ValueError):
            continue
        if out is not None:
            if mode == "slow":
                time.sleep(0.3)
            sock.sendto(out, peer)


if __name__ == "__main__":
    main()
