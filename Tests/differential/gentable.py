#!/usr/bin/env python3
"""gentable.py KIND SEED ROWS: prints a /proc/net/ip_vs_conn-like table to stdout, as bytes.

KIND is one of:
  kernel  rows laid out exactly as ip_vs_conn_seq_show prints them, every row shape
  sync    the same with the Origin column of /proc/net/ip_vs_conn_sync
  wild    the kernel's shapes bent: tabs, runs of spaces, CRLF, lower-case hex, odd names,
          PE data with control and non-UTF-8 bytes, huge expiries, truncated and invalid
          lines, random bytes, blank lines and repeated headers
The same KIND, SEED and ROWS always give the same bytes.
"""
import random
import sys

HEADER = b"Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n"
SYNC_HEADER = b"Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Origin Expires\n"
TCP_STATES = ["NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE",
              "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK"]
SCTP_STATES = ["INIT1", "INIT", "COOKIE_SENT", "COOKIE_REPLIED", "COOKIE_WAIT", "COOKIE_ECHOED",
               "ESTABLISHED", "SHUTDOWN_SENT", "SHUTDOWN_RECEIVED", "SHUTDOWN_ACK_SENT", "REJECTED", "CLOSED"]
ODD_STATES = ["ERR!", "BUG!", "?"]
VIRTUALS_V4 = [0xC0A8010A, 0xC0A8010B, 0x0A00000A]
DESTS_V4 = [0x0A010005, 0x0A010006, 0x0A020002]
VIRTUALS_V6 = [(0x20010DB800000000, 0xA), (0x20010DB800000000, 0x64)]
DESTS_V6 = [(0x20010DB800010000, 0x5), (0, 0x0000FFFF0A010005)]


def v6_text(high, low, upper=False):
    groups = [(high >> (48 - 16 * i)) & 0xFFFF for i in range(4)] + [(low >> (48 - 16 * i)) & 0xFFFF for i in range(4)]
    text = ":".join("%04x" % g for g in groups)
    return text.upper() if upper else text


def random_v6(rng):
    """Addresses with zero runs of every length and place, v4-mapped ones, :: and ::1."""
    choice = rng.randrange(8)
    if choice == 0:
        return 0, 0
    if choice == 1:
        return 0, 1
    if choice == 2:
        return 0, 0x0000FFFF00000000 | rng.getrandbits(32)
    if choice == 3:
        return 0, rng.getrandbits(32)  # the deprecated IPv4-compatible form
    groups = [0 if rng.random() < 0.5 else rng.choice([1, 0xdb8, 0xffff, rng.getrandbits(16)]) for _ in range(8)]
    high = low = 0
    for g in groups[:4]:
        high = high << 16 | g
    for g in groups[4:]:
        low = low << 16 | g
    return high, low


def address(rng, family, pool_v4, pool_v6):
    if family == 4:
        return "%08X" % (rng.choice(pool_v4) if pool_v4 and rng.random() < 0.8 else rng.getrandbits(32))
    high, low = rng.choice(pool_v6) if pool_v6 and rng.random() < 0.6 else random_v6(rng)
    return v6_text(high, low)


def expiry(rng):
    r = rng.random()
    if r < 0.8:
        return rng.choice([rng.randrange(0, 61), rng.randrange(0, 901), rng.randrange(0, 7300), rng.randrange(0, 9999999)])
    return rng.choice([18446744073709551, 2147483648, 2147483647, 4294967290, 8589934, 3599, 3600, 59, 0])


def kernel_row(rng, sync=False):
    """One row as %-3s %s %04X %s %04X %s %04X %-11s %7lu, in every shape the kernel prints."""
    kind = rng.randrange(100)
    fam_c = 6 if rng.random() < 0.15 else 4
    fam_d = fam_c if rng.random() < 0.8 else 10 - fam_c
    proto, state, pe = "TCP", rng.choice(TCP_STATES), b""
    cport = rng.randrange(1, 65536)
    vport = rng.choice([80, 443, 53, 5060, 0])
    dport = vport
    client = address(rng, fam_c, None, None)
    virtual = address(rng, fam_c, VIRTUALS_V4, VIRTUALS_V6)
    dest = address(rng, fam_d, DESTS_V4, DESTS_V6)
    if kind < 15:
        proto, state = "UDP", "UDP"
    elif kind < 20:
        proto, state = "SCTP", rng.choice(SCTP_STATES + ["NONE"])
    elif kind < 35:  # persistence template
        cport, state = 0, rng.choice(["NONE", "ASSURED"])
    elif kind < 40:  # firewall-mark template: the mark in ToIP, protocol IP, ports 0
        proto, cport, vport, dport, state = "IP", 0, 0, 0, rng.choice(["NONE", "ASSURED"])
        mark = rng.choice([1, 7, 100, 0xFFFFFFFF, rng.getrandbits(32)])
        virtual = "%08X" % mark if fam_c == 4 else v6_text(mark << 32, 0)
    elif kind < 45:  # invalidated template
        cport, vport, dport, state = 0, 0xFFFF, 0xFFFF, "NONE"
    elif kind < 50 and not sync:  # SIP persistence engine
        proto, cport, vport, dport, state = "UDP", 0, 5060, 5060, "NONE"
        pe = b" sip " + ("%x@10.0.0.%d" % (rng.getrandbits(40), rng.randrange(256))).encode()
    elif kind < 53:
        proto, state = rng.choice(["ICMP", "ICMPV6", "IP_50", "IP_51", "IP_17"]), "NONE"
    elif kind < 55:
        state = rng.choice(ODD_STATES)
    row = "%-3s %s %04X %s %04X %s %04X %-11s " % (proto, client, cport, virtual, vport, dest, dport, state)
    if sync:
        row += "%-6s %7d" % (rng.choice(["LOCAL", "SYNC"]), expiry(rng))
    else:
        row += "%7d" % expiry(rng)
    return row.encode() + pe


