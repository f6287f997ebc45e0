"""Delivery from the queue: mailers, LMTP to mail.local, smrsh, /file,
deferrals, DSNs, queue lifetime, selection flags, log lines, statistics.

Run: /usr/bin/python3 -m pytest -q test/deliver   (after ./Build)
"""
import os
import re
import struct
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dtools  # noqa: E402
from dtools import inst  # noqa: E402,F401  (fixture)

MSG = "Subject: %s\nTo: somebody\n\nline one\n.leading dot\nFrom the start\nlast line\n"

LOG_TO = re.compile(r"^\S+\[\d+\]: (\w+): to=(.+?), (?:ctladdr=.+? \(\d+/\d+\), )?"
                    r"delay=\d\d:\d\d:\d\d, xdelay=\d\d:\d\d:\d\d, mailer=([^,]+), pri=\d+, "
                    r"(?:relay=[^,]+, )?dsn=(\d\.\d+\.\d+), (?:reply=.+, )?stat=(.+)$")


def to_lines(inst):
    return [m.groups() for m in map(LOG_TO.match, inst.loglines()) if m]


def body_of(msg):
    return msg.get_payload(decode=False)


def test_mbox_via_lmtp(inst):
    qid = inst.submit([inst.user], MSG % "lmtp")
    inst.run()
    assert inst.entries() == []
    box = inst.mbox()
    assert len(box) == 1
    m = box[0]
    assert m["Subject"] == "lmtp"
    assert m["Return-Path"] is not None
    # mail.local quotes "From " and our LMTP client dot-stuffs: both undone
    assert body_of(m) == "line one\n.leading dot\n>From the start\nlast line\n"
    lines = to_lines(inst)
    assert (qid, inst.user, "local", "2.1.5", "Sent") in lines or any(
        l[0] == qid and l[2] == "local" and l[4] == "Sent" and l[3].startswith("2.")
        for l in lines), inst.loglines()


def test_statistics_counted(inst):
    inst.submit([inst.user], MSG % "stats")
    inst.run()
    with open(os.path.join(inst.dir, "etc", "statistics"), "rb") as f:
        data = f.read()
    assert len(data) == 1448
    magic, version = struct.unpack_from("ii", data, 0)
    assert magic == 0x1B1DE and version == 4
    # layout: magic, version, itime(8), size(2+pad to 8), cf, ct, cr, nf[25], bf[25], nt[25]
    nt_off = 8 + 8 + 8 + 3 * 8 + 2 * 25 * 8
    nt = struct.unpack_from("25l", data, nt_off)
    with open(inst.cf) as f:
        names = [l[1:].split(",")[0] for l in f if l.startswith("M")]
    local = 3 + [n for n in names if n not in ("prog", "*file*", "*include*")].index("local")
    assert nt[local] == 1, nt


def test_prog_through_smrsh(inst):
    inst.write("smrsh/record", "#!/bin/sh\n{ echo \"args: $*\"; cat; } > %s/files/prog.out\n"
               % inst.dir, 0o755)
    inst.aliases({"progtest": '"|record one two"'})
    inst.submit(["progtest"], MSG % "prog")
    inst.run()
    assert inst.entries() == []
    with open(os.path.join(inst.dir, "files", "prog.out")) as f:
        out = f.read()
    assert out.startswith("args: one two\nFrom ")  # prog has no F=n: From_ line
    assert "Subject: prog" in out and "\nline one\n" in out
    assert any(l[2] == "prog" and l[4] == "Sent" for l in to_lines(inst))


def test_prog_refused_by_smrsh_bounces(inst):
    inst.aliases({"badprog": '"|/bin/notallowed"'})
    inst.submit(["badprog"], MSG % "badprog")
    inst.run()
    assert inst.entries() == []
    subjects = [m["Subject"] for m in inst.mbox()]
    assert "Returned mail: see transcript for details" in subjects


def test_file_delivery(inst):
    target = os.path.join(inst.dir, "files", "archive.mbox")
    inst.aliases({"archive": target})
    inst.submit(["archive"], MSG % "file one")
    inst.submit(["archive"], MSG % "file two")
    inst.run()
    import mailbox
    msgs = list(mailbox.mbox(target))
    assert sorted(m["Subject"] for m in msgs) == ["file one", "file two"]
    with open(target) as f:
        text = f.read()
    assert "\n>From the start\n" in text  # *file* has F=E
    assert any(l[2] == "*file*" and l[4] == "Sent" for l in to_lines(inst))


