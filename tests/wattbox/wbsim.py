#!/usr/bin/env python3
"""wbsim.py - a SnapAV WattBox simulator for the powerkit tests (stdlib only).

As strict and quirky as real units are reported to be (vendor Integration
Protocol v2.4/v3.0 and WB10 HTTP API documents, plus captures published by
client projects):

  telnet mode (--telnet): "Please Login to Continue\\n" then "Username: "
    without a newline (optionally in two writes), bytes that arrive before
    the prompt poison the user name, a failed login poisons the session (it
    re-prompts "Username: " but never accepts again), the API locks after
    --lockout-after failures ("API is locked for M minutes and S seconds."
    before the prompt on new sessions), a cap of --cap sessions (the next
    connection is closed without a byte).
  stdio mode (--stdio, run behind an SSH server): no prompts; the banner
    "Connecting...", "Successfully Logged In!" comes only after the first
    byte from the client; CRLF; --echo repeats each command line.
    --ssh-backend: the same sessions, one per TCP connection, for an SSH
    server that relays to a running simulator (wbsshd -c PORT) instead of
    starting one per connection.
  http mode (--http): the legacy WB-300/700 XML API: no Content-Length,
    close after the body, 401 without Basic credentials, 400 without
    "User-Agent: APP", junk before the XML, reset answered with no valid
    HTTP at all, --http-401 for 800-series units.

Common to the protocol modes: replies come one at a time in order (no
pipelining), --ack ok|push|alternate for !OutletSet, random unsolicited
~OutletStatus pushes between and before replies, --slow CMD=SECONDS
(over HTTP --slow PATH=SECONDS, e.g. /wattbox_info.xml=1.2),
WB-150/250 models answer #Error to metering and UPS queries, RESET turns
the outlet off (push) and on again after the delay (push), writes are cut
at random points.  --control FILE: lines "volts=V" and "ups-status=..."
read at each ?PowerStatus / ?UPSStatus (a test's power cut).  Every session is a file in --state DIR while it is
open (tests count them) and --state DIR/log records what was received.

Decisions where neither the vendor documents nor published captures say
what the real device does (wattctl must work either way where it matters):
  - After "Invalid Login" the device re-prompts "Username: " only (no
    "Please Login to Continue") and keeps the socket open; the session is
    poisoned (even good credentials fail on it).  3 failures (any session)
    lock the API for 279 s (the one captured countdown, 4 min 39 s); a
    locked API sends the lockout line instead of the banner, then closes.
  - The 11th concurrent session is closed at once without a byte.
  - !OutletSet: --ack ok sends OK, then a push if the state changed;
    --ack push sends only the push, even when nothing changed (so that the
    command still ends); the default alternates.  TOGGLE acts like ON/OFF.
    A disabled outlet (--disabled) answers #Error; N=0 with ON/OFF/TOGGLE
    and a DELAY outside 1..600 or with anything but RESET answer #Error.
  - RESET of an outlet that is off turns it on after the delay (Integration
    Protocol); over HTTP reset works only on an outlet that is on (spec).
  - ?OutletPowerStatus=N answers N,watts,amps,volts (spec order); the 4th
    ?PowerStatus field is 0; ~OutletStatus is always the full array.
  - ?Help and other queries not listed answer #Error.
  - SSH: no PTY is needed; the banner waits for the first client byte.
  - HTTP: no Content-Length (or, with --http-lie-length, a too-large one),
    Connection: close, Server: OvrC Embedded Server, a stray chunk-size
    line before the XML, <outlet_method> (not <outlet_mode>), <site_lost>.
"""
import argparse
import base64
import os
import random
import select
import socket
import socketserver
import sys
import threading
import time

DEFAULT_NAMES = ["Dish Hopper", "EA3", "Denon Rcv", "Cheap LED Strip", "Outlet 5",
                 "Nvidia Shield", "WTC UPS", "Dream Machine", "Vivint Camera",
                 "Hikvision NVR", "PS5, Xbox", "Unifi 24 Switch"]


