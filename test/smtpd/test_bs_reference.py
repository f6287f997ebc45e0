"""-bs against the reference Sendmail 8.17: same .mc, same scripts, same reply codes.

The .mc is built by the reference m4 tree for the reference binary and by
ours for ours (hosts-file resolution, access_db with From:/To: entries,
queue-only delivery).  Each script is played line by line (waiting for
each reply) under test/lib/refsendmail run, for both; the reply codes
and enhanced codes must match line for line.  Local-user recipients are
left out: the reference looks users up through NSS inside its private
namespaces, which can stall.  Skipped when the reference is unavailable.
"""
import os
import re
import select
import subprocess
import sys
import time

import pytest

from conftest import SENDMAIL, TOP

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import smtest  # noqa: E402  (test/lib: the reference's root and .mc preamble)

REFSM = smtest.REFSM

MC = smtest.mc_head("{d}", generic=True) + """define(`QUEUE_DIR', `{d}/mqueue')dnl
define(`confDELIVERY_MODE', `queueonly')dnl
define(`STATUS_FILE', `{d}/statistics')dnl
define(`ALIAS_FILE', `{d}/aliases')dnl
define(`confPID_FILE', `{d}/pid')dnl
define(`confAUTH_MECHANISMS', `')dnl
FEATURE(`access_db', `hash -T<TMPF> {d}/access')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""

ACCESS = """From:spam.com REJECT
From:nocode.com ERROR:5.7.0:go away
From:later.com ERROR:4.2.0:"450 try later"
From:disc.com DISCARD
From:ok.com OK
"""

SCRIPTS = [
    ["EHLO client", "MAIL FROM:<a@spam.com>", "MAIL FROM:<a@nocode.com>",
     "MAIL FROM:<a@later.com>", "MAIL FROM:<a@ok.com>", "QUIT"],
    ["EHLO client", "MAIL FROM:<a@b.example>", "MAIL FROM:<a@ok.com>",
     "RCPT TO:<a<b>", "RCPT TO:<a@@b>", "RCPT TO:<x@remote.example>", "RCPT TO:<x@ok.com>",
     "DATA", "QUIT"],
    ["HELO client", "MAIL FROM:<>", "RCPT TO:<x@remote.example> NOTIFY=BOGUS",
     "RCPT TO:<x@remote.example> ORCPT=bad", "RCPT TO:<x@ok.com> NOTIFY=NEVER", "RSET",
     "MAIL FROM:<a@ok.com> SIZE=100 BODY=8BITMIME RET=HDRS ENVID=x", "QUIT"],
    ["EHLO client", "MAIL FROM:<a@disc.com>", "RCPT TO:<x@remote.example>", "DATA",
     "Subject: x", "", "body", ".", "QUIT"],
    ["EHLO client", "MAIL FROM:<\"quoted user\"@ok.com>", "RCPT TO:<@ok.com:x@remote.example>",
     "RCPT TO:<remote.example!x>", "RCPT TO:<x%remote.example@ok.com>", "QUIT"],
]


def make_side(d, cfdir, makemap):
    os.makedirs(os.path.join(d, "mqueue"), 0o700)
    for name, text in (("service.switch", "hosts files\n"),
                       ("hosts", "127.0.0.1 localhost\n" + "".join(
                           "10.0.0.%d %s\n" % (i + 1, h) for i, h in enumerate(
                               ("ok.com", "spam.com", "nocode.com", "later.com", "disc.com",
                                "remote.example")))),
                       ("local-host-names", "vm.example.com\n"), ("statistics", ""),
                       ("aliases", "postmaster: root\n"), ("access", ACCESS)):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    with open(os.path.join(d, "x.mc"), "w") as f:
        f.write(MC.format(d=d))
    cf = os.path.join(d, "x.cf")
    out = smtest.m4_cf(cfdir, os.path.join(d, "x.mc"), check=True).stdout
    with open(cf, "wb") as f:
        f.write(out)
    for m in ("access", "aliases"):
        with open(os.path.join(d, m), "rb") as f:
            subprocess.run([makemap, "-C", cf, "hash", os.path.join(d, m)], stdin=f,
                           capture_output=True)
    return cf


def play(binary, cf, script, extra=()):
    p = subprocess.Popen([REFSM, "run", binary, "-C", cf] + list(extra) + ["-bs"],
                         stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = b""

    def wait_reply(limit=15):
        nonlocal out
        start = time.time()
        seen = len(out)
        while time.time() - start < limit:
            r, _, _ = select.select([p.stdout], [], [], 0.2)
            if r:
                chunk = os.read(p.stdout.fileno(), 65536)
                if not chunk:
                    return
                out += chunk
                if re.search(rb"(^|\n)\d{3} [^\n]*\n", out[seen:]):
                    return

    wait_reply()
    in_data = False
    for line in script:
        p.stdin.write(line.encode() + b"\r\n")
        p.stdin.flush()
        if in_data and line != ".":
            continue
        in_data = line == "DATA"
        wait_reply()
    p.stdin.close()
    p.wait(timeout=20)
    codes = []
    for l in out.decode("latin-1").splitlines():
        m = re.match(r"(\d{3})[ -](\d\.\d+\.\d+)?", l)
        if m and l[3:4] == " ":
            codes.append((m.group(1), m.group(2)))
    return codes


@pytest.fixture(scope="module")
def cfs(tmp_path_factory):
    root = smtest.ref_root_or_skip("reference not available", timeout=120)
    base = str(tmp_path_factory.mktemp("bsref"))
    os.chmod(base, 0o755)
    ours = make_side(os.path.join(base, "ours"), os.path.join(TOP, "cf"),
                 os.path.join(TOP, "build/bin/makemap"))
    ref = make_side(os.path.join(base, "ref"), os.path.join(root, "usr/share/sendmail/cf"),
                os.path.join(root, "usr/libexec/sendmail/makemap"))
    return ours, ref, os.path.join(root, "usr/libexec/sendmail/sendmail")


@pytest.mark.parametrize("n", range(len(SCRIPTS)))
def test_same_reply_codes(cfs, n):
    ours, ref, refbin = cfs
    got = play(SENDMAIL, ours, SCRIPTS[n])
    want = play(refbin, ref, SCRIPTS[n])
    assert len(want) >= len([l for l in SCRIPTS[n] if l]) - 3, want
    assert got == want


TRAFFIC_SCRIPT = ["EHLO client", "MAIL FROM:<a@ok.com>", "RCPT TO:<x@remote.example>",
                  "RCPT TO:<bad", "DATA", "Subject: x", "", "body", ".", "NOOP", "QUIT"]


def traffic(binary, cf, script=TRAFFIC_SCRIPT, extra=()):
    log = os.path.join(os.path.dirname(cf), "traffic.log")
    if os.path.exists(log):
        os.unlink(log)
    play(binary, cf, script, ["-X", log] + list(extra))
    with open(log, "rb") as f:
        text = f.read().decode("latin-1")
    # Pids, dates and queue ids differ from run to run.
    text = re.sub(r"(?m)^\d{5,} ", "PID ", text)
    text = re.sub(r"\w{3}, \d+ \w{3} \d{4} [\d:]+ (GMT|[+-]\d{4})", "DATE", text)
    return re.sub(r"\b[0-9A-Za-z]{8}\d{6}\b", "QID", text)


def test_traffic_log_same_as_reference(cfs):
    ours, ref, refbin = cfs
    want = traffic(refbin, ref)
    assert "PID <<< EHLO client\r\n" in want and "PID >>> 250 " in want, want
    assert traffic(SENDMAIL, ours) == want


@pytest.mark.parametrize("mode", ["q", "d", "i"])
def test_will_queue_only_for_deferred_lookups(cfs, mode):
    """"Recipient ok (will queue)" is 8.17's answer for a recipient whose
    lookup was deferred: in DeliveryMode=defer the host map is not asked
    (x@remote.example), an address literal needs no lookup; queue-only
    mode looks everything up and says plain "Recipient ok"."""
    ours, ref, refbin = cfs
    script = ["EHLO client", "MAIL FROM:<a@ok.com>", "RCPT TO:<x@remote.example>",
              "RCPT TO:<x@[10.0.0.6]>", "QUIT"]
    want = traffic(refbin, ref, script, ["-od" + mode])
    got = traffic(SENDMAIL, ours, script, ["-od" + mode])
    assert got == want
    assert ("x@remote.example>... Recipient ok (will queue)" in got) == (mode == "d"), got
    assert "<x@[10.0.0.6]>... Recipient ok\n" in got


def queued(cf):
    """The qf files -bs left in cf's queue, masked, and the queue emptied."""
    out = []
    qdir = os.path.join(os.path.dirname(cf), "mqueue")
    for name in sorted(os.listdir(qdir)):
        path = os.path.join(qdir, name)
        if name.startswith("qf"):
            with open(path, encoding="latin-1") as f:
                text = f.read()
            text = re.sub(r"\b[0-9A-Za-z]{8}\d{6}\b", "QID", text)
            text = re.sub(r"(?m)^T\d+$", "T", text)
            text = re.sub(r"<\d{12}\.QID@", "<DATE.QID@", text)
            out.append(re.sub(r"\w{3}, \d+ \w{3} \d{4} [\d:]+ (GMT|[+-]\d{4})", "DATE", text))
        os.unlink(path)
    return out


def test_message_without_helo_queued_as_reference(cfs):
    """-bs without HELO: 8.17's X-Authentication-Warning header, $s localhost,
    "from localhost" in Received:, byte for byte once ids and dates are masked."""
    ours, ref, refbin = cfs
    script = ["MAIL FROM:<a@ok.com>", "RCPT TO:<x@remote.example>", "DATA", "Subject: x", "",
              "body", ".", "QUIT"]
    queued(ours), queued(ref)
    play(refbin, ref, script)
    play(SENDMAIL, ours, script)
    want, got = queued(ref), queued(ours)
    assert len(want) == 1 and "didn't use HELO protocol" in want[0], want
    assert got == want
