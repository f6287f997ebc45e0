"""mail.local: delivery into a private spool, locking, LMTP, failures.

Our mail.local runs unprivileged (or as whoever runs the tests) with
MAIL_LOCAL_SPOOL pointing at a temp dir and delivers to the invoking user.
Differential tests against the reference mail.local need root (it writes
/var/mail, bound to a temp dir in a private namespace) and are skipped
otherwise.  Known, intended differences from Debian's build: it adds a
Content-Length: header and escapes only a "From " line at the very start;
we add no header and escape every line that starts with "From ".
"""
import fcntl
import mailbox
import os
import pwd
import re
import resource
import signal
import socket
import stat
import subprocess
import time

import pytest

from ldtools import needs_ns, me, ours, ref, run_bound

FROM_LINE = re.compile(rb"^From (\S*) (Mon|Tue|Wed|Thu|Fri|Sat|Sun) "
                       rb"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d "
                       rb"\d\d:\d\d:\d\d \d{4}$")


@pytest.fixture
def spool(tmp_path):
    d = tmp_path / "spool"
    d.mkdir()
    (tmp_path / "tmp").mkdir()
    return d


def env_for(spool):
    return {"MAIL_LOCAL_SPOOL": str(spool), "TMPDIR": str(spool.parent / "tmp"),
            "PATH": "/usr/bin:/bin", "TZ": "UTC"}


def deliver(spool, args, data, preexec_fn=None, timeout=30):
    return subprocess.run([ours("mail.local")] + args, input=data, capture_output=True,
                          env=env_for(spool), preexec_fn=preexec_fn, timeout=timeout)


def box(spool, user=None):
    return spool / (user or me())


def test_delivery_format(spool):
    msg = (b"Subject: hi\n\nbody\nFrom me\n\nFrom you\n>From x\nFrom\n.\nlast")
    r = deliver(spool, ["-f", "bob@example.com", me()], msg)
    assert r.returncode == 0, r.stderr
    data = box(spool).read_bytes()
    first, rest = data.split(b"\n", 1)
    m = FROM_LINE.match(first)
    assert m and m.group(1) == b"bob@example.com", first
    assert rest == (b"Subject: hi\n\nbody\n>From me\n\n>From you\n>From x\nFrom\n.\nlast\n\n")
    st = box(spool).stat()
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert st.st_uid == os.getuid()
    assert not (spool / (me() + ".lock")).exists()


def test_from_line_variants(spool):
    deliver(spool, [me()], b"x\n")
    deliver(spool, ["-r", "", me()], b"y\n")
    deliver(spool, ["-d", "-7", "-b", "-D", "pw", "-f", "a@b", me()], b"From z\n")
    lines = box(spool).read_bytes().split(b"\n")
    assert lines[0].startswith(b"From %s " % me().encode())
    assert lines[3].startswith(b"From  ")  # empty sender, as the reference
    assert lines[6].startswith(b"From a@b ")
    assert lines[7] == b">From z"


def test_empty_message(spool):
    assert deliver(spool, ["-f", "a", me()], b"").returncode == 0
    data = box(spool).read_bytes()
    assert FROM_LINE.match(data.split(b"\n")[0])
    assert data.endswith(b"\n\n") and data.count(b"\n") == 2


def test_messages_read_back_with_mailbox_module(spool):
    bodies = [b"Subject: m%d\n\nline one\nFrom the start\n\nFrom again\nend %d\n" % (i, i)
              for i in range(3)]
    for b in bodies:
        assert deliver(spool, ["-f", "s@x", me()], b).returncode == 0
    mb = mailbox.mbox(str(box(spool)), create=False)
    msgs = list(mb)
    assert len(msgs) == 3
    for i, m in enumerate(msgs):
        assert m["Subject"] == "m%d" % i
        assert m.get_from().startswith("s@x ")
        assert m.get_payload() == ("line one\n>From the start\n\n>From again\nend %d\n" % i)


