#!/usr/bin/python3
"""fakepeer.py SCRIPT LOG [ARG] — a scripted, hostile TCP peer on 127.0.0.1; the
port is printed on stdout once listening, every line received is appended
to LOG (raw bytes, one a line).  SCRIPT is a Python file that defines
  GREETING  bytes sent as soon as a client connects (may be b"")
  reply(line, sess)  line: the bytes received without the newline; sess: a
            dict kept for the connection.  Returns bytes to send, None to
            close the connection, or an iterable of bytes to stream (sent
            until the client goes away).
ARG is given to the script as the global ARG ("" when absent)."""
import socket
import sys
import threading

SCRIPT = {"ARG": sys.argv[3] if len(sys.argv) > 3 else ""}
exec(open(sys.argv[1]).read(), SCRIPT)
LOG = sys.argv[2]
LOCK = threading.Lock()


def log(line):
    with LOCK, open(LOG, "ab") as f:
        f.write(line + b"\n")


def serve(conn):
    sess = {}
    buf = b""
    with conn:
        try:
            if SCRIPT.get("GREETING"):
                conn.sendall(SCRIPT["GREETING"])
            while True:
                data = conn.recv(65536)
                if not data:
                    log(b"<closed>")
                    return
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    line = line.rstrip(b"\r")
                    log(line)
                    out = SCRIPT["reply"](line, sess)
                    if out is None:
                        return
                    if isinstance(out, bytes):
                        conn.sendall(out)
                    else:
                        for chunk in out:
                            conn.sendall(chunk)
        except OSError:
            log(b"<reset>")


def main():
    open(LOG, "wb").close()
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
