"""Helpers for the delivery tests (test/deliver/); not named conftest.py so
that it cannot clash with other suites' helpers.

An Instance is a private MTA in a temp dir: sendmail.cf generated from
test/deliver/deliver.mc with OUR cf tree, mail.local (LMTP, spool in
INSTANCE/spool), smrsh (programs in INSTANCE/smrsh), a queue in
INSTANCE/mqueue, aliases, a statistics file, and two test mailers:
  x@tempfail.example -> INSTANCE/bin/tempfail (exit code from
                        INSTANCE/bin/tempfail.code, default 75)
  x@plain.example    -> INSTANCE/bin/catter (argv and stdin into files/)
Messages are queued with our `sendmail -odq` when it works, else with
tool_deliver submit; queue runs use our `sendmail -q` (SENDMAIL_LOG_FILE
collects the log lines).
"""
import email
import email.policy
import mailbox
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import smtest  # noqa: E402  (test/lib: the reference's root, runner and .mc preamble)

TOP = smtest.TOP
BIN = os.path.join(TOP, "build", "bin")
TOOL_DIR = os.path.join(TOP, "build", "test-deliver")
TOOL = os.path.join(TOOL_DIR, "tool_deliver")
REFSM = smtest.REFSM

CFLAGS = ["-std=c11", "-D_GNU_SOURCE", "-I" + TOP, "-Wall", "-Wextra", "-Werror",
          "-Wno-unused-parameter", "-O1", "-g"]

_built = []


def build_tool():
    if _built:
        return TOOL
    libs = [os.path.join(TOP, "build", x) for x in ("libsendmail.a", "libsmdb.a", "libsm.a")]
    for lib in libs + [os.path.join(BIN, "mail.local"), os.path.join(BIN, "smrsh"),
                       os.path.join(BIN, "sendmail")]:
        if not os.path.exists(lib):
            pytest.skip("%s missing: run ./Build first" % lib)
    os.makedirs(TOOL_DIR, exist_ok=True)
    out = subprocess.run(["cc"] + CFLAGS + ["-o", TOOL, os.path.join(HERE, "tool_deliver.c")]
                         + libs + ["-lresolv", "-lgdbm"], capture_output=True, timeout=120)
    if out.returncode != 0:
        pytest.fail("building tool_deliver:\n" + out.stderr.decode())
    _built.append(True)
    return TOOL


def me():
    return pwd.getpwuid(os.getuid()).pw_name


TEMPFAIL = """#!/bin/sh
code=75
[ -f "$0.code" ] && code=$(cat "$0.code")
echo "tempfail mailer says no to $*"
cat > /dev/null
exit $code
"""

CATTER = """#!/bin/sh
echo "argv: $*" >> %(dir)s/files/catter.argv
cat >> %(dir)s/files/catter.out
"""


def write_file(top, rel, text, mode=0o644):
    """Write text to top/rel with mode; returns the path."""
    path = os.path.join(top, rel)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