def test_twenty_parallel_deliveries(spool):
    procs = []
    for i in range(20):
        body = b"".join(b"msg %d line %d %s\n" % (i, k, b"x" * 200) for k in range(400))
        data = b"Subject: p%d\nX-Seq: %d\n\n%sFrom inside\n" % (i, i, body)
        p = subprocess.Popen([ours("mail.local"), "-f", "p%d@x" % i, me()],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env_for(spool))
        procs.append((p, data))
    for p, data in procs:
        p.stdin.write(data)
        p.stdin.close()
    for p, _ in procs:
        assert p.wait(timeout=60) == 0, p.stderr.read()
    msgs = list(mailbox.mbox(str(box(spool)), create=False))
    assert len(msgs) == 20
    seen = set()
    for m in msgs:
        i = int(m["X-Seq"])
        seen.add(i)
        lines = m.get_payload().split("\n")
        assert lines[:400] == ["msg %d line %d %s" % (i, k, "x" * 200) for k in range(400)]
        assert lines[400:] == [">From inside", ""]
        assert m.get_from().startswith("p%d@x " % i)
    assert seen == set(range(20))


def test_unknown_user(spool):
    r = deliver(spool, ["-f", "a", "nosuchuser_xyz", me()], b"hello\n")
    assert r.returncode == 69
    assert r.stderr == b"mail.local: nosuchuser_xyz: User unknown\n"
    assert box(spool).read_bytes().count(b"hello\n") == 1
    r = deliver(spool, ["../../etc/passwd"], b"x\n")
    assert r.returncode == 69 and b"User unknown" in r.stderr


@pytest.mark.parametrize("args,rc,err", [
    ([], 69, b"mail.local: usage: mail.local [-7] [-b] [-d] [-l] [-f from|-r from] "
             b"[-h filename] user ...\n"),
    (["-f", "a", "-r", "b", "u"], 69, b"mail.local: Multiple -f options\nmail.local: usage: "),
    (["-D", "ldap", "u"], 69, b"mail.local: Can not open mailbox database ldap: "
                              b"Service unavailable\n"),
    (["-s", "u"], 69, b"invalid option -- 's'\nmail.local: usage: "),
])
def test_usage_errors(spool, args, rc, err):
    r = deliver(spool, args, b"x\n")
    assert r.returncode == rc
    assert err in r.stderr
    assert list(spool.iterdir()) == []


def test_lmtp_with_users_refused(spool):
    r = deliver(spool, ["-l", me()], b"")
    assert r.returncode == 75
    assert r.stdout == b"421 Users should not be specified in command line if LMTP required\r\n"


@pytest.mark.parametrize("kind", ["symlink", "hardlink", "directory", "fifo"])
def test_unsafe_mailbox_refused(spool, tmp_path, kind):
    target = tmp_path / "target"
    target.write_bytes(b"")
    path = box(spool)
    if kind == "symlink":
        os.symlink(str(target), str(path))
        want = b"irregular file"
    elif kind == "hardlink":
        os.link(str(target), str(path))
        want = b"too many links"
    elif kind == "directory":
        path.mkdir()
        want = b"too many links"
    else:
        os.mkfifo(str(path))
        want = b"irregular file"
    r = deliver(spool, ["-f", "a", me()], b"x\n", timeout=10)
    assert r.returncode == 69
    assert r.stderr == b"mail.local: %s: %s\n" % (str(path).encode(), want)
    assert target.read_bytes() == b""


def _limit_fsize(limit):
    def f():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return f


@pytest.mark.parametrize("flags", [[], ["-b"]])
def test_file_too_large_truncates_back(spool, flags):
    for i in range(2):
        assert deliver(spool, ["-f", "a", me()], b"x" * 1500 + b"\n").returncode == 0
    before = box(spool).read_bytes()
    assert len(before) > 3000
    r = deliver(spool, flags + ["-f", "a", me()], b"y" * 2000 + b"\n",
                preexec_fn=_limit_fsize(len(before) + 1000))
    assert r.returncode == 75, r.stderr
    assert r.stderr == b"mail.local: Write %s: File too large\n" % str(box(spool)).encode()
    assert box(spool).read_bytes() == before


