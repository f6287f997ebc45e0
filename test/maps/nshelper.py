"""Run a program next to small test servers, inside the namespace wrapper.

    test/lib/refsendmail run /usr/bin/python3 test/maps/nshelper.py \
        [--unix PATH] [--inet PORT] [--dns] [--resolv FILE] -- PROGRAM ARGS...

Started by test/lib/refsendmail (private network namespace, loopback up,
host name vm.example.com), this process starts the servers asked for on
the namespace's own loopback, waits until they listen, then runs PROGRAM
with our stdin/stdout/stderr and exits with its status.  Used by the
socket and dns map tests so the same servers answer the reference's
sendmail and ours.

Socket map server (Sendmail's socketmap protocol: a netstring request
"MAPNAME KEY", a netstring reply "STATUS DATA"), answering by key:
    temp / perm / timeout   TEMP / PERM / TIMEOUT with a reason
    nf...                   NOTFOUND
    weird                   an unknown status word
    badlen                  a malformed netstring
    close                   closes the connection without a reply
    slow                    answers after 3 seconds
    empty                   "OK" with an empty value
    long                    "OK" and 2000 bytes
    anything else           "OK req=[MAPNAME KEY] n=N" (N counts the
                            requests seen on this connection)

DNS server (--dns): UDP on 127.0.0.1:53 for the resolver's default
server; see _zone() for the records.  Names not in the zone get
NXDOMAIN, "servfail.example" gets SERVFAIL, "drop.example" no answer.
"""
import os
import socket
import struct
import subprocess
import sys
import threading
import time


def netstring(data):
    return b"%d:%s," % (len(data), data)


def read_netstring(conn):
    """One netstring from conn, or None at EOF or on a bad one."""
    head = b""
    while not head.endswith(b":"):
        c = conn.recv(1)
        if not c or len(head) > 10:
            return None
        head += c
    n = int(head[:-1])
    data = b""
    while len(data) < n + 1:
        c = conn.recv(n + 1 - len(data))
        if not c:
            return None
        data += c
    return data[:-1]


def socketmap_reply(req, count):
    name, _, key = req.partition(b" ")
    k = key.lower()
    if k == b"temp":
        return netstring(b"TEMP temporary reason")
    if k == b"perm":
        return netstring(b"PERM permanent reason")
    if k == b"timeout":
        return netstring(b"TIMEOUT timed out")
    if k.startswith(b"nf"):
        return netstring(b"NOTFOUND ")
    if k == b"weird":
        return netstring(b"WEIRD x")
    if k == b"badlen":
        return b"99:OK short,"
    if k == b"close":
        return None
    if k == b"slow":
        time.sleep(3)
    if k == b"empty":
        return netstring(b"OK ")
    if k == b"long":
        return netstring(b"OK " + b"x" * 2000)
    return netstring(b"OK req=[%s] n=%d" % (req, count))


def serve_socketmap(conn):
    count = 0
    with conn:
        while True:
            req = read_netstring(conn)
            if req is None:
                return
            count += 1
            reply = socketmap_reply(req, count)
            if reply is None:
                return
            conn.sendall(reply)


def accept_loop(srv, handler):
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handler, args=(conn,), daemon=True).start()


# ---- DNS ----

def _name(n):
    out = b""
    for label in n.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def _zone():
    a = lambda ip: socket.inet_aton(ip)
    aaaa = lambda ip: socket.inet_pton(socket.AF_INET6, ip)
    mx = lambda pref, host: struct.pack("!H", pref) + _name(host)
    txt = lambda *parts: b"".join(bytes([len(p)]) + p for p in parts)
    return {
        "host.example": {1: [a("192.0.2.1")], 28: [aaaa("2001:db8::1")]},
        "multi.example": {1: [a("192.0.2.2"), a("192.0.2.3"), a("192.0.2.4")]},
        "mx.example": {15: [mx(20, "mx2.example"), mx(10, "mx1.example")],
                       1: [a("192.0.2.5")]},
        "mx1.example": {1: [a("192.0.2.11")]},
        "mx2.example": {1: [a("192.0.2.12")]},
        "text.example": {16: [txt(b"v=spf1 -all"), txt(b"part one ", b"part two")]},
        "alias.example": {5: [_name("host.example")]},
        "ns.example": {2: [_name("ns1.example"), _name("ns2.example")]},
        "srv.example": {33: [struct.pack("!HHH", 1, 2, 25) + _name("target.example")]},
        "1.2.0.192.in-addr.arpa": {12: [_name("host.example")]},
        "nodata.example": {1: []},
        "key.dom.example": {1: [a("192.0.2.99")], 16: [txt(b"with -B")]},
    }


def dns_answer(query, zone):
    qid, flags, qd = struct.unpack("!HHH", query[:6])
    i, labels = 12, []
    while query[i]:
        labels.append(query[i + 1:i + 1 + query[i]].decode().lower())
        i += 1 + query[i]
    qtype, qclass = struct.unpack("!HH", query[i + 1:i + 5])
    question = query[12:i + 5]
    name = ".".join(labels)
    rd = flags & 0x0100
    if name == "drop.example":
        return None
    if name == "servfail.example":
        return struct.pack("!HHHHHH", qid, 0x8182 | rd, 1, 0, 0, 0) + question
    recs = zone.get(name)
    if recs is None:
        return struct.pack("!HHHHHH", qid, 0x8583 | rd, 1, 0, 0, 0) + question
    answers = []
    rtype = qtype
    if qtype not in recs and 5 in recs:
        rtype = 5
    for rdata in recs.get(rtype, []):
        answers.append(b"\xc0\x0c" + struct.pack("!HHIH", rtype, 1, 300, len(rdata)) + rdata)
    head = struct.pack("!HHHHHH", qid, 0x8580 | rd, 1, len(answers), 0, 0)
    return head + question + b"".join(answers)


def serve_dns(sock):
    zone = _zone()
    while True:
        data, addr = sock.recvfrom(4096)
        try:
            reply = dns_answer(data, zone)
        except (IndexError, struct.error, UnicodeDecodeError):
            continue
        if reply is not None:
            sock.sendto(reply, addr)


def main(argv):
    sep = argv.index("--")
    opts, cmd = argv[1:sep], argv[sep + 1:]
    i = 0
    while i < len(opts):
        if opts[i] == "--unix":
            path = opts[i + 1]
            if os.path.exists(path):
                os.unlink(path)
            srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            srv.bind(path)
            srv.listen(16)
            threading.Thread(target=accept_loop, args=(srv, serve_socketmap), daemon=True).start()
            i += 2
        elif opts[i] == "--inet":
            srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(("127.0.0.1", int(opts[i + 1])))
            srv.listen(16)
            threading.Thread(target=accept_loop, args=(srv, serve_socketmap), daemon=True).start()
            i += 2
        elif opts[i] == "--resolv":
            # a private resolv.conf (the wrapper's mount namespace is ours)
            subprocess.run(["mount", "--bind", opts[i + 1], "/etc/resolv.conf"], check=True)
            i += 2
        elif opts[i] == "--dns":
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 53))
            threading.Thread(target=serve_dns, args=(sock,), daemon=True).start()
            i += 1
        else:
            raise SystemExit("nshelper: unknown option " + opts[i])
    sys.stdout.flush()
    r = subprocess.run(cmd)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
