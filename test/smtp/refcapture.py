#!/usr/bin/python3
"""refcapture: play golden SMTP dialogues against the reference Sendmail 8.17.

Usage: refcapture.py [-w] NAME.in ...

Each NAME.in (format: test/smtp/README) is played against the reference
binary in stdin-SMTP mode (`sendmail -bs`) with a sendmail.cf generated
from the reference m4 tree for the dialogue's `!set` lines.  The server's
output is normalised (greeting date, queue ids, CRLF -> LF) and printed, or
with -w written to NAME.ref next to the input.  Inputs whose expected output
is ours by design (smuggling protections the reference lacks) carry
`!ours` and are skipped: their .ref files are written by hand.
"""
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import smtest  # noqa: E402  (test/lib: the reference's root and .mc preamble)

REFSENDMAIL = smtest.REFSM

MC = smtest.mc_head("{w}", "smtp golden", generic=True) + """define(`HELP_FILE', `{help}')dnl
define(`QUEUE_DIR', `{w}/mqueue')dnl
define(`confDELIVERY_MODE', `queueonly')dnl
define(`STATUS_FILE', `{w}/statistics')dnl
define(`confPID_FILE', `{w}/pid')dnl
define(`confAUTH_MECHANISMS', `')dnl
define(`confPRIVACY_FLAGS', `{privacy}')dnl
define(`confMAX_MESSAGE_SIZE', `{maxsize}')dnl
define(`confMAX_RCPTS_PER_MESSAGE', `{maxrcpts}')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
LOCAL_RULESETS
Ssrv_features
R$*	$#{features}
"""


def unescape(s):
    out = bytearray()
    i = 0
    b = s.encode("latin-1")
    while i < len(b):
        c = b[i]
        if c == 0x5C and i + 1 < len(b):
            n = chr(b[i + 1])
            if n == "r":
                out.append(13)
            elif n == "n":
                out.append(10)
            elif n == "0":
                out.append(0)
            elif n == "t":
                out.append(9)
            elif n == "\\":
                out.append(0x5C)
            elif n == "x":
                out.append(int(b[i + 2:i + 4], 16))
                i += 2
            else:
                raise ValueError("bad escape \\" + n)
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def parse(path):
    """Return (settings, steps); a step is (kind, bytes), kind in
    'line' (wait for a reply), 'early' (before the greeting), 'batch'."""
    settings = {}
    steps = []
    batch = None
    mode = None
    with open(path, encoding="latin-1") as f:
        for raw in f.read().split("\n")[:-1]:
            if raw.startswith("#"):
                continue
            if raw.startswith("!"):
                word, _, arg = raw[1:].partition(" ")
                if word == "set":
                    k, _, v = arg.partition("=")
                    settings[k] = v
                elif word in ("batch", "early"):
                    batch, mode = bytearray(), word
                elif word == "end":
                    steps.append((mode, bytes(batch)))
                    batch = None
                elif word == "raw":
                    data = unescape(arg)
                    if batch is not None:
                        batch += data
                    else:
                        steps.append(("raw", data))
                elif word == "ours":
                    settings["ours"] = "1"
                elif word == "expect":
                    pass
                else:
                    raise ValueError("%s: unknown directive %s" % (path, raw))
                continue
            data = unescape(raw) + b"\r\n"
            if batch is not None:
                batch += data
            else:
                steps.append(("line", data))
    return settings, steps


