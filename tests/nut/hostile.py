#!/usr/bin/python3
"""hostile.py MODE — a misbehaving NUT server on 127.0.0.1, port printed
on stdout once listening.  Modes:
  silent    accept and never answer
  garbage   answer every request with binary junk lines
  bigline   answer with a 100 kB line
  midlist   BEGIN LIST VAR, one item, then close
  badquote  answer with an unterminated quote
  wrongecho answer every GET VAR with another variable's reply
  minimal   an ESPHome nut_server (read from its source): VER and VERSION
            answer VERSION "2.8.0", UPSDVER a bare version, NETVER 1.3, HELP
            its own list; USERNAME and PASSWORD take the rest of the line
            raw (quotes would be part of the name); PASSWORD is checked at
            once against its one user (admin/adminpass); GET TYPE says RO, or RW STRING (no length) for
            ups.id; SET VAR is ERR CMD-NOT-SUPPORTED; INSTCMD OK or
            CMD-NOT-SUPPORTED, no TRACKING; LIST CLIENT unknown (it has a
            non-standard LIST CLIENTS: BEGIN LIST CLIENT, CLIENT <ip>
            <seconds> <state> lines, END LIST CLIENT); ENUM/RANGE/RW lists empty; no PROTVER.
  loginread minimal, with reads behind a login (an ESPHome nut_server
            given a user): until PASSWORD is accepted, everything but
            USERNAME, PASSWORD, VER, VERSION, NETVER, HELP and LOGOUT
            answers ERR USERNAME-REQUIRED.
  oldupsd   an upsd from before TRACKING: SET VAR and INSTCMD answer OK, the
            variable ups.id reads "min"; SET TRACKING, GET TYPE and LIST
            ENUM/RANGE are unknown (tests the read-back path).
  badnames  the minimal server, but its lists name things with a byte that
            is not ASCII (0xE9, sent raw): LIST CMD has "beeper.on\xe9",
            LIST RW "ups.id\xe9", LIST UPS "bad\xe9" (after "min").
  numattach knows neither VER nor VERSION (UPSDVER only) and counts clients
            with GET NUMATTACH; GET NUMLOGINS is UNKNOWN-COMMAND."""
import shlex
import socket
import sys
import threading

MODE = sys.argv[1]


VALS = {"ups.status": "OL", "battery.charge": "90", "ups.id": "min"}
CMDS = ("beeper.disable", "beeper.enable", "beeper.toggle")
USER, PASSWORD = "admin", "adminpass"
OPEN_VERBS = ("VER", "VERSION", "NETVER", "HELP", "LOGOUT")
HELP = ("Commands: HELP VERSION NETVER STARTTLS USERNAME PASSWORD LOGIN LOGOUT "
        "LIST GET SET INSTCMD FSD UPSDVER")


def nut_list(what, args, items):
    head = " ".join([what] + args)
    return "\n".join(["BEGIN LIST " + head] + items + ["END LIST " + head])


def common(w):
    """What every imitation shares: GET VAR, LIST VAR/UPS."""
    if w[:2] == ["GET", "VAR"] and len(w) == 4:
        if w[3] in VALS:
            return 'VAR %s %s "%s"' % (w[2], w[3], VALS[w[3]])
        return "ERR VAR-NOT-SUPPORTED"
    if w[:2] == ["LIST", "VAR"] and len(w) == 3:
        return nut_list("VAR", w[2:], ['VAR %s battery.charge "90"' % w[2],
                                       'VAR %s ups.status "OL"' % w[2]])
    if w[:2] == ["LIST", "UPS"]:
        return nut_list("UPS", [], ['UPS min "Minimal"'])
    return None


def esphome(w, sess):
    if w[0] in ("VER", "VERSION"):
        return 'VERSION "2.8.0"'
    if w[0] == "UPSDVER":
        return "2.8.0"
    if w[0] == "NETVER":
        return "1.3"
    if w[0] == "HELP":
        return HELP
    if w[:2] == ["GET", "TYPE"] and len(w) == 4:
        if w[3] not in VALS:
            return "ERR VAR-NOT-SUPPORTED"
        return "TYPE %s %s %s" % (w[2], w[3], "RW STRING" if w[3] == "ups.id" else "RO")
    if w[:2] == ["GET", "NUMLOGINS"] and len(w) == 3:
        return "NUMLOGINS %s 0" % w[2]
    if w[0] == "LIST" and len(w) >= 3 and w[1] in ("ENUM", "RANGE", "RW"):
        return nut_list(w[1], w[2:], [])
    if w[:2] == ["LIST", "CMD"] and len(w) == 3:
        return nut_list("CMD", w[2:], ["CMD %s %s" % (w[2], c) for c in CMDS])
    if w[:2] == ["LIST", "CLIENTS"]:
        # Its own form: the singular in BEGIN/END, address, seconds, state.
        return "\n".join(["BEGIN LIST CLIENT", "CLIENT 192.0.2.7 35 authenticated",
                          "CLIENT 127.0.0.1 0 connected", "END LIST CLIENT"])
    if w[0] == "LIST":
        return "ERR INVALID-ARGUMENT"
    if w[:2] == ["SET", "VAR"]:
        return "ERR CMD-NOT-SUPPORTED"
    if w[0] == "INSTCMD" and len(w) >= 3:
        if not sess.get("auth"):
            return "ERR ACCESS-DENIED"
        return "OK" if w[2] in CMDS else "ERR CMD-NOT-SUPPORTED"
    return "ERR UNKNOWN-COMMAND"


