"""Recipients expanded at queue-run time, through the envelope module, as
8.17's queue run does for R lines that were queued unexpanded (an alias
database that was down at submission, qf files written by other tools):
aliases with :include:, owner- lists (the entry is split, the owner
becomes the sender), .forward, ruleset 5 (LUSER_RELAY), and C lines that
survive a requeue.  Messages are queued unexpanded with tool_deliver.
"""
import os
import pwd
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dtools  # noqa: E402
from dtools import inst  # noqa: E402,F401

MSG = "Subject: %s\n\nbody of %s\n"


def subjects(inst, user=None):
    return sorted(m["Subject"] for m in inst.mbox(user))


def test_alias_with_include_at_queue_run(inst):
    inc = inst.write("etc/team.inc", "%s\nb@plain.example\n" % inst.user)
    inst.aliases({"team": ":include:" + inc})
    inst.submit(["team"], MSG % ("inc", "inc"), tool=True)
    inst.run()
    assert inst.entries() == []
    assert subjects(inst) == ["inc"]
    with open(os.path.join(inst.dir, "files", "catter.argv")) as f:
        assert f.read().split()[-1] == "b"


def test_owner_list_splits_the_entry(inst):
    inst.aliases({"mylist": "%s, c@plain.example" % inst.user,
                  "owner-mylist": "listowner@example.org"})
    inst.submit(["mylist", "d@plain.example"], MSG % ("own", "own"), tool=True)
    inst.run()
    assert inst.entries() == []
    with open(os.path.join(inst.dir, "files", "catter.argv")) as f:
        argv = sorted(f.read().splitlines())
    # d came directly: the original sender; c came through mylist: its owner
    assert argv == sorted(["argv: %s d" % inst.user, "argv: listowner@example.org c"])
    box = inst.mbox()
    assert len(box) == 1 and box[0]["Return-Path"] == "<listowner@example.org>"
    assert any("clone: owner=listowner@example.org" in l for l in inst.loglines())


def test_c_line_kept_across_requeue(inst):
    inst.aliases({"later": "x@tempfail.example, %s" % inst.user})
    qid = inst.submit(["later"], MSG % ("req", "req"), tool=True)
    inst.run()
    assert inst.entries() == [qid]
    qf = inst.qf(qid)
    rlines = [l for l in qf.splitlines() if l[:1] in ("C", "R")]
    assert rlines == ["C:later", "RA:x@tempfail.example"], qf
    assert subjects(inst) == ["req"]
    inst.run()  # still deferred: the qf keeps the same C line
    assert [l for l in inst.qf(qid).splitlines() if l[:1] in ("C", "R")] == rlines
    inst.write("bin/tempfail.code", "0\n")
    inst.run()
    assert inst.entries() == []
    assert subjects(inst) == ["req"]  # not delivered to the user a second time


def test_unknown_user_at_queue_run_bounces(inst):
    inst.submit(["nosuchuser-q", inst.user], MSG % ("unk", "unk"), tool=True)
    inst.run()
    box = inst.mbox()
    dsn = [m for m in box if m.get_content_type() == "multipart/report"]
    assert len(dsn) == 1
    status = dsn[0].get_payload()[1].get_payload()
    assert status[1]["Status"] == "5.1.1" and status[1]["Action"] == "failed"
    assert "User unknown" in dsn[0].get_payload()[0].get_payload()


def luser_relay_cf(inst, target):
    """Our deliver.mc with LUSER_RELAY, into inst.cf."""
    with open(os.path.join(dtools.HERE, "deliver.mc")) as f:
        mc = f.read().replace("FEATURE(`accept_unresolvable_domains')dnl",
                              "FEATURE(`accept_unresolvable_domains')dnl\n"
                              "define(`LUSER_RELAY', `%s')dnl" % target)
    path = inst.write("etc/luser.mc", mc)
    out = subprocess.run(
        ["m4", "-D_CF_DIR_=" + os.path.join(dtools.TOP, "cf") + "/",
         "-DINSTANCE_DIR=" + inst.dir, "-DMAIL_LOCAL=" + os.path.join(dtools.BIN, "mail.local"),
         "-DSMRSH=" + os.path.join(dtools.BIN, "smrsh"),
         "-DDEFUSER=%d:%d" % (os.getuid(), os.getgid()), path], capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    with open(inst.cf, "wb") as f:
        f.write(out.stdout)


def test_ruleset_5_luser_relay_at_queue_run(inst):
    luser_relay_cf(inst, "local:" + inst.user)
    inst.submit(["nosuchuser-lr"], MSG % ("lr", "lr"), tool=True)
    inst.run()
    assert inst.entries() == []
    assert subjects(inst) == ["lr"]  # F=5: the unknown user went to the relay


@pytest.mark.skipif(os.geteuid() != 0, reason="bind-mounts a home directory: needs root")
def test_forward_at_queue_run(inst, tmp_path):
    """man's home (bind-mounted over in a private mount namespace) holds a
    .forward to us; the R line "man" is expanded by the queue run."""
    home = tmp_path / "home"
    home.mkdir()
    os.chmod(home, 0o755)
    (home / ".forward").write_text("%s\n" % inst.user)
    os.chmod(home / ".forward", 0o644)
    inst.submit(["man"], MSG % ("fwd", "fwd"), tool=True)
    script = 'mount --bind "$0" "$1" && shift && exec "$@"'
    p = subprocess.run(["unshare", "--mount", "sh", "-c", script, str(home),
                        pwd.getpwnam("man").pw_dir, os.path.join(dtools.BIN, "sendmail"), "-C",
                        inst.cf, "-q"], capture_output=True, timeout=60, env=inst.env())
    assert p.returncode == 0, p.stdout + p.stderr
    assert inst.entries() == []
    assert subjects(inst) == ["fwd"]
    assert not os.path.exists(os.path.join(inst.dir, "spool", "man"))
    assert any(re.search(r"to=%s, ctladdr=%s \(\d+/\d+\), .*mailer=local, .*stat=Sent"
                         % (inst.user, inst.user), l) for l in inst.loglines()), inst.loglines()
