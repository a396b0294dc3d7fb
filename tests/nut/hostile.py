#!/usr/bin/python3
"""hostile.py MODE — a misbehaving NUT server on 127.0.0.1, port printed
on stdout once listening.  Modes:
  silent    accept and never answer
  garbage   answer every request with binary junk lines
  bigline   answer with a 100 kB line
  midlist   BEGIN LIST VAR, one item, then close
  badquote  answer with an unterminated quote
  wrongecho answer every GET VAR with another variable's reply
  minimal   a minimal server (like ESPHome's): VER/UPSDVER, GET VAR,
            LIST VAR/UPS, USERNAME/PASSWORD/INSTCMD/SET VAR; everything
            else (TRACKING, GET TYPE, LIST RANGE, NETVER) is UNKNOWN-COMMAND."""
import socket
import sys
import threading

MODE = sys.argv[1]


def minimal(line):
    w = line.split()
    if not w:
        return "ERR UNKNOWN-COMMAND"
    if w[0] == "VER":
        return "Minimal NUT server 1.0"
    if w[:2] == ["GET", "VAR"] and len(w) == 4:
        vals = {"ups.status": "OL", "battery.charge": "90", "ups.id": "min"}
        if w[3] in vals:
            return 'VAR %s %s "%s"' % (w[2], w[3], vals[w[3]])
        return "ERR VAR-NOT-SUPPORTED"
    if w[:2] == ["LIST", "VAR"] and len(w) == 3:
        return ('BEGIN LIST VAR %s\nVAR %s battery.charge "90"\nVAR %s ups.status "OL"\n'
                'END LIST VAR %s' % (w[2], w[2], w[2], w[2]))
    if w[:2] == ["LIST", "UPS"]:
        return 'BEGIN LIST UPS\nUPS min "Minimal"\nEND LIST UPS'
    if w[0] in ("USERNAME", "PASSWORD", "INSTCMD") or w[:2] == ["SET", "VAR"]:
        return "OK"
    return "ERR UNKNOWN-COMMAND"


def serve(conn):
    buf = b""
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
                elif MODE == "minimal":
                    conn.sendall((minimal(line) + "\n").encode())


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
