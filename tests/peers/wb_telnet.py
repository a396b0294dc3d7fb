# A WattBox over telnet whose device sends what ARG asks for (issue 11):
#   names     outlet names with a TAB, an ESC sequence and Latin-1
#   reading=X every ?OutletPowerStatus answers N,X,0.50,120.00
#   flood     after the login, unsolicited ~OutletStatus lines without end
#   hang      after the login, nothing: queries are never answered
# The login is the real one: prompts without a newline, any credentials.
GREETING = b"Please Login to Continue\nUsername: "
NAMES = [b"Amp\tRack", b"PDU\x1b]0;title\x07", b"caf\xe9", b"Fan"]


def reply(line, sess):
    step = sess.get("step", 0)
    sess["step"] = step + 1
    if step == 0:
        return b"Password: "
    if step == 1:
        return b"Successfully Logged In!\n"
    if line == b"!Exit":
        return None
    if ARG == "flood":
        return (b"~OutletStatus=1,0,1,1\n" * 1000 for _ in iter(int, 1))
    if ARG == "hang":
        return b""
    simple = {b"?Model": b"WB-800-IPVM-4", b"?Firmware": b"2.10.0.0",
              b"?Hostname": b"Rack\x1b[2J", b"?ServiceTag": b"ST1",
              b"?OutletCount": b"4", b"?OutletStatus": b"1,0,1,1",
              b"?OutletName": b",".join(b"{" + n + b"}" for n in NAMES)}
    if line in simple:
        return line + b"=" + simple[line] + b"\n"
    if line.startswith(b"?OutletPowerStatus="):
        n = line.split(b"=", 1)[1]
        value = ARG.split("=", 1)[1].encode() if ARG.startswith("reading=") else b"12.5"
        return b"?OutletPowerStatus=%s,%s,0.50,120.00\n" % (n, value)
    return b"#Error\n"
