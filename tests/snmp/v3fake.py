#!/usr/bin/env python3
"""v3fake.py MODE PORT USER AUTH_PASSWORD — a strict SNMPv3 "agent" on
127.0.0.1:PORT (USM, HMAC-SHA-96 only, stdlib only) that sends the
reports snmpd cannot be made to send on demand, for pductl's tests.

It answers the engine discovery (an empty user, noAuthNoPriv) with a
usmStatsUnknownEngineIDs report carrying its engine ID, boots and time,
and drops any authenticated request whose user is not USER or whose
HMAC does not verify with USER's localised key (RFC 3414 3.2 step 6).
Then, by mode:
  notintime-once    the first authenticated request gets an authenticated
                    usmStatsNotInTimeWindows report with new boots and
                    time (as after a reboot of the agent); a request that
                    carries them gets the response.
  notintime-always  every authenticated request gets that report, with
                    boots one higher each time.
  decrypt-error     an authPriv request gets a usmStatsDecryptionErrors
                    report (RFC 3414 3.2 step 8), noAuthNoPriv as RFC 3412
                    7.1.3 says; authNoPriv requests get the response.
The response answers sysObjectID.0 with an OID and anything else with
noSuchObject.  Every request is logged on stdout ("discovery", "report
NAME", "response"); prints "ready" once bound; stops on SIGTERM.
"""
import hashlib
import hmac
import sys
import time

sys.dont_write_bytecode = True
from hostile import integer, listen, read, read_pdu, tlv  # noqa: E402  (the suite's BER)

ENGINE = bytes.fromhex("80001f88807633666b65")
SYS_OBJECT_ID = bytes([0x2b, 6, 1, 2, 1, 1, 2, 0])
VALUE = tlv(0x06, bytes([0x2b, 6, 1, 4, 1, 0x9d, 0x60, 1, 1, 3]))  # .1.3.6.1.4.1.3808.1.1.3
USM_STATS = bytes([0x2b, 6, 1, 6, 3, 15, 1, 1])
NOT_IN_TIME, UNKNOWN_ENGINE, DECRYPTION = 2, 4, 6
WINDOW = 150  # seconds, RFC 3414 3.2 step 7b


