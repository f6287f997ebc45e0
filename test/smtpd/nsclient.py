#!/usr/bin/python3
"""nsclient: the client half of a daemon comparison, run inside the namespace.

refdaemon.py starts one `test/lib/refsendmail run /bin/sh -c ...` per side;
inside that private network/mount namespace the shell runs:

  nsclient.py syslog SOCKET OUT     a syslog(3) listener: a Unix datagram
                                    socket at SOCKET (bind-mounted over
                                    /dev/log later); every datagram is
                                    appended to OUT, one line each, until
                                    SIGTERM
  nsclient.py play SCRIPTS OUT PORT play every session script of SCRIPTS
                                    (JSON) against 127.0.0.1:PORT and write
                                    the replies to OUT (JSON)

A script is {"name", "src", "steps"}: src is the client's source address
(any 127.x.y.z is local on lo); each step is a command line (sent with
CRLF, then one complete reply is read), or {"data": TEXT}: the message
text sent after a 354 (skipped when DATA was not answered 354), ended by
CRLF.CRLF, or {"raw": BYTES, "reply": BOOL}: bytes sent as they are
(latin-1), then one reply read unless reply is false, {"sleep": SECONDS},
or "<close>": the
client drops the connection there.  The replies of a script are a list of [step, [lines]]; the
first entry is the greeting ("<greeting>").  A closed connection is the
reply ["<closed>"].  Scripts are played one after the other.
"""
import json
import os
import signal
import socket
import sys
import time


def wait_port(port, limit=20):
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.settimeout(5)
            try:
                s.recv(4096)
                s.sendall(b"QUIT\r\n")
                s.recv(4096)
            except OSError:
                pass
            s.close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


class Conn:
    def __init__(self, src, port):
        self.s = socket.socket()
        self.s.settimeout(15)
        self.s.bind((src, 0))
        self.s.connect(("127.0.0.1", port))
        self.buf = b""
        self.closed = False

    def reply(self):
        lines = []
        while True:
            while b"\n" not in self.buf:
                try:
                    chunk = self.s.recv(65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    self.closed = True
                    return lines or ["<closed>"]
                self.buf += chunk
            line, self.buf = self.buf.split(b"\n", 1)
            line = line.rstrip(b"\r").decode("latin-1")
            lines.append(line)
            if len(line) < 4 or line[3] != "-":
                return lines

    def send(self, data):
        try:
            self.s.sendall(data)
        except OSError:
            self.closed = True


def play_one(script, port):
    out = []
    try:
        c = Conn(script["src"], port)
    except OSError as e:
        return [["<connect>", ["<error %s>" % e]]]
    out.append(["<greeting>", c.reply()])
    last = out[-1][1]
    for step in script["steps"]:
        if c.closed:
            break
        if step == "<close>":
            c.s.close()
            out.append([step, []])
            return out
        if isinstance(step, dict) and "sleep" in step:
            time.sleep(step["sleep"])
            continue
        if isinstance(step, dict) and "raw" in step:
            c.send(step["raw"].encode("latin-1"))
            if step.get("reply", True):
                last = c.reply()
                out.append(["<raw>", last])
            else:
                out.append(["<raw>", []])
            continue
        if isinstance(step, dict):
            if not last or not last[-1].startswith("354"):
                continue
            text = step["data"].replace("\r\n", "\n").replace("\n", "\r\n")
            if text and not text.endswith("\r\n"):
                text += "\r\n"
            c.send(text.encode("latin-1") + b".\r\n")
            last = c.reply()
            out.append(["<data>", last])
            continue
        c.send(step.encode("latin-1") + b"\r\n")
        last = c.reply()
        out.append([step, last])
    if not c.closed:
        c.send(b"QUIT\r\n")
        try:
            c.s.settimeout(5)
            c.reply()
        except OSError:
            pass
    c.s.close()
    return out


def play(scripts_path, out_path, port):
    with open(scripts_path) as f:
        scripts = json.load(f)
    if not wait_port(port):
        with open(out_path, "w") as f:
            json.dump({"error": "daemon did not listen"}, f)
        return 1
    t0 = time.time()
    results = {}
    for sc in scripts:
        results[sc["name"]] = play_one(sc, port)
    with open(out_path, "w") as f:
        json.dump({"results": results, "seconds": time.time() - t0}, f)
    return 0


def syslog(sock_path, out_path):
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    try:
        os.unlink(sock_path)
    except OSError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(sock_path)
    os.chmod(sock_path, 0o666)
    s.settimeout(0.2)
    with open(out_path, "ab", buffering=0) as f:
        while not stop:
            try:
                d = s.recv(65536)
            except socket.timeout:
                continue
            except InterruptedError:
                continue
            f.write(d.rstrip(b"\0\n").replace(b"\n", b" ") + b"\n")
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "syslog":
        return syslog(argv[2], argv[3])
    if len(argv) == 5 and argv[1] == "play":
        return play(argv[2], argv[3], int(argv[4]))
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