class Instance:
    def __init__(self, top):
        self.dir = top
        self.cf = os.path.join(top, "etc", "sendmail.cf")
        self.log = os.path.join(top, "maillog")
        self.qdir = os.path.join(top, "mqueue")
        self.user = me()
        for d in ("etc", "mqueue", "spool", "smrsh", "files", "bin"):
            os.makedirs(os.path.join(top, d), exist_ok=True)
        os.chmod(self.qdir, 0o700)
        self.write("etc/service.switch", "hosts files\naliases files\n")
        self.write("etc/hosts", "127.0.0.1\tlocalhost\n192.0.2.10\tvm.example.com vm\n")
        self.write("etc/statistics", "")
        self.write("bin/tempfail", TEMPFAIL, 0o755)
        self.write("bin/catter", CATTER % {"dir": top}, 0o755)
        self.aliases({})
        self._gen_cf()

    def write(self, rel, text, mode=0o644):
        return write_file(self.dir, rel, text, mode)

    def _gen_cf(self):
        out = subprocess.run(
            ["m4", "-D_CF_DIR_=" + os.path.join(TOP, "cf") + "/", "-DINSTANCE_DIR=" + self.dir,
             "-DMAIL_LOCAL=" + os.path.join(BIN, "mail.local"),
             "-DSMRSH=" + os.path.join(BIN, "smrsh"),
             "-DDEFUSER=%d:%d" % (os.getuid(), os.getgid()),
             os.path.join(HERE, "deliver.mc")], capture_output=True, timeout=60)
        if out.returncode != 0:
            pytest.fail("m4: " + out.stderr.decode())
        with open(self.cf, "wb") as f:
            f.write(out.stdout)

    def aliases(self, entries):
        text = "postmaster: %s\nMAILER-DAEMON: postmaster\n" % self.user
        text += "".join("%s: %s\n" % kv for kv in entries.items())
        path = self.write("etc/aliases", text)
        subprocess.run([build_tool(), "aliases", path], check=True, capture_output=True)

    def env(self):
        env = dict(os.environ)
        env["SENDMAIL_LOG_FILE"] = self.log
        # QueueLA (8 by default) would hold back queue runs on a busy test
        # machine: the runs see a fixed load average of 0
        env.setdefault("SM_TEST_LOADAVG", "0")
        return env

    def submit(self, rcpts, msg, sender=None, tool=False):
        """Queue msg (bytes or str) for rcpts; returns the queue id."""
        if isinstance(msg, str):
            msg = msg.encode()
        sender = sender or self.user
        before = set(self.entries())
        if tool:
            subprocess.run([build_tool(), "submit", self.qdir, sender] + list(rcpts),
                           input=msg, check=True, capture_output=True, timeout=60)
        else:
            p = subprocess.run([os.path.join(BIN, "sendmail"), "-C", self.cf, "-odq", "-oi",
                                "-f", sender] + list(rcpts), input=msg, capture_output=True,
                               timeout=60, env=self.env())
            assert p.returncode == 0, p.stdout + p.stderr
        new = [i for i in self.entries() if i not in before]
        assert len(new) == 1, new
        return new[0]

    def run(self, *qargs, check=True, timeout=120):
        argv = [os.path.join(BIN, "sendmail"), "-C", self.cf] + ["-q" + a for a in qargs or ("",)]
        p = subprocess.run(argv, capture_output=True, timeout=timeout, env=self.env())
        if check:
            assert p.returncode == 0, p.stdout + p.stderr
        return p

    def mailq(self):
        p = subprocess.run([os.path.join(BIN, "sendmail"), "-C", self.cf, "-bp"],
                           capture_output=True, timeout=60, env=self.env())
        return p.stdout.decode("latin1")

    def entries(self):
        return sorted(f[2:] for f in os.listdir(self.qdir) if f.startswith("qf"))

    def qf(self, qid):
        with open(os.path.join(self.qdir, "qf" + qid), "rb") as f:
            return f.read().decode("latin1")

    def age(self, qid, seconds):
        """Move the entry's creation time back (T line)."""
        path = os.path.join(self.qdir, "qf" + qid)
        with open(path, "rb") as f:
            data = f.read().decode("latin1")
        data = re.sub(r"^T(\d+)$", lambda m: "T%d" % (int(m.group(1)) - seconds), data,
                      count=1, flags=re.M)
        with open(path, "wb") as f:
            f.write(data.encode("latin1"))

    def mbox(self, user=None):
        path = os.path.join(self.dir, "spool", user or self.user)
        if not os.path.exists(path):
            return []
        return [email.message_from_bytes(m.as_bytes(), policy=email.policy.compat32)
                for m in mailbox.mbox(path)]

    def mbox_bytes(self, user=None):
        path = os.path.join(self.dir, "spool", user or self.user)
        if not os.path.exists(path):
            return b""
        with open(path, "rb") as f:
            return f.read()

    def loglines(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log, encoding="latin1") as f:
            return f.read().splitlines()


@pytest.fixture
def inst():
    top = tempfile.mkdtemp(prefix="dlv-")
    os.chmod(top, 0o755)
    try:
        yield Instance(top)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def reference_root():
    """The reference's root; None unless root (it runs in namespaces) and available."""
    return smtest.ref_root("sendmail", as_root=True)


def ref_mc(d, version, extra=""):
    """A reference .mc for the instance in d: its etc files, its queue,
    deferred delivery; extra (m4 lines) comes before the MAILER lines."""
    return (smtest.mc_head(d + "/etc", version) +
            "define(`ALIAS_FILE', `%s/etc/aliases')dnl\n" % d +
            "define(`QUEUE_DIR', `%s/mqueue')dnl\n" % d +
            "define(`confDELIVERY_MODE', `deferred')dnl\n"
            "FEATURE(`accept_unresolvable_domains')dnl\n" + extra +
            "MAILER(`local')dnl\n"
            "MAILER(`smtp')dnl\n")