def test_file_outside_safe_file_environment_fails(inst):
    inst.aliases({"outside": "/tmp/dlv-outside-%d.mbox" % os.getpid()})
    inst.submit(["outside"], MSG % "outside")
    inst.run()
    assert not os.path.exists("/tmp/dlv-outside-%d.mbox" % os.getpid())
    dsn = [m for m in inst.mbox() if m.get_content_type() == "multipart/report"]
    assert len(dsn) == 1
    assert any(l[2] == "*file*" and l[3] == "5.3.0" for l in to_lines(inst))


def test_plain_mailer_argv_and_from_line(inst):
    inst.submit(["a@plain.example", "b@plain.example"], MSG % "plain")
    inst.run()
    with open(os.path.join(inst.dir, "files", "catter.argv")) as f:
        argv = f.read()
    assert argv == "argv: %s a b\n" % inst.user  # F=m: $u repeated, one run
    with open(os.path.join(inst.dir, "files", "catter.out")) as f:
        out = f.read()
    assert out.startswith("From %s " % inst.user)
    assert "\nReturn-Path: <" in out  # F=P
    assert "\nFrom the start\n" in out  # no F=E: not escaped


def test_tempfail_stays_queued_then_delivers(inst):
    qid = inst.submit(["x@tempfail.example"], MSG % "later")
    inst.run()
    assert inst.entries() == [qid]
    qf = inst.qf(qid)
    assert re.search(r"^MDeferred: .*exited with EX_TEMPFAIL$", qf, re.M), qf
    assert re.search(r"^N1$", qf, re.M)
    assert "RP:x@tempfail.example" in qf or "x@tempfail.example" in qf
    q = inst.mailq()
    assert qid in q and "(Deferred: tempfail mailer" in q, q  # mailq cuts at 60
    assert any(l[0] == qid and l[3] == "4.2.0" and l[4].startswith("Deferred: ")
               for l in to_lines(inst))
    inst.write("bin/tempfail.code", "0\n")
    inst.run()
    assert inst.entries() == []
    assert any(l[0] == qid and l[4] == "Sent" for l in to_lines(inst))


def test_unknown_user_gets_rfc3464_dsn(inst):
    # queued unexpanded (as if the user was removed after submission): our
    # submission refuses unknown users itself
    qid = inst.submit(["nosuchuser-xyz", inst.user], MSG % "partly", tool=True)
    inst.run()
    assert inst.entries() == []
    box = inst.mbox()
    orig = [m for m in box if m["Subject"] == "partly"]
    dsn = [m for m in box if m.get_content_type() == "multipart/report"]
    assert len(orig) == 1 and len(dsn) == 1
    d = dsn[0]
    assert d.get_param("report-type") == "delivery-status"
    assert d["Subject"] == "Returned mail: see transcript for details"
    assert d["Auto-Submitted"].startswith("auto-generated (failure)")
    assert "MAILER-DAEMON" in d["From"]
    parts = d.get_payload()
    assert [p.get_content_type() for p in parts] == [
        "text/plain", "message/delivery-status", "message/rfc822"]
    assert "permanent fatal errors" in parts[0].get_payload()
    status = parts[1].get_payload()  # [per-message fields, per-recipient fields...]
    assert status[0]["Reporting-MTA"] == "dns; vm.example.com"
    assert status[0]["Arrival-Date"]
    assert len(status) == 2
    rcpt = status[1]
    assert rcpt["Final-Recipient"].lower().startswith("rfc822; nosuchuser-xyz")
    assert rcpt["Action"] == "failed"
    assert rcpt["Status"] == "5.1.1"
    assert rcpt["Diagnostic-Code"]
    returned = parts[2].get_payload()[0]
    assert returned["Subject"] == "partly"
    assert any(l[0] == qid and l[3] == "5.1.1" for l in to_lines(inst))


def test_ret_hdrs_returns_headers_only(inst):
    qid = inst.submit(["nosuchuser-xyz"], MSG % "hdrs", tool=True)
    qf = inst.qf(qid)
    qf = re.sub(r"^F(.*)$", r"F\1n", qf, count=1, flags=re.M)
    with open(os.path.join(inst.qdir, "qf" + qid), "w", encoding="latin1") as f:
        f.write(qf)
    inst.run()
    d = [m for m in inst.mbox() if m.get_content_type() == "multipart/report"][0]
    assert d.get_payload()[2].get_content_type() == "text/rfc822-headers"


