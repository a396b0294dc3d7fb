# A NUT server whose device sends hostile strings (issue 11, defects 2-4, 6).
GREETING = b""
UPS = b"ups"
VARS = [
    (b"device.mfr", b"caf\xe9"),
    (b"device.model", b"PDU41008\x1b[2J"),
    (b"ups.status", b"OL"),
    (b"battery.charge", b"90"),
    (b"battery.charge", b"80"),
    (b"input.voltage", b"230"),
    (b"weird\\\\name", b"5"),
    (b"ups.id", b"a\tb\x1b]0;title\x07"),
]


def reply(line, sess):
    w = line.split(b" ")
    if line.startswith(b"LIST VAR "):
        body = b"".join(b'VAR %s %s "%s"\n' % (w[2], n, v) for n, v in VARS)
        return b"BEGIN LIST VAR %s\n%sEND LIST VAR %s\n" % (w[2], body, w[2])
    if line.startswith(b"LIST CMD "):
        return (b"BEGIN LIST CMD %s\nCMD %s beeper.on\xe9\nEND LIST CMD %s\n"
                % (w[2], w[2], w[2]))
    if line.startswith(b"GET VAR ") and w[3] == b"ups.status":
        return b'VAR %s ups.status "OL"\n' % w[2]
    if line.startswith(b"GET VAR "):
        return b"ERR \x1b]0;pwned\x07\x1b[2J\n"
    if line.startswith(b"LOGOUT"):
        return b"OK Goodbye\n"
    return b"ERR UNKNOWN-COMMAND\n"