def bend(rng, row):
    """The kernel's row with its spacing, case, line end or content changed."""
    choice = rng.randrange(22)
    fields = row.split(b" ")
    fields = [f for f in fields if f]
    if choice == 0:
        return b"\t".join(fields)
    if choice == 1:
        return b"  ".join(fields) + b"   "
    if choice == 2:
        return row + b"\r"
    if choice == 3:
        return row.lower()
    if choice == 4:
        return b"  " + row
    if choice == 5:  # truncated anywhere
        return row[:rng.randrange(len(row))]
    if choice == 6:  # one byte changed
        i = rng.randrange(len(row))
        return row[:i] + bytes([rng.choice(b"0Fg:. \t\r\"\\\x00\x7f\x80\xc3\xff")]) + row[i + 1:]
    if choice == 7:  # PE data with spaces, quotes, control and non-UTF-8 bytes, trailing spaces
        data = bytes(rng.choice(b"ab \"\\\t\x01\x1f\x7f\xc3\xa9\xe2\x82\xac\xff\x80") for _ in range(rng.randrange(12)))
        return row + b" " + rng.choice([b"sip", b"s\xc3\xa9p", b"x"]) + rng.choice([b" ", b"\t", b""]) + data
    if choice == 8:  # a protocol name the kernel never prints
        name = rng.choice([b"tcp", b"Tcp", b"P", b"PROTO_LONG_NAME_HERE", b"\xc3\x89T", b"\xff", b"T\x01P", b"I\xe2\x84\xaaP", b"IP", b"Pro"])
        return name + b" " + b" ".join(fields[1:])
    if choice == 9:  # a state the kernel never prints
        fields[7] = rng.choice([b"established", b"Established", b"ST\x7fATE", b"\xc3\x89TAT", b"A_VERY_LONG_STATE_NAME_INDEED", b"x"])
        return b" ".join(fields)
    if choice == 10:  # an expiry past UInt64, negative, or not a number
        fields[8 if len(fields) > 8 else -1] = rng.choice([b"99999999999999999999999999", b"18446744073709551615",
                                                           b"18446744073709551616", b"-1", b"1e3", b"0x10", b"007"])
        return b" ".join(fields)
    if choice == 11:  # short IPv6 groups, an IPv6 address one group short or long
        return row.replace(b"0000:", b"0:", rng.randrange(1, 4)).replace(b":0db8", b":db8:1" if rng.random() < 0.3 else b":db8")
    if choice == 12:  # too few or too many fields
        return b" ".join(fields[:rng.randrange(1, len(fields))]) if rng.random() < 0.5 else row + b" extra more"
    if choice == 13:  # Origin column in a plain row, and bad origins
        return b" ".join(fields[:8] + [rng.choice([b"LOCAL", b"SYNC", b"local", b"REMOTE"])] + fields[8:9] + ([b"x"] if rng.random() < 0.2 else []))
    if choice == 14:  # a port or address of the wrong length
        i = rng.choice([1, 2, 3, 4, 5, 6])
        fields[i] = fields[i][:-1] if rng.random() < 0.5 else fields[i] + b"0"
        return b" ".join(fields)
    if choice == 15:
        return bytes(rng.getrandbits(8) for _ in range(rng.randrange(80)))
    if choice == 16:
        return rng.choice([b"", b"   ", b"\t", b"\r", HEADER[:-1], SYNC_HEADER[:-1], b"Pro", b"  Pro x"])
    if choice == 17:  # a field longer than an error message quotes, with UTF-8 cut at byte 48
        return fields[0] + b" " + (b"Z" * 47 + b"\xc3\xa9" + b"Z" * 30) + b" " + b" ".join(fields[2:])
    if choice == 18:  # NUL bytes inside fields
        return row.replace(b" ", b"\x00 ", 1)
    if choice == 19:  # hex of either case in every column
        return row.upper()
    return row


def main():
    kind, seed, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    out = sys.stdout.buffer
    out.write(SYNC_HEADER if kind == "sync" else HEADER)
    for _ in range(rows):
        row = kernel_row(rng, sync=kind == "sync")
        if kind == "wild" and rng.random() < 0.5:
            row = bend(rng, row)
        out.write(row + b"\n")
    if kind == "wild" and seed % 2 == 0:
        out.write(kernel_row(rng))  # a last line without its newline


if __name__ == "__main__":
    main()
