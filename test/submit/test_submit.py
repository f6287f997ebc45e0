"""sendmail as a command (-bm, -t, -f, -bv, -bp, -bi), compared with the
reference Sendmail 8.17 on the same configuration (built from our cf tree).

Each submission test queues the same message with both programs (-odq,
separate queue directories) and compares the queue files byte for byte
after masking ids, times and dates.  Recipient expansion (aliases,
:include:, |program, /file, .forward) is checked through the R and C lines
of the qf, since delivery belongs to the queue runner.
"""
import os
import pwd
import re
import subprocess

import pytest

from submittools import (df_of, normalize_qf, qf_files, qf_lines, user_qfs,
                         OURS, REFSM)

MSG1 = (b"From: Some One <news@vm.example.com>\nTo: root, news\n"
        b"Cc: uucp@vm.example.com\nBcc: mail\nSubject: t1\n\nhello\n")


def submit_both(inst, name, args, msg):
    """Queue msg with both sides; return (ref, ours) as (proc, [qf bytes], [df bytes])."""
    res = []
    for side in ("ref", "ours"):
        q = inst.qdir("q-%s-%s" % (name, side))
        p = inst.run(side, ["-oQ" + q, "-odq"] + list(args), msg)
        qfs = qf_files(q)
        res.append((p, [open(f, "rb").read() for f in qfs],
                    [open(df_of(f), "rb").read() for f in qfs]))
    return res


def assert_same_user_qfs(ref, ours):
    rq = [normalize_qf(d) for d in ref[1] if b"\nSMAILER-DAEMON\n" not in d]
    oq = [normalize_qf(d) for d in ours[1]]
    assert oq == rq


def test_t_to_cc_bcc(inst):
    ref, ours = submit_both(inst, "t1", ["-oi", "-t"], MSG1)
    assert ours[0].returncode == ref[0].returncode == 0
    assert_same_user_qfs(ref, ours)
    qf = ours[1][0]
    # Bcc is kept in the qf and removed at delivery (F flag b), as 8.17
    assert b"H??Bcc: mail" in qf
    assert qf_lines(qf, b"F") == [b"Fbs"]
    assert qf_lines(qf, b"R") == [b"RPFD:news", b"RPFD:root", b"RPFD:uucp@vm.example.com",
                                  b"RPFD:mail"]
    assert ours[2] == ref[2] == [b"hello\n"]


@pytest.mark.parametrize("mode", ["q", "d"])
def test_defer_mode_leaves_host_lookups_to_the_queue_run(inst, mode):
    """-odd: the host map is not consulted while queueing (nick.example stays
    as written); -odq canonicalizes it to canon.example, as 8.17 does."""
    msg = b"Subject: defer\n\nhello\n"
    ref, ours = submit_both(inst, "defer" + mode, ["-oi", "-od" + mode, "u@nick.example"], msg)
    assert ours[0].returncode == ref[0].returncode == 0
    assert_same_user_qfs(ref, ours)
    want = b"nick.example" if mode == "d" else b"canon.example"
    assert qf_lines(ours[1][0], b"r") == [b"rRFC822; u@" + want]


def test_t_with_command_line_recipients(inst):
    msg = b"To: root, news\nBcc: mail\nSubject: t2\n\nhello\n"
    ref, ours = submit_both(inst, "t2", ["-oi", "-t", "news", "lp"], msg)
    assert ours[0].returncode == ref[0].returncode == 0
    assert_same_user_qfs(ref, ours)


def test_command_line_and_dsn_flags(inst):
    msg = b"Subject: t4\n\nh\xe9llo\n"
    args = ["-oi", "-f", "news", "-N", "success,delay", "-V", "envid123", "-R", "hdrs",
            "-B", "8BITMIME", "-h", "5", "Root", "<lp>", "User@Remote.Example.ORG",
            "mail@VM.example.com", "Full Name <uucp>"]
    ref, ours = submit_both(inst, "t4", args, msg)
    assert ours[0].returncode == ref[0].returncode == 0
    assert_same_user_qfs(ref, ours)
    qf = ours[1][0]
    assert qf_lines(qf, b"B") == [b"B8BITMIME"]
    assert qf_lines(qf, b"F") == [b"F8dns"]
    assert qf_lines(qf, b"Z") == [b"Zenvid123"]


