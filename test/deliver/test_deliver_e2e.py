"""End to end through our sendmail: submission (-t, -odi / -odq), the
queue, a queue run, mail.local; what arrives in the mailbox."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dtools  # noqa: E402
from dtools import inst  # noqa: E402,F401


def sendmail(inst, args, msg, timeout=120):
    p = subprocess.run([os.path.join(dtools.BIN, "sendmail"), "-C", inst.cf] + args,
                       input=msg, capture_output=True, timeout=timeout, env=inst.env())
    assert p.returncode == 0, p.stdout + p.stderr
    return p


def test_t_with_bcc_delivers_without_the_bcc_field(inst):
    inst.aliases({"hidden": os.path.join(inst.dir, "files", "hidden.mbox")})
    msg = ("To: %s\nBcc: hidden\nSubject: bcc\n\nsecret list\n" % inst.user).encode()
    sendmail(inst, ["-t", "-oi", "-odi"], msg)
    assert inst.entries() == []
    box = inst.mbox()
    assert len(box) == 1 and box[0]["Subject"] == "bcc" and box[0]["Bcc"] is None
    with open(os.path.join(inst.dir, "files", "hidden.mbox"), "rb") as f:
        hidden = f.read()
    assert b"Subject: bcc" in hidden and b"\nBcc:" not in hidden


def test_big_header_and_ten_megabyte_body(inst):
    big = b"X-Big: " + b"a" * 100 * 1024 + b"\n"
    body = (b"0123456789" * 7 + b"\n") * (10 * 1024 * 1024 // 71)
    msg = b"Subject: big\n" + big + b"\n" + body
    sendmail(inst, ["-oi", "-odq", "-OMaxHeadersLength=200000", inst.user], msg)
    inst.run()
    assert inst.entries() == []
    box = inst.mbox()
    assert len(box) == 1
    raw = inst.mbox_bytes()
    assert big in raw  # one line, not folded
    assert box[0].get_payload().encode() == body


def test_eight_bit_body_unchanged(inst):
    body = "Gr\xfc\xdfe, \xe9t\xe9, na\xefve\n".encode("latin1")
    sendmail(inst, ["-oi", "-odi", inst.user], b"Subject: 8bit\n\n" + body)
    raw = inst.mbox_bytes()
    assert body in raw