def test_stale_dot_lock_is_removed(spool):
    lock = spool / (me() + ".lock")
    lock.write_text("99999\n")
    old = time.time() - 600
    os.utime(str(lock), (old, old))
    r = deliver(spool, ["-f", "a", me()], b"x\n", timeout=20)
    assert r.returncode == 0
    assert not lock.exists()
    assert box(spool).exists()


def test_fresh_dot_lock_is_waited_for(spool):
    lock = spool / (me() + ".lock")
    lock.write_text("1\n")
    p = subprocess.Popen([ours("mail.local"), "-f", "a", me()], stdin=subprocess.PIPE,
                         env=env_for(spool))
    p.stdin.write(b"x\n")
    p.stdin.close()
    time.sleep(1.0)
    assert p.poll() is None and not box(spool).exists()
    lock.unlink()
    assert p.wait(timeout=20) == 0
    assert box(spool).read_bytes().endswith(b"\nx\n\n")


def test_fcntl_lock_is_respected(spool):
    path = box(spool)
    path.write_bytes(b"")
    os.chmod(str(path), 0o600)
    with open(str(path), "r+b") as f:
        fcntl.lockf(f, fcntl.LOCK_EX)
        p = subprocess.Popen([ours("mail.local"), "-f", "a", me()], stdin=subprocess.PIPE,
                             env=env_for(spool))
        p.stdin.write(b"x\n")
        p.stdin.close()
        time.sleep(1.0)
        assert p.poll() is None and path.read_bytes() == b""
        # A holder of the lock may append safely meanwhile.
        f.seek(0, 2)
        f.write(b"From other Thu Jan  1 00:00:00 1970\nmine\n\n")
        f.flush()
        fcntl.lockf(f, fcntl.LOCK_UN)
    assert p.wait(timeout=20) == 0
    msgs = list(mailbox.mbox(str(path), create=False))
    assert [m.get_payload() for m in msgs] == ["mine\n", "x\n"]


def lmtp(spool, script, args=()):
    return deliver(spool, ["-l"] + list(args), script)


def test_lmtp_dialogue(spool):
    u = me()
    script = ("LHLO client\r\nMAIL FROM:<a@b> SIZE=10\r\nRCPT TO:<%s>\r\n"
              "RCPT TO:<nosuchuser_xyz>\r\nRCPT TO:<%s+detail@some.domain>\r\n"
              "DATA\r\nSubject: t\r\n\r\nFrom x\r\n..dot\r\n.\r\n"
              "RSET\r\nNOOP\r\nVRFY %s\r\nFOO\r\nLHLO again\r\n"
              "MAIL FROM:<>\r\nDATA\r\nRCPT TO:%s\r\nMAIL FROM:<y>\r\nQUIT\r\n"
              % (u, u, u, u)).encode()
    r = lmtp(spool, script)
    host = socket.gethostname().encode()
    assert r.returncode == 0
    assert r.stdout.split(b"\r\n") == [
        b"220 %s LMTP ready" % host, b"250-%s" % host, b"250-8BITMIME",
        b"250-ENHANCEDSTATUSCODES", b"250 PIPELINING", b"250 2.5.0 Ok", b"250 2.1.5 Ok",
        b"550 5.1.1 User unknown", b"250 2.1.5 Ok", b"354 Go ahead",
        b"250 2.1.5 %s Ok" % u.encode(), b"250 2.1.5 %s Ok" % u.encode(),
        b"250 2.0.0 Ok", b"250 2.0.0 Ok", b"252 2.3.3 Try RCPT to attempt delivery",
        b"500 5.5.2 Syntax error", b"503 %s Duplicate LHLO" % host, b"250 2.5.0 Ok",
        b"503 5.5.1 No recipients", b"501 5.5.4 Syntax error in parameters",
        b"503 5.5.1 Nested MAIL command", b"221 2.0.0 Bye", b""]
    msgs = list(mailbox.mbox(str(box(spool)), create=False))
    assert len(msgs) == 2
    for m in msgs:
        assert m.get_from().startswith("a@b ")
        assert m.get_payload() == ">From x\n.dot\n"