class Device:
    """State shared by every session of one simulated unit."""

    def __init__(self, a):
        self.a = a
        self.lock = threading.RLock()
        n = a.outlets
        names = a.names.split("|") if a.names else DEFAULT_NAMES
        self.names = [names[i] if i < len(names) else "Outlet %d" % (i + 1) for i in range(n)]
        self.states = [1] * n
        if n >= 3:
            self.states[2] = 0
        self.autoreboot = 0
        self.failures = 0
        self.locked_until = 0.0
        self.sessions = []
        self.serial = 0
        self.metered = not (a.model.startswith("WB-150") or a.model.startswith("WB-250"))
        self.rng = random.Random(a.seed)

    def status(self):
        return ",".join(str(s) for s in self.states)

    def log(self, text):
        with self.lock, open(os.path.join(self.a.state, "log"), "a") as f:
            f.write(text + "\n")

    def set_states(self, changes):
        """Applies {index: state} and pushes ~OutletStatus to every session."""
        with self.lock:
            changed = False
            for i, v in changes.items():
                changed |= self.states[i] != v
                self.states[i] = v
            line = "~OutletStatus=" + self.status()
            sessions = list(self.sessions) if changed else []
        for s in sessions:
            s.send_line(line)
        return changed

    def control(self, key, default):
        """The value of key in the --control file, else default."""
        try:
            with open(self.a.control) as f:
                for line in f:
                    k, _, v = line.strip().partition("=")
                    if k == key:
                        return v
        except (OSError, TypeError):
            pass
        return default

    def outlet_power(self, i):
        if not self.states[i]:
            return 0.0, 0.0, 118.78
        w = 10.0 + 7.5 * i
        return w, w / 118.78, 118.78


