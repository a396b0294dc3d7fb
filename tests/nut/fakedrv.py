#!/usr/bin/python3
"""fakedrv.py SOCKET — a stand-in NUT driver for the tests.

upsd never starts drivers: it connects to $STATEPATH/<driver>-<ups> and
speaks the driver socket protocol (NUT docs/sock-protocol.txt).  This
program serves that socket with what dummy-ups cannot show: ENUM and
RANGE variables, a STRING:8, a SET that fails, a slow SET, commands that
succeed, fail, stay PENDING or make the data stale, and values with
characters that need escaping.  SIGUSR1/SIGUSR2 set/clear DATA-STALE.
Standard library only."""
import os
import selectors
import signal
import socket
import sys
import time

VARS = {  # name: (value, flags, aux)
    "device.mfr": ("Fake", [], 0),
    "device.model": ("Fake 1000", [], 0),
    "device.type": ("ups", [], 0),
    "ups.mfr": ("Fake", [], 0),
    "ups.model": ("Fake 1000", [], 0),
    "ups.serial": ("0241", [], 0),
    "ups.firmware": ("1.02", [], 0),
    "ups.status": ("OL", [], 0),
    "ups.load": ("23", [], 0),
    "ups.notes": ('rack "A" #1 C:\\UPS', [], 0),
    "ups.id": ("rack-1", ["RW", "STRING"], 8),
    "ups.beeper.status": ("enabled", ["RW", "STRING"], 16),
    "ups.delay.shutdown": ("20", ["RW"], 0),
    "input.sensitivity": ("normal", ["RW", "STRING"], 8),
    "input.transfer.low": ("100", ["RW"], 0),
    "input.voltage": ("230.5", [], 0),
    "battery.charge": ("100", [], 0),
    "battery.charge.low": ("20", ["RW"], 0),
    "battery.runtime": ("1800", [], 0),
    "output.voltage.nominal": ("230", ["RW"], 0),
    "fake.lastparam": ("", [], 0),
}
ENUMS = {"input.sensitivity": ["low", "normal", "high"],
         "input.transfer.low": ["95", "100", "105"]}
RANGES = {"battery.charge.low": [(5, 30), (40, 50)], "ups.delay.shutdown": [(0, 600)]}
CMDS = ["beeper.toggle", "calibrate.start", "fake.datastale", "fake.echo", "fake.pending",
        "load.off", "shutdown.return", "test.battery.start", "test.battery.stop"]
SLOW_SET = {"ups.beeper.status": 2.0}
FAIL_SET = {"output.voltage.nominal"}


def quote(v):
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("#", "\\#") + '"'


def words(line):
    """parseconf-style split: quotes group, backslash escapes."""
    out, cur, inword, quoted, i = [], "", False, False, 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            cur += line[i + 1]; inword = True; i += 2; continue
        if quoted:
            if ch == '"':
                quoted = False
            else:
                cur += ch
        elif ch == '"':
            quoted = True; inword = True
        elif ch in " \t\r":
            if inword:
                out.append(cur)
            cur, inword = "", False
        else:
            cur += ch; inword = True
        i += 1
    if inword:
        out.append(cur)
    return out


