#!/usr/bin/env python3
"""seeds.py — writes the seed corpora of the libFuzzer harnesses
(tests/fuzz/corpus/NAME/seed-*) from the test suite's own data: the NUT
dumps in tests/nut/*.dev, replies the suite's simulators and hostile
peers send, SNMP messages as the agents of tests/snmp answer, WattBox
replies as tests/wattbox/wbsim.py gives them, targets and options as the
integration tests use them.  Crash inputs found by fuzzing are kept
beside them as crash-* files, never rewritten here.  Run from anywhere:
python3 tests/fuzz/seeds.py"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TESTS, "snmp"))
sys.dont_write_bytecode = True
from hostile import integer, tlv  # noqa: E402  (the BER of the suite's SNMP peers)
from walkfake import oid_encode  # noqa: E402


def write(name, seeds):
    d = os.path.join(HERE, "corpus", name)
    os.makedirs(d, exist_ok=True)
    for old in os.listdir(d):
        if old.startswith("seed-"):
            os.remove(os.path.join(d, old))
    for i, s in enumerate(seeds):
        if isinstance(s, str):
            s = s.encode("latin-1")
        with open(os.path.join(d, "seed-%02d" % i), "wb") as f:
            f.write(s)


def nut_word(s):
    """A word as upsd writes it: quoted, backslash and quote escaped."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dev_vars(path):
    """name, value pairs of a dummy-ups .dev file (as upsc prints them)."""
    out = []
    with open(path, encoding="latin-1") as f:
        for line in f:
            if line.startswith("#") or ": " not in line:
                continue
            name, value = line.rstrip("\n").split(": ", 1)
            out.append((name, value))
    return out


def list_reply(what, ups, items):
    head = "%s %s" % (what, ups) if ups else what
    return "BEGIN LIST %s\n%s\nEND LIST %s\n" % (head, "\n".join(items), head) if items \
        else "BEGIN LIST %s\nEND LIST %s\n" % (head, head)


def nut():
    devs = {n: dev_vars(os.path.join(TESTS, "nut", n + ".dev"))
            for n in ("dummy", "epdu", "ups3phase")}
    lines = ['VAR dummy %s %s' % (k, nut_word(v)) for k, v in devs["dummy"]]
    words = lines[:12] + [
        'TYPE dummy ups.id RW STRING:32', 'TYPE dummy input.transfer.low RW ENUM 170',
        'TYPE dummy ups.delay.shutdown RW RANGE NUMBER', 'TYPE dummy ups.id STRING',
        'ENUM dummy input.transfer.low "170"', 'RANGE dummy ups.delay.shutdown "0" "600"',
        'ERR VAR-NOT-SUPPORTED', 'ERR UNKNOWN-UPS', 'ERR ACCESS-DENIED',
        'VERSION "2.2.0"', 'Network UPS Tools upsd 2.8.0 - https://networkupstools.org/',
        'OK TRACKING 1bd31808-cb49-4aec-9d75-d056e6f018d2', 'DESC dummy ups.id "UPS id"',
        'VAR dummy device.mfr "caf\xe9"', 'VAR dummy ups.id "rack \\"A\\" \\#1"',
        'VAR dummy ups.notes "a\\\\b" # comment', 'CMD dummy beeper.on\xe9',
        'VAR dummy "" "unterminated', 'NUMLOGINS dummy 2', 'UPS dummy "Dummy UPS"',
    ]
    write("nut_words", words)
    lst = []
    for name, items in devs.items():
        lst.append("\0" + list_reply("VAR", name, ['VAR %s %s %s' % (name, k, nut_word(v))
                                                   for k, v in items]))
    lst += [
        "\0" + list_reply("VAR", "dummy", ['VAR dummy device.mfr "caf\xe9"',
                                           'VAR dummy a\\b "1"', 'VAR dummy ups.load "27"',
                                           'VAR dummy ups.load "28"']),
        "\0ERR UNKNOWN-UPS\n", "\0BEGIN LIST VAR dummy\nVAR dummy ups.load 1\n",
        "\1" + list_reply("UPS", None, ['UPS dummy "Dummy UPS"', 'UPS epdu "Eaton ePDU"',
                                        'UPS ups3phase "3-phase \\"big\\" one"']),
        "\1" + list_reply("UPS", None, ['UPS min "Minimal"', 'UPS bad\xe9 "Bad"']),
        "\2" + list_reply("CMD", "dummy", ["CMD dummy beeper.on", "CMD dummy test.battery.start"])
        + 'CMDDESC dummy beeper.on "Enable the UPS beeper"\n'
        + 'CMDDESC dummy test.battery.start "Start a battery test"\n',
        "\2" + list_reply("CMD", "dummy", ["CMD dummy beeper.on\xe9"]),
        "\2" + list_reply("CMD", "dummy", ["CMD dummy beeper.on"]) + "ERR UNKNOWN-COMMAND\n",
        "\3" + 'VAR dummy ups.status "OL CHRG"\nVAR dummy battery.charge "100"\n'
        'VAR dummy device.mfr "Dummy"\n',
        "\3" + 'VAR dummy ups.status "OL"\nERR VAR-NOT-SUPPORTED\nERR UNKNOWN-UPS\n',
        "\4OK\nOK\nOK TRACKING 1bd31808-cb49-4aec-9d75-d056e6f018d2\n",
        "\4OK\nERR ACCESS-DENIED\n", "\4OK\r\nOK\r\nOK\r\n",
    ]
    write("nut_list", lst)