def test_lmtp_7_and_null_sender_and_eof(spool):
    r = lmtp(spool, b"LHLO x\nMAIL FROM:<>\nRCPT TO:<%s>\nDATA\nbody\n.\n"
             b"MAIL FROM:<a>\nRCPT TO:<%s>\nDATA\nunfinished\n" % (me().encode(), me().encode()),
             ["-7"])
    assert b"8BITMIME" not in r.stdout
    assert r.returncode == 0
    msgs = list(mailbox.mbox(str(box(spool)), create=False))
    assert len(msgs) == 1
    assert msgs[0].get_from().startswith("MAILER-DAEMON ")


def test_lmtp_file_too_large(spool):
    for _ in range(2):
        deliver(spool, ["-f", "a", me()], b"x" * 1500 + b"\n")
    before = box(spool).read_bytes()
    script = (b"LHLO x\r\nMAIL FROM:<a>\r\nRCPT TO:<%s>\r\nRCPT TO:<%s>\r\nDATA\r\n"
              % (me().encode(), me().encode()) + b"y" * 2000 + b"\r\n.\r\nQUIT\r\n")
    r = deliver(spool, ["-l"], script, preexec_fn=_limit_fsize(len(before) + 1000))
    lines = r.stdout.split(b"\r\n")
    err = b"450 4.2.0 Write %s: File too large" % str(box(spool)).encode()
    assert lines[-4:] == [err, err, b"221 2.0.0 Bye", b""]
    assert box(spool).read_bytes() == before


def test_long_lines_and_binary(spool):
    line = b"z" * 300000
    msg = b"Subject: long\n\n" + line + b"\n\x00\x01\xff\r\nFrom x\n"
    assert deliver(spool, ["-f", "a", me()], msg).returncode == 0
    data = box(spool).read_bytes()
    assert data.split(b"\n", 1)[1] == b"Subject: long\n\n" + line + b"\n\x00\x01\xff\r\n>From x\n\n"


# --- differential tests against the reference (root only) ---------------

def _ns_deliver(binary, spool, argv, data, preexec_fn=None):
    r = run_bound([(str(spool), "/var/mail")], [binary] + argv, stdin=data,
                  hostname="vm.example.com", env={"PATH": "/usr/bin:/bin", "TZ": "UTC"},
                  preexec_fn=preexec_fn)
    return r.stdout, r.stderr.replace(binary.encode(), b"ML"), r.returncode


def _normalise_box(data):
    """Drop the reference's Content-Length header and mask the dates."""
    data = re.sub(rb"(?m)^Content-Length: \d+\n", b"", data)
    return re.sub(rb"(?m)^(From \S*) .{24}$", rb"\1 DATE", data)


@needs_ns
@pytest.mark.parametrize("argv,data", [
    (["-f", "bob@x", "root"], b"Subject: a\n\nbody\n\nmore\n"),
    (["root"], b"Subject: a\nX: y\n\n"),
    (["-f", "", "root"], b"no header line\n"),
    (["-f", "a", "nosuchuser_xyz", "root"], b"Subject: b\n\nx\n"),
    (["-f", "a", "root", "nosuchuser_xyz"], b"Subject: b\n\nx\n"),
    (["-f", "a", "root+foo"], b"x\n"),
    (["-f", "a", "root@localhost"], b"x\n"),
    (["-f", "a", "-r", "b", "root"], b"x\n"),
    (["-D", "foo", "root"], b"x\n"),
    ([], b"x\n"),
    (["-l", "root"], b""),
])
def test_same_as_reference(tmp_path, argv, data):
    results = []
    for side, binary in (("ours", ours("mail.local")), ("ref", ref("mail.local"))):
        sp = tmp_path / side
        sp.mkdir()
        out, err, rc = _ns_deliver(binary, sp, argv, data)
        err = err.replace(b"/var/cache/smref/root/usr/libexec/sendmail/", b"")
        boxes = {p.name: _normalise_box(p.read_bytes()) for p in sp.iterdir()}
        results.append((out, err, rc, boxes))
    assert results[0] == results[1]


