# A NUT server that answers a LIST with items without end (issue 11,
# defect 9): ARG "fast" streams them in big writes, "slow" a line at a
# time, so the budget holds whatever the timing; "wide" sends 4000-byte
# values (the byte budget ends the list before the line budget).
GREETING = b""


def endless(head, ups):
    yield b"BEGIN LIST %s %s\n" % (head, ups)
    i = 0
    while True:
        if ARG == "wide":
            yield b'VAR %s x.%d "%s"\n' % (ups, i, b"w" * 4000)
            i += 1
        elif ARG == "slow":
            yield b'VAR %s x.%d "%d"\n' % (ups, i, i)
            i += 1
        else:
            yield b"".join(b'VAR %s x.%d "%d"\n' % (ups, i + k, i + k) for k in range(2000))
            i += 2000


def reply(line, sess):
    w = line.split(b" ")
    if line.startswith(b"LIST CMD "):
        return endless(b"CMD", w[2])
    if line.startswith(b"LIST VAR ") or line.startswith(b"LIST RW "):
        return endless(w[1], w[2])
    if line.startswith(b"LIST UPS"):
        return endless(b"UPS", b"")
    if line.startswith(b"LOGOUT"):
        return b"OK Goodbye\n"
    return b"ERR UNKNOWN-COMMAND\n"
