"""Nothing lost: SIGKILL the queue runner at 60 random points, then run
the queue to the end.  Every message must be in the mailbox at least once
and every copy must be complete.

Why at least once and not exactly once: the qf is rewritten only after
the mailer's final reply, so a kill between mail.local's "250" for a
recipient and the rename of the new qf leaves the recipient queued, and
the next run delivers it again.  Never partial: mail.local speaks LMTP and
stores a message only after the final "." of DATA; a runner killed in the
middle of DATA closes the pipe first, and mail.local throws the message
away (and truncates the mailbox back).
"""
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dtools  # noqa: E402
from dtools import inst  # noqa: E402,F401

KILLS = 60
PER_ROUND = 3
LINES = 400


def body(token):
    return "".join("%s line %04d %s\n" % (token, i, "x" * 40) for i in range(LINES))


def run_and_kill(inst, delay):
    p = subprocess.Popen([os.path.join(dtools.BIN, "sendmail"), "-C", inst.cf, "-q"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=inst.env())
    time.sleep(delay)
    try:
        os.kill(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.wait()


def test_sigkill_never_loses_or_cuts_a_message(inst):
    rnd = random.Random(int(os.environ.get("DLV_CRASH_SEED", "5")))
    tokens = []
    # how long does an uninterrupted run of one round take?
    t0 = time.time()
    for i in range(PER_ROUND):
        tok = "warmup%d" % i
        tokens.append(tok)
        inst.submit([inst.user], "Subject: %s\n\n%s" % (tok, body(tok)))
    inst.run()
    span = max(time.time() - t0, 0.05) * 1.5
    for k in range(KILLS):
        for i in range(PER_ROUND):
            tok = "msg%03d_%d" % (k, i)
            tokens.append(tok)
            inst.submit([inst.user], "Subject: %s\n\n%s" % (tok, body(tok)))
        run_and_kill(inst, rnd.uniform(0, span))
    time.sleep(0.5)  # let orphaned mail.local children see EOF and finish
    for _ in range(3):
        inst.run()
    assert inst.entries() == []
    time.sleep(0.2)
    seen = {}
    for m in inst.mbox():
        tok = m["Subject"]
        assert m.get_payload() == body(tok), "partial or damaged copy of %s" % tok
        seen[tok] = seen.get(tok, 0) + 1
    missing = [t for t in tokens if t not in seen]
    assert missing == [], missing
    dups = sum(n - 1 for n in seen.values())
    print("%d messages, %d kills, %d delivered twice or more" % (len(tokens), KILLS, dups))