def make_cf(work, settings):
    root = smtest.ref_root_printed(check=True)
    for name, text in (("service.switch", "hosts files\n"),
                       ("hosts", "127.0.0.1 localhost\n127.0.0.2 example.org client.example.org\n"),
                       ("local-host-names", "vm.example.com\n")):
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    help_src = settings.get("helpfile", "helpfile")
    helpfile = os.path.join(work, "helpfile")
    if help_src == "stock":
        shutil.copy(os.path.join(root, "etc/mail/helpfile"), helpfile)
    elif help_src != "none":
        shutil.copy(os.path.join(HERE, "golden", help_src), helpfile)
    os.mkdir(os.path.join(work, "mqueue"), 0o700)
    mc = MC.format(w=work, help=helpfile,
                   privacy=settings.get("privacy", "authwarnings"),
                   maxsize=settings.get("maxsize", "0"),
                   maxrcpts=settings.get("maxrcpts", "0"),
                   features=settings.get("features", "").replace(",", " "))
    mcpath = os.path.join(work, "x.mc")
    with open(mcpath, "w") as f:
        f.write(mc)
    out = smtest.m4_cf(os.path.join(root, smtest.REF_CF), mcpath, check=True)
    cf = os.path.join(work, "x.cf")
    with open(cf, "wb") as f:
        f.write(out.stdout)
    return cf


class Peer:
    def __init__(self, cf):
        self.p = subprocess.Popen([REFSENDMAIL, "run", "sendmail", "-C", cf, "-bs"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        self.out = bytearray()

    def read_for(self, quiet, limit, want_final=False):
        """Read until quiet seconds pass with no data, or a new final reply
        arrived (want_final), or limit seconds in total."""
        start = time.time()
        seen = len(self.out)
        while time.time() - start < limit:
            r, _, _ = select.select([self.p.stdout], [], [], quiet)
            if not r:
                if not want_final:
                    return
                continue
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                return
            self.out += chunk
            if want_final and re.search(rb"(^|\n)\d{3} [^\n]*\n", bytes(self.out[seen:])):
                self.read_for(0.05, 0.5)
                return

    def send(self, data):
        try:
            self.p.stdin.write(data)
            self.p.stdin.flush()
        except BrokenPipeError:
            pass


def play(path):
    settings, steps = parse(path)
    work = tempfile.mkdtemp(prefix="smtpref.", dir="/tmp")
    try:
        cf = make_cf(work, settings)
        peer = Peer(cf)
        early = [d for k, d in steps if k == "early"]
        if early:
            peer.send(b"".join(early))
        peer.read_for(0.1, 5, want_final=True)
        in_data = False
        for kind, data in steps:
            if kind == "early":
                continue
            peer.send(data)
            if kind == "batch" or (in_data and kind == "raw"):
                peer.read_for(0.4, 5)
            elif in_data and data not in (b".\r\n",):
                continue
            else:
                peer.read_for(0.4, 5, want_final=True)
            tail = bytes(peer.out).split(b"\r\n")
            last = [t for t in tail if re.match(rb"\d{3} ", t)]
            in_data = bool(last) and last[-1].startswith(b"354 ")
        try:
            peer.p.stdin.close()
        except BrokenPipeError:
            pass
        peer.read_for(0.2, 5)
        peer.p.wait(timeout=10)
        return normalise(bytes(peer.out))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def normalise(out):
    text = out.decode("latin-1").replace("\r\n", "\n")
    text = re.sub(r"^(220 \S+ ESMTP [^;]*;) .*$", r"\1 DATE", text, flags=re.M)
    ids = {}

    def qid(m):
        ids.setdefault(m.group(2), "QID%05d" % (len(ids) + 1))
        return m.group(1) + ids[m.group(2)] + m.group(3)
    text = re.sub(r"^(250 2\.0\.0 )([0-9A-Za-z]{14})( Message accepted)", qid, text, flags=re.M)
    return text


def main():
    write = "-w" in sys.argv[1:]
    for path in [a for a in sys.argv[1:] if a != "-w"]:
        settings, _ = parse(path)
        if "ours" in settings:
            print("skip (ours): " + path, file=sys.stderr)
            continue
        text = play(path)
        if write:
            with open(path[:-3] + ".ref", "w", encoding="latin-1") as f:
                f.write(text)
            print("wrote " + path[:-3] + ".ref", file=sys.stderr)
        else:
            sys.stdout.write(text)


if __name__ == "__main__":
    main()