def test_null_sender_is_never_bounced_to(inst):
    inst.submit(["nosuchuser-xyz"], MSG % "from nobody", sender="<>", tool=True)
    inst.run()
    assert inst.entries() == []
    box = inst.mbox()  # postmaster is aliased to us
    assert len(box) == 1
    assert box[0]["Subject"] == "Postmaster notify: see transcript for details"
    assert "postmaster-notification" in box[0]["Auto-Submitted"]


def test_postmaster_copy(inst):
    with open(inst.cf, "a") as f:
        f.write("O PostmasterCopy=pmcopy\n")
    inst.aliases({"pmcopy": os.path.join(inst.dir, "files", "pm.mbox")})
    inst.submit(["nosuchuser-xyz"], MSG % "copy", tool=True)
    inst.run()
    with open(os.path.join(inst.dir, "files", "pm.mbox")) as f:
        # a report of its own, as 8.17's (test_dsn_ref.py)
        assert "Postmaster notify: see transcript for details" in f.read()


def test_queue_lifetime_warning_then_return(inst):
    qid = inst.submit(["x@tempfail.example"], MSG % "slow")
    inst.run()
    assert inst.mbox() == []
    inst.age(qid, 5 * 3600)
    inst.run()
    assert inst.entries() == [qid]
    warn = inst.mbox()
    assert len(warn) == 1
    assert warn[0]["Subject"] == "Warning: could not send message for past 4 hours"
    parts = warn[0].get_payload()
    assert parts[1].get_payload()[1]["Action"] == "delayed"
    # 8.17 returns the whole message in a delay warning too (test_dsn_ref.py)
    assert parts[2].get_content_type() == "message/rfc822"
    assert re.search(r"^F.*w", inst.qf(qid), re.M)
    inst.run()
    assert len(inst.mbox()) == 1  # one warning only
    inst.age(qid, 5 * 86400)
    inst.run()
    assert inst.entries() == []
    box = inst.mbox()
    assert len(box) == 2
    ret = box[1]
    assert ret["Subject"] == "Returned mail: see transcript for details"
    rcpt = ret.get_payload()[1].get_payload()[1]
    assert rcpt["Action"] == "failed" and rcpt["Status"] == "4.4.7"
    assert "Message could not be delivered for 5 days\n" in ret.get_payload()[0].get_payload()


def test_selection_flags(inst):
    a = inst.submit(["a@tempfail.example"], MSG % "a")
    b = inst.submit(["b@plain.example"], MSG % "b")
    inst.write("bin/tempfail.code", "0\n")
    inst.run("!Rplain")  # everything but b
    assert inst.entries() == [b]
    inst.run("Inotanid")
    assert inst.entries() == [b]
    inst.run("I" + b[4:10])
    assert inst.entries() == []
    assert a != b


def test_selection_by_sender(inst):
    a = inst.submit(["a@plain.example"], MSG % "a", sender="alice@example.org")
    b = inst.submit(["b@plain.example"], MSG % "b", sender="bob@example.org")
    inst.run("Salice")
    assert inst.entries() == [b]
    inst.run("!Sbob")
    assert inst.entries() == [b]
    inst.run()
    assert inst.entries() == [] and a != b


def test_min_queue_age(inst):
    qid = inst.submit(["x@tempfail.example"], MSG % "young")
    inst.run()
    with open(inst.cf, "a") as f:
        f.write("O MinQueueAge=1h\n")
    inst.write("bin/tempfail.code", "0\n")
    inst.run()
    assert inst.entries() == [qid]  # tried less than an hour ago
    inst.run("I" + qid)  # an explicit selection ignores MinQueueAge
    assert inst.entries() == []


def test_ipc_mailers_stay_queued(inst):
    qid = inst.submit(["someone@example.net"], MSG % "remote")
    inst.run()
    assert inst.entries() == [qid]
    assert "not implemented" in inst.qf(qid)


