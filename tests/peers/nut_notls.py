# A NUT server without TLS (fakepeer.py script): STARTTLS is refused as
# upsd refuses it without a certificate; credentials and a small listing
# are answered, so that a client that goes on in clear can finish.
# ARG "inject": STARTTLS is accepted, and a line follows in clear before
# any handshake (a man in the middle's injection); ARG "silent": STARTTLS
# is accepted and the handshake never answered.
GREETING = b""


def reply(line, sess):
    if sess.get("tls"):
        return b""  # the client's handshake: never answered
    w = line.split()
    if not w:
        return b"ERR UNKNOWN-COMMAND\n"
    if w[0] == b"STARTTLS":
        sess["tls"] = ARG in ("inject", "silent")
        if ARG == "inject":
            return b"OK STARTTLS\nVAR ups ups.status \"OB LB\"\n"
        if ARG == "silent":
            return b"OK STARTTLS\n"
        return b"ERR FEATURE-NOT-CONFIGURED\n"
    if w[0] in (b"USERNAME", b"PASSWORD"):
        return b"OK\n"
    if line == b"LIST VAR ups":
        return (b"BEGIN LIST VAR ups\nVAR ups battery.charge \"90\"\n"
                b"VAR ups ups.status \"OL\"\nEND LIST VAR ups\n")
    if line == b"GET VAR ups ups.status":
        return b"VAR ups ups.status \"OL\"\n"
    if line == b"LOGOUT":
        return None
    return b"ERR UNKNOWN-COMMAND\n"
