#!/usr/bin/env python3
"""maxrss.py RUNS ARGV... — runs a command RUNS times under GNU time
(Debian package `time`; a small C parent, so the figure is not inflated by
a forked Python) and prints the median peak resident set size in KiB of
the command and the children it waited for.  Used by the bench parts to
put memory beside time."""
import os
import statistics
import subprocess
import sys
import tempfile


def peak_kib(argv):
    with tempfile.NamedTemporaryFile("r") as out, open(os.devnull, "wb") as null:
        rc = subprocess.call(["/usr/bin/time", "-q", "-f", "%M", "-o", out.name] + argv,
                             stdout=null, stderr=null)
        return int(out.read().split()[-1]), rc


def main():
    runs, argv = int(sys.argv[1]), sys.argv[2:]
    peaks = []
    for _ in range(runs):
        kib, rc = peak_kib(argv)
        if rc != 0:
            sys.exit("maxrss: %s exited %d" % (" ".join(argv), rc))
        peaks.append(kib)
    print(int(statistics.median(peaks)))


if __name__ == "__main__":
    main()
