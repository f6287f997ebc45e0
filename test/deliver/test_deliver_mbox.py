"""mail.local interop: mailboxes written by deliveries through our sendmail
(submission, queue run, LMTP to mail.local) are read back message for
message by procmail's formail, the splitter other mbox tools agree with;
20 submissions delivering in parallel (-odi) into one mailbox lose and
interleave nothing.
"""
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dtools  # noqa: E402
from dtools import inst  # noqa: E402,F401

FORMAIL = shutil.which("formail")
pytestmark = pytest.mark.skipif(FORMAIL is None, reason="formail (Debian package procmail) "
                                "missing: ./Build installs it")

BODIES = {
    "from-lines": "From the start of a line\n>From already quoted\nFrom\nnot From here\n",
    "dots": ".\n..\n.leading dot\nend\n",
    "no-final-newline": "first line\nlast line without newline",
    "blank-lines": "text\n\n\n",
    "long-line": "x" * 5000 + "\n",
    "eight-bit": "caf\xe9 na\xefve \xfcber\n",
    "empty": "",
}


def expected_body(text):
    """What mbox readers must get back: mail.local quotes "From " lines
    (mboxo, as 8.17's) and ends the message with a newline."""
    if text and not text.endswith("\n"):
        text += "\n"
    return "".join((">" + l if l.startswith("From ") else l)
                   for l in text.splitlines(True))


def formail_split(path):
    """The messages of a mailbox as formail -s splits them (bytes each)."""
    out = tempfile.mkdtemp(prefix="formail-")
    try:
        with open(path, "rb") as f:
            p = subprocess.run([FORMAIL, "-s", "sh", "-c", 'cat > "$0/m.$FILENO"', out],
                               stdin=f, capture_output=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return [open(os.path.join(out, n), "rb").read() for n in sorted(os.listdir(out))]
    finally:
        shutil.rmtree(out, ignore_errors=True)


def split_message(raw):
    """(From_ line, headers, body) of one formail message; the blank line
    that separates messages in the mbox is not part of the body."""
    text = raw.decode("latin1")
    from_line, rest = text.split("\n", 1)
    headers, body = rest.split("\n\n", 1)
    assert body.endswith("\n") or body == ""
    return from_line, headers, body[:-1] if body.endswith("\n") else body


def test_formail_reads_back_every_message(inst):
    for name, text in BODIES.items():
        inst.submit([inst.user], ("Subject: %s\n\n" % name + text).encode("latin1"))
    inst.run()
    assert inst.entries() == []
    msgs = formail_split(os.path.join(inst.dir, "spool", inst.user))
    assert len(msgs) == len(BODIES)
    got = {}
    for raw in msgs:
        from_line, headers, body = split_message(raw)
        assert from_line.startswith("From %s" % inst.user)
        subject = [h for h in headers.split("\n") if h.startswith("Subject: ")][0][9:]
        got[subject] = body
    assert got == {k: expected_body(v) for k, v in BODIES.items()}


def test_twenty_parallel_submissions_into_one_mailbox(inst):
    procs = []
    for i in range(20):
        msg = "Subject: par%02d\n\n%s" % (i, "".join("par%02d %04d %s\n" % (i, n, "y" * 50)
                                                     for n in range(300)))
        p = subprocess.Popen([os.path.join(dtools.BIN, "sendmail"), "-C", inst.cf, "-odi",
                              "-oi", inst.user], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=inst.env())
        procs.append((p, msg))
    for p, msg in procs:
        out, _ = p.communicate(msg.encode(), timeout=120)
        assert p.returncode == 0, out
    inst.run()  # whatever a busy mailbox deferred
    assert inst.entries() == []
    msgs = formail_split(os.path.join(inst.dir, "spool", inst.user))
    assert len(msgs) == 20
    seen = set()
    for raw in msgs:
        _, headers, body = split_message(raw)
        subject = [h for h in headers.split("\n") if h.startswith("Subject: ")][0][9:]
        lines = body.splitlines()
        assert len(lines) == 300 and all(l.startswith(subject + " ") for l in lines), subject
        seen.add(subject)
    assert seen == {"par%02d" % i for i in range(20)}
