"""Helpers shared by the test/maps tests (a uniquely named module, so
that it never clashes with other suites' conftest.py)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import smtest  # noqa: E402  (test/lib: the reference's root and runner)

TOP = smtest.TOP
BIN = os.path.join(TOP, "build", "bin")
TOOLS = os.path.join(TOP, "build", "test", "maps")

REF_ROOT = smtest.ref_root("makemap")


class Tools:
    """Paths and runners for one side (ours or the reference)."""

    def __init__(self, name, bindir):
        self.name = name
        self.bindir = bindir

    def path(self, prog):
        return os.path.join(self.bindir, prog)

    def run(self, prog, args, stdin=b"", cwd=None, **kw):
        return subprocess.run([self.path(prog)] + list(args), input=stdin,
                              capture_output=True, cwd=cwd, timeout=120, **kw)


def refsendmail_run(args, **kw):
    """Run the reference sendmail in its namespaces (host vm.example.com)."""
    return smtest.ref_run("sendmail", args, capture_output=True, timeout=120, **kw)


def side_dir(work, name):
    """The directory of one side (ours or ref) inside a work directory."""
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    return d


def dump(side, d, mapname="m", mtype="hash", flags=()):
    """One side's sorted `makemap -u` of a map in d (d is inside a work dir)."""
    r = side.run("makemap", ["-C", "../empty.cf", "-u"] + list(flags) + [mtype, mapname], cwd=d)
    assert r.returncode == 0, r.stderr
    return sorted(r.stdout.split(b"\n"))