def test_8bit_body_without_B_flag(inst):
    ref, ours = submit_both(inst, "8bit", ["-oi", "root"], b"Subject: x\n\n\xe9t\xe9\n")
    assert_same_user_qfs(ref, ours)
    assert qf_lines(ours[1][0], b"F") == [b"F8s"]
    assert ours[2] == [b"\xe9t\xe9\n"]


def test_claimed_8bitmime_without_8bit_is_7bit(inst):
    ref, ours = submit_both(inst, "7bit", ["-oi", "-B8BITMIME", "root"], b"Subject: x\n\nplain\n")
    assert_same_user_qfs(ref, ours)
    assert qf_lines(ours[1][0], b"B") == [b"B7BIT"]


def test_aliases_include_program_file(inst):
    msg = b"Subject: t5\nTo: list\n\nbody\n"
    ref, ours = submit_both(inst, "t5", ["-oi", "pipe", "file", "root", "news", "postmaster"],
                            msg)
    assert ours[0].returncode == ref[0].returncode == 0
    assert_same_user_qfs(ref, ours)
    qf = ours[1][0]
    assert b'Cpipe:1:0:pipe\nrRFC822; pipe@vm.example.com\nRPFDA:"|/bin/cat > /dev/null"' in qf
    assert b"RPFDA:" + inst.root.encode() + b"/file.out" in qf
    assert b"C:postmaster" not in qf  # root was given directly first: a duplicate


def test_list_with_owner_splits_sender(inst):
    msg = b"Date: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-Id: <abc@x>\nSubject: t3\n\nhello\n"
    ref, ours = submit_both(inst, "t3", ["-oi", "-f", "news@vm.example.com", "-F", "Full Name",
                                         "list", "loop1"], msg)
    assert ours[0].returncode == ref[0].returncode == 0
    assert_same_user_qfs(ref, ours)
    qf = ours[1][0]
    assert qf_lines(qf, b"S") == [b"Slp"]  # owner-list
    assert b"Clp:7:7::include:" in qf and b"Cuucp:10:10:list" in qf
    assert b"H??Date: Mon, 1 Jan 2024 00:00:00 +0000" in qf


def test_unknown_user_exit_and_message(inst):
    ref, ours = submit_both(inst, "unk", ["-oi", "root", "nosuchuser"], b"Subject: x\n\nb\n")
    assert ours[0].returncode == ref[0].returncode == 67
    assert b"nosuchuser... User unknown\n" in ours[0].stdout
    assert_same_user_qfs(ref, ours)


def test_alias_recursion_limit(inst):
    ref, ours = submit_both(inst, "deep", ["-oi", "deep0"], b"Subject: x\n\nb\n")
    assert ours[0].returncode == ref[0].returncode
    assert (b"aliasing/forwarding loop broken (11 aliases deep; 10 max)"
            in ref[0].stdout + ref[0].stderr)
    assert (b"aliasing/forwarding loop broken (11 aliases deep; 10 max)"
            in ours[0].stdout + ours[0].stderr)


def test_no_recipients(inst):
    r, o = inst.both(["-odq"], b"Subject: x\n\n")
    assert o.returncode == r.returncode == 64
    assert o.stdout == r.stdout