def oldupsd(w, sess):
    if w[0] == "VER":
        return "Network UPS Tools upsd 2.7.4 - http://www.networkupstools.org/"
    if w[0] in ("USERNAME", "PASSWORD", "INSTCMD") or w[:2] == ["SET", "VAR"]:
        return "OK"
    return "ERR UNKNOWN-COMMAND"


def numattach(w, sess):
    if w[0] == "UPSDVER":
        return "upsd 2.0.5"
    if w[:2] == ["GET", "NUMATTACH"] and len(w) == 3:
        return "NUMATTACH %s 2" % w[2]
    return "ERR UNKNOWN-COMMAND"


def raw_credential(line, sess):
    """ESPHome's nut_server takes everything after "USERNAME " or
    "PASSWORD " raw, quotes included: upsclient sends bare words."""
    verb, _, rest = line.partition(" ")
    if verb == "USERNAME":
        sess["user"] = rest
        return "OK"
    ok = sess.get("user") == USER and rest == PASSWORD
    sess["auth"] = ok
    return "OK" if ok else "ERR ACCESS-DENIED"


def answer(line, sess):
    verb = line.split(" ", 1)[0]
    if MODE in ("minimal", "loginread") and verb in ("USERNAME", "PASSWORD"):
        return raw_credential(line, sess)
    if MODE == "loginread" and not sess.get("auth") and verb not in OPEN_VERBS:
        return "ERR USERNAME-REQUIRED"
    try:
        w = shlex.split(line)  # quotes and backslashes, close to parseconf
    except ValueError:
        return "ERR INVALID-ARGUMENT"
    if not w:
        return "ERR UNKNOWN-COMMAND"
    reply = common(w) if MODE != "badnames" or w[:2] != ["LIST", "UPS"] else None
    if reply is not None:
        return reply
    if MODE == "badnames":
        if w[:2] == ["LIST", "CMD"] and len(w) == 3:
            return nut_list("CMD", w[2:], ["CMD %s beeper.toggle" % w[2],
                                           "CMD %s beeper.on\xe9" % w[2]])
        if w[:2] == ["LIST", "RW"] and len(w) == 3:
            return nut_list("RW", w[2:], ['RW %s ups.id\xe9 "min"' % w[2]])
        if w[:2] == ["LIST", "UPS"]:
            return nut_list("UPS", [], ['UPS min "Minimal"', 'UPS bad\xe9 "Bad"'])
    return {"minimal": esphome, "loginread": esphome, "badnames": esphome, "oldupsd": oldupsd, "numattach": numattach}[MODE](w, sess)


def serve(conn):
    buf = b""
    sess = {}
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.decode("ascii", "replace").strip()
                if MODE == "silent":
                    continue
                if MODE == "garbage":
                    conn.sendall(b"\x00\xff\xfe junk \x01\x02\n" * 3)
                elif MODE == "bigline":
                    conn.sendall(b"VAR x y \"" + b"A" * 100000 + b"\"\n")
                elif MODE == "midlist":
                    conn.sendall(b"BEGIN LIST VAR dummy\nVAR dummy battery.charge \"100\"\n")
                    return
                elif MODE == "wrongecho":
                    conn.sendall(b"VAR dummy other.var \"1\"\n")
                elif MODE == "badquote":
                    conn.sendall(b"VAR dummy ups.status \"OL\n")
                elif MODE in ("minimal", "loginread", "oldupsd", "numattach"):
                    conn.sendall((answer(line, sess) + "\n").encode())
                elif MODE == "badnames":
                    # latin-1: each \xe9 goes out as that one byte.
                    conn.sendall((answer(line, sess) + "\n").encode("latin-1"))


def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    print(srv.getsockname()[1], flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