class Session:
    """One client connection (a socket or stdin/stdout)."""

    def __init__(self, dev, rfile_fd, write, crlf, sid):
        self.dev = dev
        self.fd = rfile_fd
        self.write_raw = write
        self.eol = "\r\n" if crlf else "\n"
        self.wlock = threading.Lock()
        self.buf = b""
        self.sid = sid
        self.alive = True
        self.acks = 0
        self.logged_in = False

    # -- output: whole lines, but cut into random pieces on the wire
    def send(self, text):
        data = text.encode("latin-1")
        with self.wlock:
            if not self.alive:
                return
            try:
                rng = self.dev.rng
                while data:
                    cut = rng.randint(1, max(1, len(data))) if rng.random() < self.dev.a.chop else len(data)
                    self.write_raw(data[:cut])
                    data = data[cut:]
                    if data:
                        time.sleep(0.002)
            except OSError:
                self.alive = False

    def send_line(self, line):
        self.send(line + self.eol)

    # -- input
    def recv(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return None
        try:
            data = os.read(self.fd, 4096)
        except OSError:
            data = b""
        return data

    def read_line(self, idle=30.0):
        while b"\n" not in self.buf:
            data = self.recv(idle)
            if not data:
                return None
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode("latin-1").rstrip("\r")

    # -- unsolicited pushes (front panel changes) between and during replies
    def maybe_push(self):
        if self.logged_in and self.dev.rng.random() < self.dev.a.push_prob:
            with self.dev.lock:
                line = "~OutletStatus=" + self.dev.status()
            self.send_line(line)

    def pusher(self):
        while self.alive and self.dev.a.push_every > 0:
            time.sleep(self.dev.rng.uniform(0, 2 * self.dev.a.push_every))
            if self.alive and self.logged_in:
                self.maybe_push()

    # -- telnet login: banner, prompts without a newline, no IAC, lockout
    def login(self):
        dev, a = self.dev, self.dev.a
        with dev.lock:
            left = dev.locked_until - time.time()
        if left > 0:
            self.send("API is locked for %d minutes and %d seconds.\n" % (left // 60, left % 60))
            dev.log("%d locked" % self.sid)
            return False
        if a.iac:
            self.write_raw(b"\xff\xfd\x01\xff\xfb\x03")   # DO ECHO, WILL SGA
        self.send("Please Login to Continue" + self.eol)
        if a.split_banner:
            time.sleep(0.03)
        # Anything the client writes before the prompt becomes part of the
        # user name: the reason generic telnet stacks fail on this device.
        early = self.recv(0.05)
        if early:
            dev.log("%d early-bytes %r" % (self.sid, early))
            self.buf += early
        poisoned = bool(early)
        while True:
            self.send("Username: ")
            user = self.read_line()
            if user is None:
                # a client that leaves at the prompt: how much it wrote
                dev.log("%d gone at the prompt, %d bytes received" % (self.sid, len(self.buf)))
                return False
            self.send("Password: ")
            pw = self.read_line()
            if pw is None:
                return False
            dev.log("%d login %s" % (self.sid, user))
            if not poisoned and user == a.user and pw == a.password:
                self.send("Successfully Logged In!" + self.eol)
                return True
            poisoned = True   # one failure poisons the session
            with dev.lock:
                dev.failures += 1
                if dev.failures >= a.lockout_after:
                    dev.locked_until = time.time() + a.lock_seconds
            self.send("Invalid Login" + self.eol)

    # -- commands: ?Query -> ?Query=value, !Command -> OK / #Error
    def query(self, cmd):
        dev = self.dev
        a = dev.a
        simple = {"?Model": a.model, "?Firmware": a.firmware, "?Hostname": a.hostname,
                  "?ServiceTag": a.service_tag, "?OutletCount": str(len(dev.states)),
                  "?OutletStatus": dev.status(),
                  "?OutletName": ",".join("{%s}" % n for n in dev.names),
                  "?AutoReboot": str(dev.autoreboot)}
        if cmd in simple:
            return cmd + "=" + simple[cmd]
        if not dev.metered:
            return "#Error"
        if cmd == "?PowerStatus":
            w = sum(dev.outlet_power(i)[0] for i in range(len(dev.states)))
            volts = float(dev.control("volts", "123.69"))
            return "?PowerStatus=%.2f,%.2f,%.2f,0" % (w / 123.69, w, volts)
        if cmd == "?UPSConnection":
            return "?UPSConnection=1"
        if cmd == "?UPSStatus":
            return "?UPSStatus=" + dev.control("ups-status", a.ups_status)
        if cmd.startswith("?OutletPowerStatus="):
            arg = cmd.split("=", 1)[1]
            if not arg.isdigit() or not 1 <= int(arg) <= len(dev.states):
                return "#Error"
            w, amp, v = dev.outlet_power(int(arg) - 1)
            return "%s,%.2f,%.2f,%.2f" % (cmd, w, amp, v)
        return "#Error"

    def ack_mode(self):
        """"ok" (OK, then the push) or "push" (the push alone), per --ack."""
        self.acks += 1
        if self.dev.a.ack == "alternate":
            return "ok" if self.acks % 2 else "push"
        return self.dev.a.ack

    def outlet_set(self, arg):
        dev = self.dev
        parts = arg.split(",")
        n = len(dev.states)
        if len(parts) not in (2, 3) or not parts[0].isdigit():
            return self.send_line("#Error")
        o, act = int(parts[0]), parts[1]
        if act not in ("ON", "OFF", "TOGGLE", "RESET") or o > n or (o == 0 and act != "RESET"):
            return self.send_line("#Error")
        delay = None
        if len(parts) == 3:
            if act != "RESET" or not parts[2].isdigit() or not 1 <= int(parts[2]) <= 600:
                return self.send_line("#Error")
            delay = int(parts[2])
        idx = range(n) if o == 0 else [o - 1]
        if o in dev.a.disabled:
            return self.send_line("#Error")
        idx = [i for i in idx if i + 1 not in dev.a.stuck]   # acknowledged, never switched
        with dev.lock:
            if act == "RESET":
                new = {i: 0 for i in idx}
            else:
                new = {i: (1 if act == "ON" else 0 if act == "OFF" else 1 - dev.states[i])
                       for i in idx}
        mode = self.ack_mode()
        if mode == "ok":
            self.send_line("OK")
            self.maybe_push()
        if not dev.set_states(new) and mode == "push":
            # push-only acknowledges with a push even when nothing changed
            with dev.lock:
                line = "~OutletStatus=" + dev.status()
            self.send_line(line)
        if act == "RESET":
            # off now (pushed above), on again after the delay (pushed then)
            t = threading.Timer(delay or dev.a.poweron_delay, dev.set_states,
                                [{i: 1 for i in idx}])
            t.daemon = True
            t.start()
        return None

    def command(self, cmd):
        dev = self.dev
        slow = dict(s.split("=", 1) for s in dev.a.slow)
        self.maybe_push()
        if cmd in slow:
            time.sleep(float(slow[cmd]))
        if cmd.startswith("?"):
            self.send_line(self.query(cmd))
        elif cmd.startswith("!OutletSet="):
            self.outlet_set(cmd.split("=", 1)[1])
        elif cmd in ("!AutoReboot=0", "!AutoReboot=1"):
            dev.autoreboot = int(cmd[-1])
            self.send_line("OK")
        elif cmd == "!Reboot":
            self.send_line("OK")
            dev.set_states({i: 1 for i in range(len(dev.states))})
            return False
        else:
            self.send_line("#Error")
        return True

    def serve(self, stdio):
        dev = self.dev
        if stdio:
            # SSH: authenticated already; the banner waits for a first byte.
            first = self.recv(30.0)
            if not first:
                return
            self.buf += first
            if dev.a.locked:
                self.send("API is locked for 3 minutes and 2 seconds." + self.eol)
                return
            self.send("Connecting..." + self.eol)
            self.send("Successfully Logged In!" + self.eol)
        elif not self.login():
            return
        self.logged_in = True
        threading.Thread(target=self.pusher, daemon=True).start()
        while True:
            line = self.read_line()
            if line is None:
                dev.log("%d eof" % self.sid)
                return
            dev.log("%d < %s" % (self.sid, line))
            if dev.a.echo:
                self.send_line(line)
            if line == "":
                continue
            if line == "!Exit":
                dev.log("%d exit" % self.sid)
                return
            if not self.command(line):
                return


def open_session(dev, fd, write, crlf, stdio):
    with dev.lock:
        if len(dev.sessions) >= dev.a.cap:
            dev.log("cap-refused")
            return
        dev.serial += 1
        s = Session(dev, fd, write, crlf, dev.serial)
        dev.sessions.append(s)
        mark = os.path.join(dev.a.state, "open.%d.%d" % (os.getpid(), s.sid))
        open(mark, "w").close()
    try:
        s.serve(stdio)
    finally:
        with s.wlock:
            s.alive = False
        with dev.lock:
            dev.sessions.remove(s)
            os.unlink(mark)


class TelnetHandler(socketserver.BaseRequestHandler):
    def handle(self):
        dev = self.server.dev
        sock = self.request
        ssh = dev.a.ssh_backend
        open_session(dev, sock.fileno(), sock.sendall, dev.a.crlf or ssh, ssh)


# ---- legacy HTTP (WB10 API: /wattbox_info.xml, /control.cgi) --------------

def info_xml(dev):
    with dev.lock:
        return ("<?xml version='1.0'?>\n<request>\n"
                "<host_name>%s</host_name>\n<hardware_version>%s</hardware_version>\n"
                "<serial_number>%s</serial_number>\n"
                "<site_ip>8.8.8.8,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0</site_ip>\n"
                "<connect_status>12,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0</connect_status>\n"
                "<site_lost>0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0</site_lost>\n"
                "<auto_reboot>%d</auto_reboot>\n<outlet_name>%s</outlet_name>\n"
                "<outlet_status>%s</outlet_status>\n<outlet_method>%s</outlet_method>\n"
                "<safe_voltage_status>1</safe_voltage_status>\n"
                "<voltage_value>1187</voltage_value>\n<current_value>15</current_value>\n"
                "<power_value>%d</power_value>\n<hasUPS>0</hasUPS>\n</request>\n"
                % (dev.a.hostname, dev.a.model, dev.a.service_tag[:10], dev.autoreboot,
                   ",".join(dev.names), dev.status(), ",".join("1" for _ in dev.states),
                   sum(dev.outlet_power(i)[0] for i in range(len(dev.states)))))


class HttpHandler(socketserver.StreamRequestHandler):
    def reply(self, head, body=""):
        self.wfile.write((head + "\r\n" + body).encode("latin-1"))

    def handle(self):
        dev = self.server.dev
        mark = os.path.join(dev.a.state, "open.%d.http%d" % (os.getpid(), id(self)))
        open(mark, "w").close()
        try:
            self.handle_request(dev)
        finally:
            os.unlink(mark)

    def handle_request(self, dev):
        req = self.rfile.readline(4096).decode("latin-1").strip()
        headers = {}
        while True:
            h = self.rfile.readline(4096).decode("latin-1")
            if h in ("\r\n", "\n", ""):
                break
            k, _, v = h.partition(":")
            headers[k.strip().lower()] = v.strip()
        dev.log("http %s ua=%s" % (req, headers.get("user-agent", "")))
        # --slow PATH=SECONDS (the path without its query): the reply waits
        slow = dict(s.split("=", 1) for s in dev.a.slow)
        target = req.split(" ")[1].split("?")[0] if req.count(" ") == 2 else ""
        if target in slow:
            time.sleep(float(slow[target]))
        if headers.get("user-agent") != "APP":
            return self.reply("HTTP/1.1 400 Bad Request\r\n")
        want = "Basic " + base64.b64encode(("%s:%s" % (dev.a.user, dev.a.password)).encode()).decode()
        parts = req.split(" ")
        path = parts[1] if len(parts) == 3 else ""
        if headers.get("authorization") != want or (dev.a.http_401 and path == "/wattbox_info.xml"):
            return self.reply("HTTP/1.1 401 Unauthorized\r\n"
                              "WWW-Authenticate: Basic realm=\"WattBox\"\r\n")
        if path == "/wattbox_info.xml":
            head = "HTTP/1.1 200 OK\r\nServer: OvrC Embedded Server\r\nContent-Type: text/xml\r\n"
            if dev.a.http_lie_length:
                # the transport then reports a short read: the body is still whole
                head += "Content-Length: 99999\r\n"
            return self.reply(head + "Connection: close\r\n", "3f2\r\n" + info_xml(dev))
        if path.startswith("/control.cgi?"):
            return self.control(dev, path)
        return self.reply("HTTP/1.1 404 Not Found\r\n")

    def control(self, dev, path):
        q = dict(p.partition("=")[::2] for p in path.split("?", 1)[1].split("&"))
        n = len(dev.states)
        o, c = q.get("outlet", ""), q.get("command", "")
        if not o.lstrip("-").isdigit() or c not in ("0", "1", "3", "4", "5"):
            return self.reply("HTTP/1.1 400 Bad Request\r\n")
        o = int(o)
        if c in ("4", "5"):
            dev.autoreboot = 1 if c == "4" else 0
        elif not 0 <= o <= n or (o == 0 and c != "3"):
            return self.reply("HTTP/1.1 400 Bad Request\r\n")
        elif c == "3":
            idx = range(n) if o == 0 else [o - 1]
            idx = [i for i in idx if dev.states[i]]   # reset works only when on
            dev.set_states({i: 0 for i in idx})
            t = threading.Timer(dev.a.poweron_delay, dev.set_states, [{i: 1 for i in idx}])
            t.daemon = True
            t.start()
            # reset answers slowly and with no valid HTTP at all
            time.sleep(0.2)
            self.wfile.write(b"\x00garbage")
            return None
        else:
            dev.set_states({o - 1: int(c)})
        return self.reply("HTTP/1.1 200 OK\r\nConnection: close\r\n",
                          "<?xml version='1.0'?>\n<request>\n<outlet_status>%s</outlet_status>\n"
                          "<auto_reboot>%d</auto_reboot>\n</request>\n"
                          % (dev.status(), dev.autoreboot))


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = p.add_mutually_exclusive_group()  # default: --telnet
    mode.add_argument("--telnet", action="store_true")
    mode.add_argument("--http", action="store_true")
    mode.add_argument("--stdio", action="store_true")
    mode.add_argument("--ssh-backend", action="store_true")
    p.add_argument("--addr", default="127.0.0.1", help="loopback address to listen on")
    p.add_argument("--port", type=int, default=0, help="0: any; written to STATE/port")
    p.add_argument("--state", required=True, help="directory: open.* files, log, port")
    p.add_argument("--model", default="WB-800-IPVM-12")
    p.add_argument("--firmware", default="2.10.0.0")
    p.add_argument("--hostname", default="RackA")
    p.add_argument("--service-tag", default="ST191500681E8422")
    p.add_argument("--outlets", type=int, default=12)
    p.add_argument("--names", default="", help="outlet names separated by |")
    p.add_argument("--user", default="wattbox")
    p.add_argument("--password", default="s3cret")
    p.add_argument("--crlf", action="store_true")
    p.add_argument("--echo", action="store_true")
    p.add_argument("--split-banner", action="store_true")
    p.add_argument("--ack", choices=["ok", "push", "alternate"], default="alternate")
    p.add_argument("--push-every", type=float, default=0.0, help="mean seconds between pushes")
    p.add_argument("--push-prob", type=float, default=0.0, help="push before a reply")
    p.add_argument("--slow", action="append", default=[],
                   help="CMD=SECONDS (http: PATH=SECONDS)")
    p.add_argument("--ups-status", default="100,8,Good,False,160,True,False",
                   help="the ?UPSStatus value (charge,load,health,power lost,runtime,...)")
    p.add_argument("--control", default=None,
                   help="file of volts=V and ups-status=... lines, read at each query")
    p.add_argument("--lockout-after", type=int, default=3)
    p.add_argument("--lock-seconds", type=int, default=279)
    p.add_argument("--cap", type=int, default=10)
    p.add_argument("--poweron-delay", type=float, default=1.0)
    p.add_argument("--http-401", action="store_true", help="800-series: 401 on the XML")
    p.add_argument("--http-lie-length", action="store_true")
    p.add_argument("--locked", action="store_true", help="stdio: lockout instead of the banner")
    p.add_argument("--iac", action="store_true", help="send telnet negotiation first")
    p.add_argument("--disabled", type=int, action="append", default=[],
                   help="outlet that answers #Error to !OutletSet")
    p.add_argument("--stuck", type=int, action="append", default=[],
                   help="outlet that acknowledges but never switches")
    p.add_argument("--chop", type=float, default=0.3,
                   help="probability that a write is cut in two (with a 2 ms pause)")
    p.add_argument("--seed", type=int, default=None)
    a = p.parse_args()
    os.makedirs(a.state, exist_ok=True)
    dev = Device(a)
    if a.stdio:
        crlf = True

        def write(b):
            os.write(1, b)
        open_session(dev, 0, write, crlf, True)
        return
    srv = Server((a.addr, a.port), HttpHandler if a.http else TelnetHandler)
    srv.dev = dev
    tmp = os.path.join(a.state, "port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, os.path.join(a.state, "port"))
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
