#!/usr/bin/env python3
"""queue_bench: submission with -odq, then one queue run delivering to
mail.local, ours against the reference Sendmail 8.17.

Run by `./Build bench` (not a test).  For each side, in a fresh temp
instance:
  1. submit N (default 2,000; QB_N overrides) messages of 4 KB, one
     `sendmail -odq -oi -f root root` process per message (the reference
     under test/lib/refsendmail run, as everywhere else);
  2. time ONE queue run that delivers them all (ours: `sendmail -q`; the
     reference: `sendmail -qf`, its foreground run), from a copy of the
     submitted queue, QB_TRIALS times (default 5) with the two sides
     interleaved so that both see the same load; the best run counts;
  3. check that the mailbox holds N messages and the queue is empty.
Both sides deliver with the same program, OUR mail.local in LMTP mode
(FEATURE(local_lmtp) with -p <spool>), so the comparison is of the MTAs.
Both fsync every queue file (SuperSafe default); mail.local fsyncs the
mailbox.  Printed: messages per second for submission and for delivery,
per side, and ours/reference ratios (higher is better for us), also end
to end (one message submitted and delivered).  Both keep one mail.local
LMTP session open for the whole run (8.17 caches the local mailer's
connection too).
The reference needs root and the unpacked binaries; without them only our
side is measured, and that is said.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.environ.get("SM_TOP") or os.path.abspath(os.path.join(os.path.dirname(__file__),
                                                               "..", ".."))
sys.path.insert(0, os.path.join(TOP, "test", "deliver"))
import dtools  # noqa: E402
import smtest  # noqa: E402  (test/lib, put on sys.path by dtools)

N = int(os.environ.get("QB_N", "2000"))
TRIALS = int(os.environ.get("QB_TRIALS", "5"))
# a busy machine must not make either side hold entries back (QueueLA 8)
NO_LOAD_LIMITS = ["-OQueueLA=10000", "-ORefuseLA=20000"]
BODY = "".join("line %03d of a four kilobyte benchmark message body ........\n" % i
               for i in range(64))[:4000] + "\n"

def message(i):
    return ("Subject: bench %d\nTo: root\n\n" % i + BODY).encode()


def count_mbox(path):
    n = 0
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"From "):
                n += 1
    return n


def submit_all(name, submit_argv, env):
    t0 = time.time()
    for i in range(N):
        p = subprocess.run(submit_argv, input=message(i), capture_output=True, env=env)
        if p.returncode != 0:
            sys.exit("%s submission failed: %s" % (name, (p.stdout + p.stderr).decode()))
    return N / (time.time() - t0)


def restore(inst, saved):
    """Put the submitted queue back and empty the mailbox (for another trial)."""
    shutil.rmtree(inst.qdir)
    shutil.copytree(saved, inst.qdir, symlinks=True)
    os.chmod(inst.qdir, 0o700)
    open(os.path.join(inst.dir, "spool", "root"), "w").close()
    os.sync()


def deliver_once(name, run_argv, inst, env):
    t0 = time.time()
    p = subprocess.run(run_argv, capture_output=True, env=env)
    t1 = time.time()
    if p.returncode != 0:
        sys.exit("%s queue run failed: %s" % (name, (p.stdout + p.stderr).decode()))
    left = inst.entries()
    got = count_mbox(os.path.join(inst.dir, "spool", "root"))
    if left or got != N:
        sys.exit("%s: %d delivered, %d left in the queue" % (name, got, len(left)))
    return N / (t1 - t0)


class Side:
    """One MTA: its instance, how to submit and how to run the queue."""

    def __init__(self, name, inst, submit_argv, run_argv, env):
        self.name, self.inst, self.submit_argv, self.run_argv, self.env = (
            name, inst, submit_argv, run_argv, env)
        self.saved = os.path.join(inst.dir, "mqueue.saved")
        self.sub_rate = None
        self.runs = []

    def submit(self):
        self.sub_rate = submit_all(self.name, self.submit_argv, self.env)
        shutil.copytree(self.inst.qdir, self.saved, symlinks=True)

    def deliver(self):
        restore(self.inst, self.saved)
        self.runs.append(deliver_once(self.name, self.run_argv, self.inst, self.env))

    def best(self):
        return max(self.runs)

    def done(self):
        shutil.rmtree(self.inst.dir, ignore_errors=True)


def private_copy(inst, name):
    """A copy of build/bin/NAME for this run: the build tree may be relinked
    by a concurrent build while the benchmark runs."""
    dst = os.path.join(inst.dir, "bin", name)
    for _ in range(30):
        try:
            shutil.copy2(os.path.join(dtools.BIN, name), dst)
            return dst
        except OSError:
            time.sleep(1)
    sys.exit("queue_bench: cannot copy %s" % name)


def ours():
    inst = dtools.Instance(tempfile.mkdtemp(prefix="qbench-ours-"))
    env = dict(os.environ)
    env.pop("SENDMAIL_LOG_FILE", None)
    sm = private_copy(inst, "sendmail")
    ml = private_copy(inst, "mail.local")
    with open(inst.cf) as f:
        cf = f.read().replace(os.path.join(dtools.BIN, "mail.local"), ml)
    with open(inst.cf, "w") as f:
        f.write(cf)
    return Side("ours", inst, [sm, "-C", inst.cf, "-odq", "-oi", "-f", "root", "root"],
                [sm, "-C", inst.cf, "-q"] + NO_LOAD_LIMITS, env)


def reference(root):
    inst = dtools.Instance(tempfile.mkdtemp(prefix="qbench-ref-"))
    os.chmod(inst.dir, 0o755)
    inst.write("etc/local-host-names", "vm.example.com\n")
    lmtp = "FEATURE(`local_lmtp', `%s', `mail.local -l -p %s/spool')dnl\n" % (
        private_copy(inst, "mail.local"), inst.dir)
    mc = inst.write("etc/ref.mc", dtools.ref_mc(inst.dir, "queue benchmark", lmtp))
    out = smtest.m4_cf(os.path.join(root, smtest.REF_CF), mc, check=True)
    cf = os.path.join(inst.dir, "etc", "ref.cf")
    with open(cf, "wb") as f:
        f.write(out.stdout)
    env = dict(os.environ)
    env.pop("TZ", None)
    base = [dtools.REFSM, "run", "sendmail", "-C", cf]
    return Side("reference", inst, base + ["-odq", "-oi", "-f", "root", "root"],
                base + ["-qf"] + NO_LOAD_LIMITS, env)


def main():
    if os.geteuid() != 0:
        sys.exit("queue_bench: mail.local delivers to root's mailbox: run as root")
    dtools.build_tool()
    print("queue_bench: %d messages of 4 KB, -odq submission then one queue run to mail.local"
          % N)
    root = dtools.reference_root()
    sides = [ours()] + ([reference(root)] if root is not None else [])
    try:
        for s in sides:
            s.submit()
        for _ in range(TRIALS):  # interleaved, so that both see the same machine
            for s in sides:
                s.deliver()
        for s in sides:
            print("  %-10s submission %8.1f msg/s   delivery run %8.1f msg/s (best of %d: %s)"
                  % (s.name + ":", s.sub_rate, s.best(), TRIALS,
                     ", ".join("%.0f" % r for r in s.runs)))
        if len(sides) == 1:
            print("  reference: not available (needs root and test/lib/refsendmail); ours only")
            return
        o, r = sides
        total = [1 / (1 / s.sub_rate + 1 / s.best()) for s in sides]
        print("  ratio ours/reference: submission %.2fx, delivery %.2fx, end to end %.2fx"
              " (target >= 2x)" % (o.sub_rate / r.sub_rate, o.best() / r.best(),
                                    total[0] / total[1]))
        print("  (reference submissions include refsendmail's namespace set-up per process)")
    finally:
        for s in sides:
            s.done()


if __name__ == "__main__":
    main()
