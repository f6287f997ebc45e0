"""Helpers for the submission tests (test/submit): a private instance and
the two programs run side by side on it.

The instance lives in build/test-submit/ (rebuilt per session):
  etc/sendmail.cf   generated from OUR cf tree (cf/cf/localhost.mc with
                    -DINSTANCE_DIR and deterministic host files)
  etc/aliases       the aliases of the tests; aliases.db.ref and
                    aliases.db.ours are the two builds (Berkeley DB for the
                    reference, GDBM for us), copied into place before each run
  mqueue/           the queue (each test makes its own with qdir())

Both programs run under `test/lib/refsendmail run` (namespaces, host name
vm.example.com).  Helper module name chosen not to clash with other
suites' conftest.py.
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import smtest  # noqa: E402  (test/lib: the reference's root)

TOP = smtest.TOP
REFSM = smtest.REFSM
OURS = os.path.join(TOP, "build", "bin", "sendmail")
WORK = os.path.join(TOP, "build", "test-submit")

ALIASES = """\
postmaster: root
list: news, uucp, :include:@ETC@/list.inc
pipe: "|/bin/cat > /dev/null"
file: @WORK@/file.out
owner-list: lp
loop1: loop2
loop2: loop1
self: self, news
deep0: deep1
deep1: deep2
deep2: deep3
deep3: deep4
deep4: deep5
deep5: deep6
deep6: deep7
deep7: deep8
deep8: deep9
deep9: deep10
deep10: deep11
deep11: deep12
deep12: news
"""

LIST_INC = "lp\nmail\n# a comment\n\nnews\n"


def reference_problem():
    """Why the tests cannot run (None if they can)."""
    if os.geteuid() != 0:
        return "the programs run in namespaces: needs root"
    if not os.access(OURS, os.X_OK):
        return "build/bin/sendmail missing: run ./Build"
    return smtest.ref_lookup(need=None)[1]


def env():
    e = dict(os.environ)
    e.pop("TZ", None)
    e.pop("SENDMAIL_LOG_FILE", None)
    return e


class Instance:
    """One instance directory and the way to run either side on it."""

    def __init__(self, root):
        self.root = root
        self.etc = os.path.join(root, "etc")
        self.cf = os.path.join(self.etc, "sendmail.cf")

    # --- setup ---
    def build(self):
        shutil.rmtree(self.root, ignore_errors=True)
        for d in ("etc", "mqueue", "clientmqueue"):
            os.makedirs(os.path.join(self.root, d))
        os.chmod(self.root, 0o755)
        os.chmod(self.etc, 0o755)
        os.chmod(os.path.join(self.root, "mqueue"), 0o700)
        files = {
            "service.switch": "hosts files\n",
            "hosts": "127.0.0.1\tlocalhost\n192.0.2.10\tvm.example.com vm\n"
                     "192.0.2.20\tcanon.example nick.example\n",
            "aliases": ALIASES.replace("@ETC@", self.etc).replace("@WORK@", self.root),
            "list.inc": LIST_INC,
            "statistics": "",
        }
        for name, text in files.items():
            with open(os.path.join(self.etc, name), "w") as f:
                f.write(text)
            os.chmod(os.path.join(self.etc, name), 0o644)
        self.make_cf()
        self.run("ref", ["-bi"])
        shutil.copy(self.aliases_db(), self.aliases_db() + ".ref")
        self.run("ours", ["-bi"])
        shutil.copy(self.aliases_db(), self.aliases_db() + ".ours")

    def make_cf(self):
        cfdir = os.path.join(TOP, "cf")
        defs = ["-D_CF_DIR_=%s/" % cfdir, "-DINSTANCE_DIR=%s" % self.root,
                "-DconfSERVICE_SWITCH_FILE=%s/service.switch" % self.etc,
                "-DconfHOSTS_FILE=%s/hosts" % self.etc,
                "-DconfDOMAIN_NAME=vm.example.com"]
        out = subprocess.run(["m4"] + defs + [os.path.join(cfdir, "cf", "localhost.mc")],
                             cwd=os.path.join(cfdir, "cf"), capture_output=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError("m4: " + out.stderr.decode())
        with open(self.cf, "wb") as f:
            f.write(out.stdout)

    def aliases_db(self):
        return os.path.join(self.etc, "aliases.db")

    def qdir(self, name):
        """A fresh queue directory (mode 0700)."""
        path = os.path.join(self.root, name)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, mode=0o700)
        return path

    # --- running ---
    def run(self, side, args, stdin=b"", prefix=(), extra_env=None, cf=None, timeout=120):
        """Run one side (ref or ours) with our cf; returns CompletedProcess."""
        db = self.aliases_db() + "." + side
        if os.path.exists(db):
            shutil.copy(db, self.aliases_db())
        if side == "ref":
            root = smtest.ref_root_printed()
            prog = os.path.join(root, "usr/libexec/sendmail/sendmail")
        else:
            prog = OURS
        e = env()
        if extra_env:
            e.update(extra_env)
        argv = [REFSM, "run"] + list(prefix) + [prog, "-C", cf or self.cf] + list(args)
        return subprocess.run(argv, input=stdin, capture_output=True, timeout=timeout, env=e)

    def both(self, args, stdin=b"", **kw):
        return self.run("ref", args, stdin, **kw), self.run("ours", args, stdin, **kw)


def ctl_dir(qdir):
    sub = os.path.join(qdir, "qf")
    return sub if os.path.isdir(sub) else qdir


def qf_files(qdir):
    d = ctl_dir(qdir)
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.startswith("qf"))


def df_of(qf):
    return os.path.join(os.path.dirname(qf), "df" + os.path.basename(qf)[2:])


_ID = re.compile(rb"[0-9A-Za-z]{8}[0-9]{6,}")
_DATE = re.compile(rb"[A-Z][a-z][a-z], [0-9]+ [A-Z][a-z][a-z] [0-9]{4} [0-9:]{8} (GMT|[-+][0-9]{4}( \([A-Za-z]+\))?)")


def normalize_qf(data):
    """A qf with what differs between two runs (ids, times, dates) masked."""
    out = []
    for line in data.split(b"\n"):
        line = _ID.sub(b"QID", line)
        line = _DATE.sub(b"DATE", line)
        line = re.sub(rb"<[0-9]{12}\.QID@", b"<TS.QID@", line)
        if line[:1] in (b"T", b"K") and line[1:].isdigit():
            line = line[:1]
        if line.startswith(b"I") and re.match(rb"^I[0-9]+/[0-9]+/[0-9]+$", line):
            line = b"I"
        out.append(line)
    return b"\n".join(out)


def user_qfs(qdir):
    """The qfs of a queue that are not bounces (sender MAILER-DAEMON)."""
    res = []
    for f in qf_files(qdir):
        data = open(f, "rb").read()
        if b"\nSMAILER-DAEMON\n" not in data:
            res.append(data)
    return res


def qf_lines(data, letter):
    return [l for l in data.split(b"\n") if l.startswith(letter)]
