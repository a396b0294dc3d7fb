# A NUT server that keeps a client waiting (issue 11, defect 12): ARG
# "silent" never answers a GET or LIST; "pending" accepts the login and
# an INSTCMD, whose TRACKING result stays PENDING.  LOGOUT is answered,
# and logged like every line, so a test sees whether a stopped client
# said goodbye.
GREETING = b""


def reply(line, sess):
    if line.startswith(b"LOGOUT"):
        return b"OK Goodbye\n"
    if ARG == "pending":
        if line.startswith(b"USERNAME") or line.startswith(b"PASSWORD"):
            return b"OK\n"
        if line.startswith(b"SET TRACKING"):
            return b"OK\n"
        if line.startswith(b"INSTCMD"):
            return b"OK TRACKING 1bd31808-cb49-4aec-9d75-d056e6f018d2\n"
        if line.startswith(b"GET TRACKING"):
            return b"PENDING\n"
    return b""
