"""Nothing lost: SIGKILL the submitting process and the delivering process
at 100 random points in all, then run the queue to the end.

  - 50 kills of `sendmail` while it submits (half with -odq, half with -odi,
    which also delivers in the same process before it exits);
  - 50 kills of the queue runner (`sendmail -q`) while it delivers.
Then: every message whose submission returned 0 is in the mailbox at
least once, and every copy in the mailbox is complete and intact.  A
message whose submitter was killed may or may not be there (it is there
when the kill came after the qf was renamed into place), but never cut.

At least once, not exactly once, and why: a recipient leaves the queue
only when the qf is rewritten (or removed) after mail.local's final
"250" for it.  A kill between that reply and the unlink/rename leaves the
recipient queued, and the next run delivers it again; mail.local cannot
tell a retry from a new message.  (Exactly once would need the mailbox
and the queue to commit together, which mbox cannot do.)  Never partial:
the df is fsynced before the qf exists, the qf appears only by rename of
a complete, fsynced tf, and mail.local stores a message only after the
final "." of DATA: a client killed mid-DATA closes the pipe, and
mail.local throws the half message away (truncating the mailbox back).
"""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dtools  # noqa: E402
from dtools import inst  # noqa: E402,F401

SUBMIT_KILLS = 50
RUN_KILLS = 50
PER_ROUND = 3
LINES = 400


def body(token):
    return "".join("%s line %04d %s\n" % (token, i, "x" * 40) for i in range(LINES))


def message_file(tmp, token):
    path = os.path.join(tmp, token)
    with open(path, "w") as f:
        f.write("Subject: %s\n\n%s" % (token, body(token)))
    return path


def sendmail(inst, args, stdin=None):
    return subprocess.Popen([os.path.join(dtools.BIN, "sendmail"), "-C", inst.cf] + args,
                            stdin=stdin or subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=inst.env())


def kill_after(p, delay):
    """SIGKILL p after delay seconds unless it is done; its exit status
    (None when it was killed)."""
    end = time.time() + delay
    while time.time() < end:
        if p.poll() is not None:
            return p.returncode
        time.sleep(min(0.001, max(end - time.time(), 0)))
    if p.poll() is not None:
        return p.returncode
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    return None


def submit(inst, tmp, token, mode, delay=None):
    """Submit one message; with delay, kill the submitter then.  True when
    the submission returned 0 (the message must be delivered)."""
    with open(message_file(tmp, token)) as f:
        p = sendmail(inst, ["-od" + mode, "-oi", "-f", inst.user, inst.user], stdin=f)
        if delay is None:
            return p.wait(timeout=60) == 0
        return kill_after(p, delay) == 0


def timed(fn):
    t0 = time.time()
    fn()
    return time.time() - t0


def test_sigkill_never_loses_or_cuts_a_message(inst):
    rnd = random.Random(int(os.environ.get("DLV_CRASH_SEED", "5")))
    tmp = tempfile.mkdtemp(prefix="crash-msgs-", dir=inst.dir)
    must, tried = set(), set()

    def sub(token, mode, delay=None):
        tried.add(token)
        if submit(inst, tmp, token, mode, delay):
            must.add(token)

    # how long do uninterrupted submissions and runs take?
    spans = {m: max(timed(lambda m=m: sub("warm%s" % m, m)), 0.005) * 1.3 for m in "qi"}
    for i in range(PER_ROUND):
        sub("warmrun%d" % i, "q")
    run_span = max(timed(lambda: inst.run()), 0.05) * 1.3
    kills = 0
    for k in range(SUBMIT_KILLS):
        mode = "q" if k % 2 == 0 else "i"
        sub("sub%03d" % k, mode, rnd.uniform(0, spans[mode]))
        kills += 1
    for k in range(RUN_KILLS):
        for i in range(PER_ROUND):
            sub("run%03d_%d" % (k, i), "q")
        kill_after(sendmail(inst, ["-q"]), rnd.uniform(0, run_span))
        kills += 1
    assert kills == 100
    time.sleep(0.5)  # orphaned mail.local children see end of input and finish
    for _ in range(3):
        inst.run()
    assert inst.entries() == []
    seen = {}
    for m in inst.mbox():
        tok = m["Subject"]
        assert tok in tried, "a message nobody sent: %r" % tok
        assert m.get_payload() == body(tok), "partial or damaged copy of %s" % tok
        seen[tok] = seen.get(tok, 0) + 1
    missing = sorted(must - set(seen))
    assert missing == [], missing
    dups = sum(n - 1 for n in seen.values())
    print("%d submitted (%d accepted), %d kills, %d delivered, %d extra copies"
          % (len(tried), len(must), kills, len(seen), dups))