def password_to_key(password):
    """RFC 3414 A.2.2: the password repeated over 1 MiB, hashed (SHA-1),
    then localised to ENGINE."""
    pw = password.encode()
    ku = hashlib.sha1((pw * (1048576 // len(pw) + 1))[:1048576]).digest()
    return hashlib.sha1(ku + ENGINE + ku).digest()


class Clock:
    """The engine's boots and time (seconds since the boots began)."""

    def __init__(self, boots, time_now):
        self.set(boots, time_now)

    def set(self, boots, time_now):
        self.boots, self.base = boots, time.monotonic() - time_now

    def now(self):
        return int(time.monotonic() - self.base)


def parse(data):
    """The parts of a v3 message; auth_at is where its MAC begins."""
    _, msg, _ = read(data, 0)
    body_at = len(data) - len(msg)
    _, ver, off = read(msg, 0)
    _, head, off = read(msg, off)
    _, params, off = read(msg, off)
    params_end = off
    tag, scoped, _ = read(msg, off)
    _, mid, h = read(head, 0)
    _, _, h = read(head, h)
    _, flags, h = read(head, h)
    _, usm, _ = read(params, 0)
    _, engine, u = read(usm, 0)
    _, boots, u = read(usm, u)
    _, etime, u = read(usm, u)
    _, user, u = read(usm, u)
    _, mac, u_end = read(usm, u)
    # The USM parameters end where the msgSecurityParameters end; the
    # privacy parameters follow the MAC, so count back from there.
    auth_at = body_at + params_end - (len(usm) - u_end) - len(mac)
    return {"version": int.from_bytes(ver, "big"), "msg_id": int.from_bytes(mid, "big"),
            "flags": flags[0] if flags else 0, "engine": engine, "user": user,
            "boots": int.from_bytes(boots, "big"), "time": int.from_bytes(etime, "big"),
            "mac": mac, "auth_at": auth_at, "encrypted": tag == 0x04, "scoped": scoped}


def verified(data, m, key):
    if len(m["mac"]) != 12:
        return False
    blank = data[:m["auth_at"]] + bytes(12) + data[m["auth_at"] + 12:]
    return hmac.compare_digest(hmac.new(key, blank, hashlib.sha1).digest()[:12], m["mac"])


def message(msg_id, flags, user, clock, scoped, key=None):
    """A v3 message; signed with key when flags has auth."""
    mac = bytes(12) if key is not None else b""
    usm = tlv(0x30, tlv(4, ENGINE) + integer(clock.boots) + integer(clock.now()) +
              tlv(4, user) + tlv(4, mac) + tlv(4, b""))
    head = tlv(0x30, integer(msg_id) + integer(65507) + tlv(4, bytes([flags])) + integer(3))
    msg = tlv(0x30, integer(3) + head + tlv(4, usm) + scoped)
    if key is None:
        return msg
    digest = hmac.new(key, msg, hashlib.sha1).digest()[:12]
    return msg.replace(bytes(12), digest, 1)


def scoped_pdu(tag, rid, vbs):
    vbl = b"".join(tlv(0x30, tlv(0x06, o) + v) for o, v in vbs)
    pdu = integer(rid) + integer(0) + integer(0) + tlv(0x30, vbl)
    return tlv(0x30, tlv(4, ENGINE) + tlv(4, b"") + tlv(tag, pdu))


def request_pdu(scoped):
    """(request-id, [OID bodies]) of a plaintext scoped PDU."""
    _, _, off = read(scoped, 0)
    _, _, off = read(scoped, off)
    _, pdu, _ = read(scoped, off)
    rid, _, _, oids = read_pdu(pdu)
    return rid, oids


def report(m, counter, clock, count, key=None):
    """A usmStats report to m; authenticated when key is given."""
    rid = request_pdu(m["scoped"])[0] if not m["encrypted"] else 0
    sc = scoped_pdu(0xa8, rid, [(USM_STATS + bytes([counter, 0]), tlv(0x41, bytes([count])))])
    return message(m["msg_id"], 1 if key is not None else 0,
                   m["user"] if counter != UNKNOWN_ENGINE else b"", clock, sc, key)


def in_window(m, clock):
    return m["boots"] == clock.boots and abs(m["time"] - clock.now()) <= WINDOW


def answer(mode, state, data, user, key):
    m = parse(data)
    clock = state["clock"]
    if m["version"] != 3 or m["flags"] & 3 == 2:
        return None, "dropped"
    if m["engine"] != ENGINE:
        if m["user"] == b"" and m["flags"] & 3 == 0:
            return report(m, UNKNOWN_ENGINE, clock, 1), "discovery"
        return None, "dropped"
    if m["user"] != user or not m["flags"] & 1 or not verified(data, m, key):
        return None, "dropped"
    state["count"] += 1
    if mode == "decrypt-error" and m["flags"] & 2:
        return report(m, DECRYPTION, clock, state["count"]), "report usmStatsDecryptionErrors"
    if mode == "notintime-always" or (mode == "notintime-once" and not state["resynced"]):
        state["resynced"] = True
        clock.set(clock.boots + 1, 42)
        return report(m, NOT_IN_TIME, clock, state["count"], key), "report usmStatsNotInTimeWindows"
    if m["encrypted"] or not in_window(m, clock):
        return None, "dropped"
    rid, oids = request_pdu(m["scoped"])
    vbs = [(o, VALUE if o == SYS_OBJECT_ID else tlv(0x80, b"")) for o in oids]
    return message(m["msg_id"], 1, user, clock, scoped_pdu(0xa2, rid, vbs), key), "response"


def main():
    mode, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    key = password_to_key(password)
    state = {"clock": Clock(5, 1000), "count": 0, "resynced": False}
    sock = listen(port)
    while True:
        data, peer = sock.recvfrom(65535)
        try:
            out, what = answer(mode, state, data, user.encode(), key)
        except (IndexError, ValueError):
            out, what = None, "malformed"
        print(what, flush=True)
        if out is not None:
            sock.sendto(out, peer)


if __name__ == "__main__":
    main()