@needs_ns
@pytest.mark.parametrize("kind", ["symlink", "hardlink", "directory", "fifo", "wrong_owner"])
def test_unsafe_mailbox_same_as_reference(tmp_path, kind):
    results = []
    for side, binary in (("ours", ours("mail.local")), ("ref", ref("mail.local"))):
        sp = tmp_path / side
        sp.mkdir()
        target = tmp_path / ("target-" + side)
        target.write_bytes(b"")
        p = sp / "nobody"
        if kind == "symlink":
            os.symlink(str(target), str(p))
        elif kind == "hardlink":
            os.chown(str(target), pwd.getpwnam("nobody").pw_uid, -1)
            os.link(str(target), str(p))
        elif kind == "directory":
            p.mkdir()
        elif kind == "fifo":
            os.mkfifo(str(p))
        else:
            p.write_bytes(b"")
        os.chmod(str(sp), 0o1777)
        out, err, rc = _ns_deliver(binary, sp, ["-f", "a", "nobody"], b"x\n")
        results.append((out, err.replace(b"/var/cache/smref/root/usr/libexec/sendmail/", b""),
                        rc, target.read_bytes()))
    assert results[0] == results[1]


@needs_ns
def test_lmtp_same_as_reference(tmp_path):
    script = (b"RCPT TO:<root>\r\nLHLO x\r\nMAIL\r\nMAIL x\r\nMAILFROM:<a>\r\n"
              b"mail From:<\"x y\"@b> SIZE=5\r\nRCPT TO:root\r\nRCPT TO: <root>\r\n"
              b"RCPT TO:<root@a@b>\r\nRCPT TO:<@x:root@y> NOTIFY=NEVER\r\nRCPT TO:<\"root\">\r\n"
              b"RCPT TO:<>\r\nRCPT TO:<root\r\nrcpt to:<ROOT>\r\nRCPT TO:<root+foo>\r\n"
              b"DATA x\r\nDATA\r\nSubject: t\r\n\r\nbody\r\n..\r\n.\r\nDATA\r\nRSET x\r\n"
              b"NOOP x\r\nVRFY\r\nVRFYx\r\nLHLO  a b\r\n\r\n \r\nHELO x\r\nQUIT x\r\nquit\r\n")
    results = []
    for side, binary in (("ours", ours("mail.local")), ("ref", ref("mail.local"))):
        sp = tmp_path / side
        sp.mkdir()
        out, err, rc = _ns_deliver(binary, sp, ["-l"], script)
        results.append((out, err, rc, {p.name: _normalise_box(p.read_bytes())
                                       for p in sp.iterdir()}))
    assert results[0] == results[1]


@needs_ns
def test_root_delivery_owner_and_group(tmp_path):
    sp = tmp_path / "spool"
    sp.mkdir()
    out, err, rc = _ns_deliver(ours("mail.local"), sp, ["-f", "a", "nobody"], b"x\n")
    assert rc == 0, err
    st = (sp / "nobody").stat()
    nobody = pwd.getpwnam("nobody")
    try:
        import grp
        mail_gid = grp.getgrnam("mail").gr_gid
    except KeyError:
        mail_gid = nobody.pw_gid
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (nobody.pw_uid, mail_gid, 0o600)