def ber_oid(text):
    return oid_encode([int(a) for a in text.strip(".").split(".")])


def pdu(tag, rid, vbs, status=0, index=0):
    return tlv(tag, integer(rid) + integer(status) + integer(index) +
               tlv(0x30, b"".join(tlv(0x30, ber_oid(o) + v) for o, v in vbs)))


# What the PDU simulators of tests/snmp answer (CyberPower ePDU objects).
CPS = ".1.3.6.1.4.1.3808.1.1.3.3"
VBS = [(".1.3.6.1.2.1.1.1.0", tlv(4, b"CyberPower PDU41008")),
       (".1.3.6.1.2.1.1.3.0", tlv(0x43, b"\x01\x02\x03")),
       (CPS + ".3.1.1.2.1", tlv(4, b"Outlet1")),
       (CPS + ".5.1.1.4.1", integer(1)),
       (CPS + ".3.1.1.4.8", integer(-1)),
       (".1.3.6.1.2.1.1.2.0", ber_oid(".1.3.6.1.4.1.3808.1.1.3")),
       (".1.3.6.1.2.1.4.20.1.1.127.0.0.1", tlv(0x40, bytes([127, 0, 0, 1]))),
       (".1.3.6.1.2.1.31.1.1.1.6.1", tlv(0x46, b"\x00\xff" + bytes(7))),
       (CPS + ".5.1.1.2.1", tlv(4, b"PDU41008\x1b[2J")),
       (CPS + ".9.9", tlv(0x80, b"")), (CPS + ".9.10", tlv(0x82, b""))]


def snmp_v1v2c():
    get = pdu(0xa0, 0x4f1dce3d, [(".1.3.6.1.2.1.1.1.0", tlv(5, b""))])
    msgs = [tlv(0x30, integer(1) + tlv(4, b"public") + get)]
    for version in (0, 1):
        for i in range(0, len(VBS), 3):
            msgs.append(tlv(0x30, integer(version) + tlv(4, b"public") +
                            pdu(0xa2, 1000 + i, VBS[i:i + 3])))
    msgs.append(tlv(0x30, integer(0) + tlv(4, b"private") +
                    pdu(0xa2, 9, [(CPS + ".3.1.1.4.1", tlv(5, b""))], 2, 1)))
    # a long-form length that is not minimal, as some embedded agents write
    msgs.append(b"\x30\x82\x00\x26" + msgs[1][2:])
    seeds = [b"\0" + m for m in msgs]
    seeds += [b"\1" + o.encode() for o in (".1.3.6.1.2.1.1.1.0", "1.3.6.1.4.1.3808",
                                           ".1", "2.999.4294967295", "1.3.6.1.2.1.2.2.1.2")]
    seeds += [b"\2" + v for v in (b"i 2", b"i -2147483648", b"u 4294967295", b"c 7",
                                   b"t 360000", b"a 192.0.2.1", b"o .1.3.6.1.4.1.3808",
                                   b"s Outlet 1", b"x 0a 0B ff", b"s caf\xe9")]
    write("snmp", seeds)