class Driver:
    def __init__(self, path):
        self.path = path
        self.values = {k: v[0] for k, v in VARS.items()}
        self.stale = False
        self.clients = {}
        self.timers = []  # (when, func)
        self.sel = selectors.DefaultSelector()

    def dump(self):
        out = []
        for name, (_, flags, aux) in VARS.items():
            if name in self.values:
                out.append("SETINFO %s %s" % (name, quote(self.values[name])))
            if flags:
                out.append("SETFLAGS %s %s" % (name, " ".join(flags)))
            if aux:
                out.append("SETAUX %s %d" % (name, aux))
            for e in ENUMS.get(name, []):
                out.append("ADDENUM %s %s" % (name, quote(e)))
            for lo, hi in RANGES.get(name, []):
                out.append("ADDRANGE %s %d %d" % (name, lo, hi))
        out += ["ADDCMD " + c for c in CMDS]
        out.append("DATASTALE" if self.stale else "DATAOK")
        out.append("DUMPDONE")
        return "".join(l + "\n" for l in out)

    def broadcast(self, text):
        for conn in list(self.clients):
            try:
                conn.sendall(text.encode())
            except OSError:
                self.drop(conn)

    def setinfo(self, name, value):
        self.values[name] = value
        self.broadcast("SETINFO %s %s\n" % (name, quote(value)))

    def set_stale(self, stale):
        self.stale = stale
        self.broadcast("DATASTALE\n" if stale else "DATAOK\n")

    def later(self, delay, func):
        self.timers.append((time.monotonic() + delay, func))

    def track(self, conn, tid, code):
        if tid:
            try:
                conn.sendall(("TRACKING %s %d\n" % (tid, code)).encode())
            except OSError:
                pass

    def do_set(self, conn, args, tid):
        if len(args) < 2 or args[0] not in VARS:
            return self.track(conn, tid, 2)
        name, value = args[0], args[1]
        if name in FAIL_SET:
            return self.track(conn, tid, 3)

        def apply():
            self.setinfo(name, value)
            self.track(conn, tid, 0)
        self.later(SLOW_SET.get(name, 0.1), apply)

    def do_cmd(self, conn, args, tid):
        cmd, params = args[0], args[1:]
        if cmd == "test.battery.start":
            def done():
                self.setinfo("ups.status", "OL CAL")
                self.track(conn, tid, 0)
            self.later(2.0, done)
        elif cmd == "test.battery.stop":
            self.setinfo("ups.status", "OL")
            self.track(conn, tid, 0)
        elif cmd == "beeper.toggle":
            self.track(conn, tid, 0)
        elif cmd == "fake.echo":
            # upsd forwards the parameter unquoted: glue the words back.
            self.setinfo("fake.lastparam", " ".join(params))
            self.track(conn, tid, 0)
        elif cmd == "fake.datastale":
            secs = float(params[0]) if params else 5.0
            self.set_stale(True)
            self.later(secs, lambda: self.set_stale(False))
            self.track(conn, tid, 0)
        elif cmd == "fake.pending":
            pass  # never answers: the tracking id stays PENDING
        elif cmd == "load.off":
            self.track(conn, tid, 3)
        elif cmd == "calibrate.start":
            self.track(conn, tid, 2)
        else:
            self.track(conn, tid, 1)

    def handle(self, conn, line):
        w = words(line)
        if not w:
            return
        tid = None
        if len(w) >= 3 and w[-2] == "TRACKING":
            tid = w[-1]
            w = w[:-2]
        verb = w[0]
        if verb == "DUMPALL":
            conn.sendall(self.dump().encode())
        elif verb == "PING":
            conn.sendall(b"PONG\n")
        elif verb == "GETPID":
            conn.sendall(("PID %d\n" % os.getpid()).encode())
        elif verb == "SET":
            self.do_set(conn, w[1:], tid)
        elif verb == "INSTCMD" and len(w) >= 2:
            self.do_cmd(conn, w[1:], tid)

    def drop(self, conn):
        self.clients.pop(conn, None)
        try:
            self.sel.unregister(conn)
        except (KeyError, ValueError):
            pass
        conn.close()

    def readable(self, conn):
        try:
            data = conn.recv(65536)
        except OSError:
            data = b""
        if not data:
            return self.drop(conn)
        buf = self.clients[conn] + data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            self.handle(conn, line.decode("ascii", "replace"))
        if conn in self.clients:
            self.clients[conn] = buf

    def run(self):
        if os.path.exists(self.path):
            os.unlink(self.path)
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(self.path)
        srv.listen(8)
        srv.setblocking(False)
        self.sel.register(srv, selectors.EVENT_READ)
        rfd, wfd = os.pipe()  # signals are turned into readable bytes
        os.set_blocking(wfd, False)
        signal.set_wakeup_fd(wfd)
        signal.signal(signal.SIGUSR1, lambda *_: None)
        signal.signal(signal.SIGUSR2, lambda *_: None)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self.sel.register(rfd, selectors.EVENT_READ)
        try:
            self.loop(srv, rfd)
        finally:
            os.unlink(self.path)

    def loop(self, srv, rfd):
        while True:
            now = time.monotonic()
            due = [t for t in self.timers if t[0] <= now]
            self.timers = [t for t in self.timers if t[0] > now]
            for _, func in due:
                func()
            wait = min([t[0] for t in self.timers], default=now + 1.0) - now
            for key, _ in self.sel.select(max(wait, 0.01)):
                if key.fileobj is srv:
                    conn, _ = srv.accept()
                    self.clients[conn] = b""
                    self.sel.register(conn, selectors.EVENT_READ)
                elif key.fileobj == rfd:
                    for sig in os.read(rfd, 64):
                        if sig in (signal.SIGUSR1, signal.SIGUSR2):
                            self.set_stale(sig == signal.SIGUSR1)
                else:
                    self.readable(key.fileobj)


if __name__ == "__main__":
    Driver(sys.argv[1]).run()
