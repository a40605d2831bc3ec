#!/usr/bin/env python3
"""
Stands in for a firewall that rejects with ICMP "communication administratively filtered" (type 3,
code 13; iptables' --reject-with icmp-admin-prohibited), on loopback where no netfilter is
available: it watches lo for a SYN to 127.0.0.1:PORT and answers it with that ICMP message, quoting
the whole SYN as Linux's own ICMP errors do (RFC 1812 §4.3.2.3: as much as fits in 576 bytes; RFC
792's minimum of 8 bytes of TCP header is too short for Wireshark to give the quote a tcp.stream). The listening socket on PORT
has a full accept queue (backlog 0, one connection never accepted), so the kernel drops the SYN
instead of answering it, as a host behind a filtering firewall never sees it.

Usage (root): icmp-filter.py PORT COUNT   -- answers COUNT SYNs, then exits.
"""
import socket
import struct
import sys

port = int(sys.argv[1])
count = int(sys.argv[2])


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
sniff.bind(('lo', 0))
send = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
answered = 0
while answered < count:
    frame, addr = sniff.recvfrom(65535)
    if addr[2] == socket.PACKET_OUTGOING:
        continue
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    if ip[9] != 6:
        continue
    tcp = ip[ihl:]
    dport = struct.unpack('!H', tcp[2:4])[0]
    flags = tcp[13]
    if dport != port or flags & 0x12 != 0x02:
        continue
    quoted = ip[:min(len(ip), 576 - 28)]
    header = struct.pack('!BBHI', 3, 13, 0, 0)
    message = header + quoted
    message = struct.pack('!BBHI', 3, 13, checksum(message), 0) + quoted
    send.sendto(message, (socket.inet_ntoa(ip[12:16]), 0))
    answered += 1