def test_big_header_and_body(inst):
    big = b"X-Big: " + b"a" * 100 * 1024 + b"\n"
    body = (b"0123456789" * 7 + b"\n") * (10 * 1024 * 1024 // 71)
    msg = b"Subject: big\n" + big + b"\n" + body
    # MaxHeadersLength (32768 by default) refuses the 100 KB header: both
    # print why, return the message to the sender (a DSN naming every
    # recipient, the refusal as transcript), queue nothing else, exit 0
    r, o = submit_both(inst, "bighdr", ["-oi", "root"], msg)
    assert o[0].stdout == r[0].stdout == b"Headers too large (32768 max)\n"
    assert o[0].returncode == r[0].returncode == 0
    for side in (r, o):
        assert len(side[1]) == 1 and b"\nSMAILER-DAEMON\n" in side[1][0]
        assert b"552 5.6.0 Headers too large (32768 max)" in side[2][0]
        assert b"Status: 5.0.0" in side[2][0] and b"Content-Type: message/rfc822" in side[2][0]
    # with the limit raised both queue it
    args = ["-oi", "-OMaxHeadersLength=200000", "root"]
    r, o = submit_both(inst, "bighdr2", args, msg)
    assert o[0].returncode == r[0].returncode == 0
    assert_same_user_qfs(r, o)
    assert o[2] == r[2] and len(o[2][0]) == len(body)


def test_message_over_max_size_is_returned(inst):
    r, o = submit_both(inst, "maxsize", ["-oi", "-OMaxMessageSize=100", "root"],
                       b"Subject: sz\n\n" + b"x" * 300 + b"\n")
    assert o[0].stdout == r[0].stdout == b"Message exceeds maximum fixed size (100)\n"
    assert o[0].returncode == r[0].returncode == 0
    for side in (r, o):
        assert len(side[1]) == 1 and b"\nSMAILER-DAEMON\n" in side[1][0]
        assert b"552 5.2.3 Message exceeds maximum fixed size (100)" in side[2][0]
        assert b"text/rfc822-headers" in side[2][0]  # headers only, as 8.17 (F line n)


def test_dot_ends_input_unless_i(inst):
    msg = b"Subject: x\n\nline\n.\nafter\n"
    r, o = submit_both(inst, "dot", ["root"], msg)
    assert o[2] == r[2] == [b"line\n"]
    r, o = submit_both(inst, "doti", ["-i", "root"], msg)
    assert o[2] == r[2] == [b"line\n.\nafter\n"]


def test_log_line(inst, tmp_path):
    log = tmp_path / "mail.log"
    q = inst.qdir("q-log")
    p = inst.run("ours", ["-oQ" + q, "-odq", "-oi", "-L", "smtest", "root"],
                 b"Message-Id: <m1@x>\nSubject: x\n\nb\n", extra_env={"SENDMAIL_LOG_FILE": str(log)})
    assert p.returncode == 0
    text = log.read_text()
    qid = os.path.basename(qf_files(q)[0])[2:]
    assert "smtest[" in text
    assert ("%s: from=root, size=33, class=0, nrcpts=1, msgid=<m1@x>, relay=root@localhost"
            % qid) in text


# ---- -f and the trusted-user rule ----

def test_f_by_root_is_trusted(inst):
    r, o = submit_both(inst, "froot", ["-oi", "-f", "someone@example.org", "root"],
                       b"Subject: x\n\nb\n")
    assert_same_user_qfs(r, o)
    assert b"X-Authentication-Warning" not in o[1][0]


def test_f_by_untrusted_user_warns(inst):
    """As nobody: 8.17 accepts the -f but adds X-Authentication-Warning."""
    nobody = pwd.getpwnam("nobody")
    res = []
    for side in ("ref", "ours"):
        q = inst.qdir("q-fnobody-" + side)
        os.chown(q, nobody.pw_uid, nobody.pw_gid)
        p = inst.run(side, ["-oQ" + q, "-odq", "-oi", "-f", "someone@example.org", "root"],
                     b"Subject: x\n\nb\n",
                     prefix=["setpriv", "--reuid", "nobody", "--regid", "nogroup",
                             "--clear-groups"])
        if side == "ref" and p.returncode != 0:
            pytest.skip("the reference cannot run as nobody here: %r" % p.stdout)
        res.append((p, [open(f, "rb").read() for f in qf_files(q)]))
    (r, rq), (o, oq) = res
    assert o.returncode == r.returncode == 0
    warn = [l for l in oq[0].split(b"\n") if b"X-Authentication-Warning" in l]
    assert warn == [b"H??X-Authentication-Warning: vm.example.com: nobody set sender to "
                    b"someone@example.org using -f",
                    b"H??X-Authentication-Warning: vm.example.com: Processed from queue "
                    + os.path.dirname(qf_files(q)[0]).encode(),
                    b"H??X-Authentication-Warning: vm.example.com: Processed by nobody with -C "
                    + inst.cf.encode()]
    assert b"\nA" not in oq[0]  # no AUTH= line for an untrusted sender
    assert ([normalize_qf(x).replace(b"-ours", b"-SIDE") for x in oq]
            == [normalize_qf(x).replace(b"-ref", b"-SIDE") for x in rq])


# ---- -bv ----

BV = ["root", "news", "list", "pipe", "file", "nosuchuser", "postmaster",
      "news@vm.example.com", "user@remote.example.org", '"|/bin/true"', "/tmp/x", "<root>",
      "Root", "loop1", ":include:/etc/passwd", "root+detail", "news+x@vm.example.com"]


@pytest.mark.parametrize("addr", BV)
def test_bv_like_reference(inst, addr):
    r, o = inst.both(["-bv", addr])
    assert o.stdout == r.stdout
    assert o.returncode == r.returncode


# ---- -bp / mailq, queue interchange ----

def test_queued_by_us_listed_by_both(inst):
    q = inst.qdir("q-bp")
    for rcpts in (["root"], ["news", "lp", "user@remote.example.org"], ["list"]):
        p = inst.run("ours", ["-oQ" + q, "-odq", "-oi"] + rcpts, MSG1)
        assert p.returncode == 0, p.stdout
    for flags in ([], ["-v"]):
        r, o = inst.both(["-oQ" + q, "-bp"] + flags)
        assert r.returncode == 0
        assert o.stdout == r.stdout
        assert b"Total requests: 3" in r.stdout


def test_mailq_name_and_empty_queue(inst):
    q = inst.qdir("q-empty")
    r, o = inst.both(["-oQ" + q, "-bp"])
    assert o.stdout == r.stdout
    assert b"is empty" in o.stdout


def test_reference_reads_our_qf(inst):
    """The reference's queue reader accepts our files: a -qI run with
    DeliveryMode deferred leaves them in place and rewrites nothing bad."""
    q = inst.qdir("q-interchange")
    p = inst.run("ours", ["-oQ" + q, "-odq", "-oi", "-t"], MSG1)
    assert p.returncode == 0
    qid = os.path.basename(qf_files(q)[0])[2:]
    r = inst.run("ref", ["-oQ" + q, "-bp", "-v"])
    assert qid.encode() in r.stdout and b"\t\t\t\t\t\tnews\n" in r.stdout
    r = inst.run("ref", ["-oQ" + q, "-odd", "-qI" + qid, "-v"])
    assert b"bad line" not in r.stdout + r.stderr
    assert not [f for f in os.listdir(q) if f.startswith("Qf")]


def test_bp_quarantine_and_lost(inst):
    q = inst.qdir("q-qq")
    r, o = inst.both(["-oQ" + q, "-bp", "-qQ"])
    assert o.stdout == r.stdout
    r, o = inst.both(["-oQ" + q, "-bp", "-qL"])
    assert o.stdout == r.stdout


# ---- -bi ----

def test_bi_like_reference(inst):
    r = inst.run("ref", ["-bi"])
    o = inst.run("ours", ["-bi"])
    assert o.stdout == r.stdout and o.returncode == r.returncode == 0
    import shutil
    shutil.copy(inst.aliases_db(), inst.aliases_db() + ".ours")
    o = subprocess.run([REFSM, "run", os.path.join(os.path.dirname(OURS), "newaliases"),
                        "-C", inst.cf], capture_output=True, timeout=60)
    assert o.stdout == r.stdout


# ---- .forward (our side; the reference needs a home directory we own) ----

def run_with_home(inst, side, home_dir, user, qdir):
    """Run one side with user's home directory replaced by home_dir (a bind
    mount in a private mount namespace)."""
    import shutil
    shutil.copy(inst.aliases_db() + "." + side, inst.aliases_db())
    prog = OURS if side == "ours" else os.path.join(
        subprocess.run([REFSM, "root"], capture_output=True, text=True).stdout.strip(),
        "usr/libexec/sendmail/sendmail")
    script = 'mount --bind "$0" "$1" && exec "$2" run "$3" -C "$4" -oQ"$5" -odq -oi "$6"'
    return subprocess.run(["unshare", "--mount", "sh", "-c", script, str(home_dir),
                           pwd.getpwnam(user).pw_dir, REFSM, prog, inst.cf, qdir, user],
                          input=b"Subject: f\n\nb\n", capture_output=True, timeout=60)


def test_forward_recorded_in_qf(inst, tmp_path):
    """man's home holds a .forward: a user, the user itself escaped, and a
    program (refused: man's shell is not in /etc/shells, as 8.17 checks)."""
    fwd = tmp_path / "home"
    fwd.mkdir()
    os.chmod(fwd, 0o755)
    (fwd / ".forward").write_text("uucp, \\man, \"|/bin/cat >/dev/null\"\n")
    os.chown(fwd / ".forward", pwd.getpwnam("man").pw_uid, 0)
    os.chmod(fwd / ".forward", 0o644)
    res = []
    for side in ("ref", "ours"):
        q = inst.qdir("q-fwd-" + side)
        p = run_with_home(inst, side, fwd, "man", q)
        res.append((p, user_qfs(q)))
    (r, rq), (o, oq) = res
    assert o.returncode == r.returncode == 64
    assert o.stdout.splitlines()[0] == r.stdout.splitlines()[0] == (
        b'/var/cache/man/.forward: line 1: "|/bin/cat >/dev/null"... User man@vm.example.com'
        b" doesn't have a valid shell for mailing to programs")
    oqn = [normalize_qf(x) for x in oq]
    rqn = [normalize_qf(x) for x in rq]
    # the reference counts the refused program twice in the priority
    # (recipients x RecipientFactor): see the README
    assert [x.replace(b"P90014", b"P60014") for x in oqn] == rqn
    assert (b"Cman:6:12:man\nrRFC822; man@vm.example.com\nRFD:\\man\n"
            b"Cuucp:10:10:man\nrRFC822; man@vm.example.com\nRFD:uucp\n") in oq[0]


@pytest.mark.parametrize("mode", [0o666, 0o664])
def test_unsafe_forward_is_ignored(inst, tmp_path, mode):
    """A group or world writable .forward is not used (both sides)."""
    fwd = tmp_path / "home"
    fwd.mkdir()
    os.chmod(fwd, 0o755)
    (fwd / ".forward").write_text("uucp\n")
    os.chmod(fwd / ".forward", mode)
    for side in ("ref", "ours"):
        q = inst.qdir("q-fwd-unsafe-" + side)
        p = run_with_home(inst, side, fwd, "man", q)
        assert p.returncode == 0, (side, p.stdout)
        assert qf_lines(user_qfs(q)[0], b"R") == [b"RPFD:man"], side


def test_mailq_invocation_name(inst, tmp_path):
    q = inst.qdir("q-name")
    p = inst.run("ours", ["-oQ" + q, "-odq", "-oi", "root"], MSG1)
    assert p.returncode == 0
    link = tmp_path / "mailq"
    link.symlink_to(OURS)
    o = subprocess.run([REFSM, "run", str(link), "-C", inst.cf, "-oQ" + q],
                       capture_output=True, timeout=60)
    r = inst.run("ref", ["-oQ" + q, "-bp"])
    assert o.stdout == r.stdout and b"Total requests: 1" in o.stdout


# ---- failures found at submission (Sendmail's savemail), by ErrorMode ----

def run_with_root_home(inst, side, home_dir, args, msg):
    """Run one side with root's home directory replaced by home_dir, so
    that ~/dead.letter lands in a temp dir (private mount namespace)."""
    import shutil
    shutil.copy(inst.aliases_db() + "." + side, inst.aliases_db())
    prog = OURS if side == "ours" else os.path.join(
        subprocess.run([REFSM, "root"], capture_output=True, text=True).stdout.strip(),
        "usr/libexec/sendmail/sendmail")
    script = 'mount --bind "$0" "$1" && shift && exec "$@"'
    return subprocess.run(["unshare", "--mount", "sh", "-c", script, str(home_dir),
                           pwd.getpwnam("root").pw_dir, REFSM, "run", prog, "-C", inst.cf]
                          + list(args), input=msg, capture_output=True, timeout=60)


def dead_letters(path):
    """The messages of a dead.letter file, dates and ids masked."""
    if not os.path.exists(path):
        return []
    data = normalize_qf(open(path, "rb").read())
    data = re.sub(rb"^From (\S+) .*$", rb"From \1 DATE", data, flags=re.M)
    return [b"From " + m for m in data.split(b"\nFrom ") if m]


@pytest.mark.parametrize("rcpts", [["root", "nosuchuser"], ["nosuchuser"]])
def test_unknown_user_saved_in_dead_letter(inst, tmp_path, rcpts):
    """ErrorMode p (the default): the error is printed and the message goes
    to the sender's ~/dead.letter, as 8.17's savemail; no bounce."""
    msg = b"Subject: dead\n\nthe body\nFrom here\n"
    res = {}
    for side in ("ref", "ours"):
        home = tmp_path / ("home-" + side)
        home.mkdir()
        q = inst.qdir("q-dead-%d-%s" % (len(rcpts), side))
        p = run_with_root_home(inst, side, home, ["-oQ" + q, "-odq", "-oi"] + rcpts, msg)
        res[side] = (p, dead_letters(str(home / "dead.letter")), qf_files(q))
    (r, rd, rq), (o, od, oq) = res["ref"], res["ours"]
    assert o.returncode == r.returncode == 67
    assert o.stdout == r.stdout == (b"nosuchuser... User unknown\n"
                                    b"/root/dead.letter... Saved message in /root/dead.letter\n")
    assert len(od) == len(rd) == 1
    assert od == rd
    assert b"\n>From here\n" in od[0]  # written by the *file* mailer (F=E)
    assert len(oq) == len(rq) == len(rcpts) - 1  # the good recipient is queued, no DSN


def dsn_of(qdir):
    """The DSN (the entry whose sender is MAILER-DAEMON) of a queue: qf, parsed df."""
    import email
    for f in qf_files(qdir):
        data = open(f, "rb").read()
        if b"\nSMAILER-DAEMON\n" in data:
            return data, email.message_from_bytes(open(df_of(f), "rb").read())
    return None, None


@pytest.mark.parametrize("mode,rc", [("m", 67), ("e", 0), ("w", 67)])
def test_unknown_user_returned_as_dsn(inst, mode, rc):
    """ErrorMode m/e/w: nothing printed, a DSN to the sender is queued."""
    msg = b"Subject: ret\n\nbody\n"
    r, o = submit_both(inst, "dsn-" + mode, ["-oi", "-oe" + mode, "root", "nosuchuser"], msg)
    assert o[0].returncode == r[0].returncode == rc
    assert o[0].stdout == r[0].stdout == b""
    for side in (r, o):
        assert len(side[1]) == 2
    q = inst.qdir("q-dsn-check")
    p = inst.run("ours", ["-oQ" + q, "-odq", "-oi", "-oe" + mode, "root", "nosuchuser"], msg)
    qf, body = dsn_of(q)
    assert qf is not None and b"\nFr" in qf and b"RPF:root\n" in qf, qf
    assert b"Subject: Returned mail: see transcript for details" in qf
    text = body.as_string()
    assert "----- The following addresses had permanent fatal errors -----\nnosuchuser\n" in text
    assert "550 5.1.1 nosuchuser... User unknown" in text
    assert "Final-Recipient: RFC822; nosuchuser@vm.example.com" in text
    assert "Status: 5.1.1" in text and "Subject: ret" in text


def test_quiet_error_mode(inst):
    r, o = submit_both(inst, "dsn-q", ["-oi", "-oeq", "root", "nosuchuser"], b"Subject: q\n\nb\n")
    assert o[0].returncode == r[0].returncode == 67
    assert o[0].stdout == r[0].stdout == b""
    assert len(o[1]) == len(r[1]) == 1
