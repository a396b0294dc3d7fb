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


def main():
    nut()


if __name__ == "__main__":
    sys.exit(main())