def password_to_key(hash_name, password):
    """RFC 3414 A.2: the password repeated over 1 MiB, hashed."""
    import hashlib
    h = hashlib.new(hash_name)
    pw = password.encode()
    data = (pw * (1048576 // len(pw) + 1))[:1048576]
    h.update(data)
    return h.digest()


def snmp_v3():
    """The v3 harness: odd first bytes wrap a scoped PDU for a user (the
    harness encrypts and signs it), even ones are whole messages."""
    import hashlib
    import hmac
    engine = bytes.fromhex("80001f888066757a7a")
    scoped = [tlv(0x30, tlv(4, engine) + tlv(4, b"") + pdu(0xa2, 7 + i, VBS[i:i + 3]))
              for i in range(0, len(VBS), 3)]
    report = tlv(0x30, tlv(4, engine) + tlv(4, b"") +
                 pdu(0xa8, 0, [(".1.3.6.1.6.3.15.1.1.2.0", tlv(0x41, b"\x05"))]))
    seeds = [bytes([2 * user + 1]) + sc for user in range(4) for sc in scoped[:2]]
    seeds.append(b"\7" + report)

    def message(flags, user, mac_len, data, key=None):
        params = tlv(4, tlv(0x30, tlv(4, engine) + integer(3) + integer(12345) +
                            tlv(4, user) + tlv(4, bytes(mac_len)) + tlv(4, b"")))
        head = tlv(0x30, integer(77) + integer(65507) + tlv(4, bytes([flags])) + integer(3))
        msg = tlv(0x30, integer(3) + head + params + data)
        if key is not None:
            mac = hmac.new(key, msg, hashlib.md5).digest()[:12]
            msg = msg.replace(bytes(12), mac, 1)
        return msg

    # noAuthNoPriv replies and the engine discovery's report (user 0)
    for sc in scoped[:2] + [report]:
        seeds.append(b"\0" + message(4, b"fuzzer" if sc is not report else b"", 0, sc))
    # authNoPriv with HMAC-MD5-96 (user 1), signed here as the agent would
    ku = password_to_key("md5", "authpass123")
    kul = hashlib.md5(ku + engine + ku).digest()
    seeds.append(b"\2" + message(5, b"fuzzer", 12, scoped[0], kul))
    seeds.append(b"\2" + message(5, b"fuzzer", 12, scoped[1], bytes(16)))  # wrong key
    write("snmp_v3", seeds)


# What tests/wattbox/wbsim.py answers (its defaults: a WB-800-IPVM-12).
WB_NAMES = ["Dish Hopper", "EA3", "Denon Rcv", "Cheap LED Strip", "Outlet 5",
            "Nvidia Shield", "WTC UPS", "Dream Machine", "Vivint Camera",
            "Hikvision NVR", "PS5, Xbox", "Unifi 24 Switch"]


def wb_session(names, states, eol="\n", model="WB-800-IPVM-12", metered=True, ups=True,
               push=False, echo=False):
    """A telnet session as the harness reads it: login, then the replies of
    a full read (info, status of every outlet, power, ups, ping), then the
    reply to an action."""
    def reply(cmd, value):
        line = (cmd + eol if echo else "") + ("%s=%s" % (cmd, value)) + eol
        return ("~OutletStatus=" + states + eol if push else "") + line
    out = "Please Login to Continue" + eol + "Username: Password: Successfully Logged In!" + eol
    out += reply("?Model", model) + reply("?Firmware", "2.10.0.0") + reply("?Hostname", "RackA")
    out += reply("?ServiceTag", "ST191500681E8422") + reply("?OutletCount", str(len(names)))
    out += reply("?OutletName", ",".join("{%s}" % n for n in names))
    out += reply("?OutletStatus", states)
    for i in range(len(names)):
        out += reply("?OutletPowerStatus", "%d,11.62,0.09,123.69" % (i + 1)) if metered \
            else "#Error" + eol
    out += reply("?PowerStatus", "0.38,46.48,123.69,0") if metered else "#Error" + eol
    out += reply("?UPSConnection", "1" if ups else "0")
    if ups:
        out += reply("?UPSStatus", "100,8,Good,False,160,True,False")
    out += reply("?Firmware", "2.10.0.0") + "OK" + eol
    return out


def wattbox():
    states = ",".join("1" for _ in WB_NAMES)
    seeds = [b"\x10\x00" + wb_session(WB_NAMES, states).encode(),
             b"\x03\x00" + wb_session(WB_NAMES, states, eol="\r\n", echo=True).encode(),
             b"\x3f\x80" + wb_session(WB_NAMES, states, push=True).encode(),
             b"\x07\x01" + wb_session(WB_NAMES[:2], "1,0", model="WB-150-VM",
                                       metered=False, ups=False).encode(),
             b"\x20\x03" + wb_session(["A\tB", "caf\xe9", "\x1b]0;title\x07"],
                                       "1,0,1").encode("latin-1"),
             b"\x20\x00" + wb_session(["a", "b"], "1,1").replace(
                 "100,8,Good", "1e300,nan,Good").replace("11.62", "0x10").encode(),
             b"\x09\x00API is locked for 4 minutes and 39 seconds.\n",
             b"\x09\x00Please Login to Continue\nUsername: Password: Invalid Login\n"
             b"Username: "]
    write("wattbox", seeds)
    values = [b"\0{Dish Hopper},{EA3},{PS5, Xbox},{}", b"\1" + states.encode(),
              b"\2" + b"1,11.62,0.09,123.69", b"\2-0.5,1e3,inf,0x10",
              b"\3" + ",".join(WB_NAMES).encode(), b"\4" + info_xml_body(WB_NAMES, states),
              b"\5\xff\xfb\x01Please\xff\xff Login\xff\xfa\x18\x01\xff\xf0",
              b"\6?OutletPowerStatus=1,11.62,0.09,123.69", b"\6~OutletStatus=1,0,1",
              b"\6#Error", b"\6OK"]
    write("wattbox_values", values)
    body = info_xml_body(WB_NAMES[:3], "1,0,1")
    http = [body, info_xml_body(WB_NAMES, states),
            b"3f2\r\n" + body,   # a stray chunk-size line before the XML, as units send
            body.replace(b"<hasUPS>0</hasUPS>", b"<hasUPS>1</hasUPS><battery_charge>100"
                         b"</battery_charge><battery_load>8</battery_load><est_run_time>160"
                         b"</est_run_time><battery_health>1</battery_health>"
                         b"<power_lost>0</power_lost>"),
            body.replace(b"1187", b"1e300"), body.replace(b"Dish Hopper", b"PS5, Xbox"),
            body.replace(b"Dish Hopper", b"caf\xe9\x1b[2J\tTab"),
            body.replace(b"</outlet_name>", b""), b"<request></request>"]
    write("wattbox_http", [bytes([i % 3]) + b for i, b in enumerate(http)])


def info_xml_body(names, states):
    """/wattbox_info.xml as tests/wattbox/wbsim.py serves it."""
    return ("<?xml version='1.0'?>\n<request>\n"
            "<host_name>RackA</host_name>\n<hardware_version>WB-300-IP-3</hardware_version>\n"
            "<serial_number>ST19150068</serial_number>\n"
            "<site_ip>8.8.8.8,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0</site_ip>\n"
            "<auto_reboot>1</auto_reboot>\n<outlet_name>%s</outlet_name>\n"
            "<outlet_status>%s</outlet_status>\n<outlet_method>1,1,1</outlet_method>\n"
            "<safe_voltage_status>1</safe_voltage_status>\n"
            "<voltage_value>1187</voltage_value>\n<current_value>15</current_value>\n"
            "<power_value>46</power_value>\n<hasUPS>0</hasUPS>\n</request>\n"
            % (",".join(names), states)).encode()


def targets():
    """The targets, outlet lists, ranges and --targets files the
    integration tests give the tools."""
    specs = ["ups@nas", "dummy@127.0.0.1:3493", "@127.0.0.1", "dummy", "ups@[::1]:3493",
             "@[fe80::1%eth0]", "ups@nas:0", "ups@nas:65536", "a@b@c", "ups@[::1"]
    hosts = ["127.0.0.1:1161", "pdu3", "[::1]:23", "::1", "wb.lan:80", "host:port"]
    seeds = [b"\0" + t.encode() for t in specs] + [b"\1" + h.encode() for h in hosts]
    outlets = ["1", "1,4,7", "2-5", "all", "Dish Hopper", "PS5, Xbox", "5-2", "0", "1,,2",
               "EA3,3-4"]
    seeds += [b"\2\x08" + o.encode() for o in outlets]
    seeds += [b"\2\x18" + b"1-24", b"\2\x20" + b"all,32"]
    seeds += [b"\3" + r.encode() for r in (
        "192.168.1.0/24", "fd00::/120", "192.168.1.10-60", "192.168.1.250-192.168.2.5",
        "10.0.0.7 ::1 pdu3.lan", "127.0.0.0/30 127.0.1.1-4", "10.0.0.0/8",
        "192.168.1.60-10", "::ffff:10.0.0.1/126")]
    seeds += [b"\4" + f.encode() for f in (
        "# the rack\ndummy@127.0.0.1:3493\n\n   fake@127.0.0.1:3493   # a comment\n",
        "127.0.0.1:2323\n127.0.0.1:8080 proto=http    # the legacy unit\n",
        "pdu3:1161 community=rack3 proto=ssh\npdu4 community=a community=b\n",
        "pdu5 =x\n", "pdu6 key\n", "pdu7 user=admin password=s3cret\r\n")]
    write("targets", seeds)


def options():
    """Option values as the integration tests and the man pages give them."""
    seeds = [b"\0" + v for v in (b"5", b"0.5", b"10", b"-1", b"1e3", b"0x10", b"3600.0001",
                                  b"64", b"1024", b" 5", b"5 ", b"inf", b"nan", b"-0", b"024")]
    seeds += [b"\1" + v for v in (b"10", b"10:", b"~:20", b"10:20", b"@10:20", b"@~:0",
                                   b"20:10", b"1e3:", b"-5.5:-0.5", b":", b"@")]
    seeds += [b"\2" + v for v in (b"battery.charge=20:", b"ups.load=~:80",
                                   b"input.voltage=@200:250", b"=10", b"x=", b"ok", b"warning",
                                   b"CRITICAL", b"unknown")]
    seeds += [b"\3" + v for v in (b"MD5", b"SHA", b"sha-256", b"SHA-512", b"DES", b"AES",
                                   b"AES-192", b"aes-256", b"noAuthNoPriv", b"authpriv",
                                   b"SHA-1")]
    write("options", seeds)


def text():
    """Device strings the hostile peers of the suite send."""
    write("text", [b"caf\xe9", b"PDU41008\x1b[2J", b"\x1b]0;owned\x07", b"Outlet\t1",
                   b"caf\xc3\xa9", b"\xc2\x85next line", b"a\\b\"c\"", b"ups.id\xe9",
                   b"\xf0\x9f\x94\x8c plug", b"\xed\xa0\x80 surrogate", b"\x00nul",
                   b"battery.charge", b"a.b-c/d e"])


def main():
    nut()
    text()
    options()
    targets()
    snmp_v1v2c()
    snmp_v3()
    wattbox()


if __name__ == "__main__":
    sys.exit(main())
