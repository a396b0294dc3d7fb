#!/usr/bin/python3
"""seqprobe.py PORT TIMEOUT FIRST LAST — a sequential discovery loop in the
style of pywattbox's discover_wattbox_devices: one address after the
other, each one SNMP v2c GET of sysObjectID.0 (community public) on a
connected UDP socket, waiting up to TIMEOUT seconds for the answer (a
port-unreachable ends the wait early).  FIRST and LAST are IPv4
addresses; prints each address that answered."""
import ipaddress
import socket
import sys

# SNMP v2c GET sysObjectID.0, community "public", request-id 1.
GET = bytes.fromhex("3026020101040670756" "26c6963a019020101020100020100300e300c06082b060102010102000500")
port, timeout = int(sys.argv[1]), float(sys.argv[2])
first, last = (int(ipaddress.IPv4Address(a)) for a in sys.argv[3:5])
for n in range(first, last + 1):
    addr = str(ipaddress.IPv4Address(n))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.connect((addr, port))
        s.send(GET)
        if s.recv(65536):
            print(addr)
    except OSError:
        pass
    finally:
        s.close()
