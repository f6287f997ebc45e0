"""Fixtures for the queue tests: the reference Sendmail 8.17 writes real
queue files, our sendmail/queue reads, rewrites and lists them.

Everything lives under build/test-queue/ (rebuilt per session):
  sendmail.cf      generated from test/queue/queue.mc with the REFERENCE m4
                   tree (QueueDirectory is given per run with -oQ)
  tool_queue       test/queue/tool_queue.c linked with build/libsendmail.a
  <name>/          one queue directory per scenario

The reference runs as root under `test/lib/refsendmail run` (private uts,
mount and net namespaces, host name vm.example.com).  See README.
"""
import os
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("SM_TOP") or os.path.dirname(os.path.dirname(HERE))
REFSM = os.path.join(TOP, "test", "lib", "refsendmail")
WORK = os.path.join(TOP, "build", "test-queue")
TOOL = os.path.join(WORK, "tool_queue")

CFLAGS = ["-std=c11", "-D_GNU_SOURCE", "-I" + TOP, "-Wall", "-Wextra", "-Werror",
          "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes",
          "-Wno-unused-parameter", "-O1", "-g"]

FILES = {
    "service.switch": "hosts files\n",
    "hosts": "127.0.0.1\tlocalhost\n192.0.2.10\tvm.example.com vm\n",
    "local-host-names": "vm.example.com\n",
}


def _env():
    """Environment for both sides: no TZ (8.17 drops it unless TimeZoneSpec
    is set), so both format times with the system's local time."""
    env = dict(os.environ)
    env.pop("TZ", None)
    return env


def _reference_ok():
    if os.geteuid() != 0:
        return "the reference runs in namespaces: needs root"
    try:
        out = subprocess.run([REFSM, "root"], capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "reference unavailable: %s" % e
    root = out.stdout.strip()
    if out.returncode != 0 or not os.path.isfile(
            os.path.join(root, "usr/libexec/sendmail/sendmail")):
        return "reference unavailable"
    return None


class Env:
    """The work directory, the reference runner and our tool."""

    def __init__(self, root):
        self.root = root
        self.cf = os.path.join(WORK, "sendmail.cf")

    def qdir(self, name, subdirs=()):
        """A fresh queue directory (mode 0700) with optional qf/ df/ xf/."""
        path = os.path.join(WORK, name)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, mode=0o700)
        for s in subdirs:
            os.makedirs(os.path.join(path, s), mode=0o700)
        return path

    def ref(self, args, stdin=b"", check=True, prefix=()):
        """Run the reference sendmail with our cf; returns CompletedProcess."""
        prog = os.path.join(self.root, "usr/libexec/sendmail/sendmail")
        argv = [REFSM, "run"] + list(prefix) + ([prog] if prefix else ["sendmail"])
        p = subprocess.run(argv + ["-C", self.cf] + list(args), input=stdin,
                           capture_output=True, timeout=60, env=_env())
        if check and p.returncode != 0:
            raise AssertionError("reference %s: rc=%d\n%s%s" % (
                args, p.returncode, p.stdout.decode("latin1"), p.stderr.decode("latin1")))
        return p

    def submit(self, qdir, args, msg):
        """Queue msg with the reference (-odq); returns the new id."""
        before = set(os.listdir(self._ctl_dir(qdir)))
        self.ref(["-oQ" + qdir, "-odq"] + list(args), stdin=msg)
        new = [f for f in os.listdir(self._ctl_dir(qdir)) if f not in before]
        ids = [f[2:] for f in new if f.startswith("qf")]
        assert len(ids) == 1, new
        return ids[0]

    def mailq(self, qdir, *flags):
        """The reference's -bp output for a QueueDirectory value."""
        return self.ref(["-oQ" + qdir, "-bp"] + list(flags)).stdout

    def tool(self, *args, stdin=b"", check=True):
        p = subprocess.run([TOOL] + list(args), input=stdin, capture_output=True,
                           timeout=60, env=_env())
        if check and p.returncode != 0:
            raise AssertionError("tool_queue %s: rc=%d\n%s" % (
                args, p.returncode, p.stderr.decode("latin1")))
        return p

    @staticmethod
    def _ctl_dir(qdir):
        sub = os.path.join(qdir, "qf")
        return sub if os.path.isdir(sub) else qdir


def _build_cf(root):
    for name, text in FILES.items():
        with open(os.path.join(WORK, name), "w") as f:
            f.write(text)
    with open(os.path.join(HERE, "queue.mc")) as f:
        mc = f.read().replace("@WORK@", WORK)
    mcpath = os.path.join(WORK, "queue.mc")
    with open(mcpath, "w") as f:
        f.write(mc)
    cfdir = os.path.join(root, "usr/share/sendmail/cf")
    out = subprocess.run(["m4", "-D_CF_DIR_=" + cfdir + "/", os.path.join(cfdir, "m4/cf.m4"),
                          mcpath], capture_output=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError("m4: " + out.stderr.decode())
    with open(os.path.join(WORK, "sendmail.cf"), "wb") as f:
        f.write(out.stdout)


def _build_tool():
    libs = [os.path.join(TOP, "build", x) for x in ("libsendmail.a", "libsm.a")]
    for lib in libs:
        if not os.path.isfile(lib):
            pytest.fail("%s missing: run ./Build first" % lib)
    out = subprocess.run(["cc"] + CFLAGS + ["-o", TOOL, os.path.join(HERE, "tool_queue.c")]
                         + libs + ["-lresolv", "-lgdbm"], capture_output=True, timeout=120)
    if out.returncode != 0:
        pytest.fail("building tool_queue:\n" + out.stderr.decode())


@pytest.fixture(scope="session")
def env():
    why = _reference_ok()
    if why:
        pytest.skip(why)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK, mode=0o755)
    root = subprocess.run([REFSM, "root"], capture_output=True, text=True).stdout.strip()
    _build_cf(root)
    _build_tool()
    return Env(root)