def test_busy_entry_is_skipped(inst):
    import fcntl
    qid = inst.submit([inst.user], MSG % "busy")
    fd = os.open(os.path.join(inst.qdir, "qf" + qid), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        inst.run()
        assert inst.entries() == [qid]
    finally:
        os.close(fd)
    inst.run()
    assert inst.entries() == []


def test_tool_queued_message(inst):
    """A qf written by the queue module's writer directly (no submission)."""
    inst.submit([inst.user], MSG % "tool", tool=True)
    inst.run()
    assert [m["Subject"] for m in inst.mbox()] == ["tool"]


CHECK_COMPAT = """
Scheck_compat
R$* $| b @ plain . example	$#error $@ 5.7.1 $: "550 not for you"
R$* $| c @ plain . example	$#discard $: discard
R$* $| d @ plain . example	$#error $@ 4.2.0 $: "450 later"
"""


def test_check_compat_refuses_and_discards(inst):
    with open(inst.cf, "a") as f:
        f.write(CHECK_COMPAT)
    rcpts = ["a@plain.example", "b@plain.example", "c@plain.example", "d@plain.example"]
    inst.submit(rcpts, MSG % "compat")
    inst.run()
    with open(os.path.join(inst.dir, "files", "catter.argv")) as f:
        assert f.read() == "argv: %s a\n" % inst.user  # only a is delivered
    assert inst.entries() == []  # 4.x.x from check_compat bounces too (as 8.17)
    dsn = [m for m in inst.mbox() if m.get_content_type() == "multipart/report"]
    assert len(dsn) == 1
    text = dsn[0].as_string()
    assert "b@plain.example... not for you" in text and "d@plain.example... later" in text
    assert "c@plain.example" not in text and "a@plain.example" not in text


def test_traffic_log_has_the_lmtp_dialogue(inst):
    inst.submit([inst.user], MSG % "traffic")
    xlog = os.path.join(inst.dir, "traffic.log")
    p = subprocess.run([os.path.join(dtools.BIN, "sendmail"), "-C", inst.cf, "-X", xlog, "-q"],
                       capture_output=True, timeout=120, env=inst.env())
    assert p.returncode == 0, p.stdout + p.stderr
    assert inst.entries() == []
    with open(xlog) as f:
        lines = f.read().splitlines()
    assert all(re.match(r"^\d{5,} (===|>>>|<<<) ", l) for l in lines), lines
    text = [l.split(" ", 1)[1] for l in lines]
    assert text[0].startswith("=== EXEC mail.local ")
    assert text[1].startswith("<<< 220 ") and text[2].startswith(">>> LHLO ")
    assert any(t.startswith(">>> MAIL From:<") for t in text), "\n".join(text)
    assert ">>> DATA" in text and ">>> ." in text and text[-1] == ">>> QUIT"
    # the message itself, line by line, as the mailer gets it (dot-stuffed)
    i = text.index(">>> Subject: traffic")
    assert text.index("<<< 354 Go ahead") < i < text.index(">>> ..leading dot") < text.index(">>> .")


def test_traffic_log_of_a_plain_mailer(inst):
    inst.submit(["a@plain.example"], MSG % "plain traffic")
    xlog = os.path.join(inst.dir, "traffic.log")
    p = subprocess.run([os.path.join(dtools.BIN, "sendmail"), "-C", inst.cf, "-X", xlog, "-q"],
                       capture_output=True, timeout=120, env=inst.env())
    assert p.returncode == 0, p.stdout + p.stderr
    with open(xlog) as f:
        text = [l.split(" ", 1)[1] for l in f.read().splitlines()]
    # as the reference's "=== EXEC procmail ...", message lines, "<<< [EOF]"
    assert text[0] == "=== EXEC catter %s a" % inst.user, text
    assert ">>> Subject: plain traffic" in text and ">>> .leading dot" in text
    assert text[-1] == "<<< [EOF]"


def test_run_over_listed_ids_reads_no_other_entry(inst):
    """The daemon's delivery batches (dlv_run.ids) deliver exactly their
    entries without scanning the queue: a FIFO posing as another entry's
    qf would block any reader, and the run must not touch it."""
    ids = [inst.submit([inst.user], MSG % ("batch %d" % i)) for i in range(3)]
    fifo = os.path.join(inst.qdir, "qf" + ids[2][:-6] + "999999")
    os.mkfifo(fifo)
    try:
        p = subprocess.run([dtools.build_tool(), "run", inst.cf, "-i", ids[0], "-i", ids[1],
                            "-i", "not-an-id"], capture_output=True, timeout=60, env=inst.env())
    finally:
        os.unlink(fifo)
    assert p.returncode == 0, p.stderr
    assert inst.entries() == [ids[2]]
    assert sorted(m["Subject"] for m in inst.mbox()) == ["batch 0", "batch 1"]
