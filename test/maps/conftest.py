"""Fixtures for the map tool tests (makemap, editmap, praliases, aliases).

Differential tests run the same input through our programs (build/bin/)
and the reference Sendmail 8.17 programs (test/lib/refsendmail root), and
compare what they print, their exit codes and the maps they build (dumped
with each side's own `makemap -u`, sorted, since hash order differs).

Work directories live under build/test-maps/, not /tmp: the reference
prints "WARNING: World writable directory" for maps under /tmp.
"""
import os
import shutil
import subprocess
import tempfile

import pytest

TOP = os.environ.get("SM_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(TOP, "build", "bin")
TOOLS = os.path.join(TOP, "build", "test", "maps")


def _ref_root():
    try:
        out = subprocess.run([os.path.join(TOP, "test", "lib", "refsendmail"), "root"],
                             capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None
    root = out.stdout.strip()
    if out.returncode != 0 or not os.path.isfile(
            os.path.join(root, "usr/libexec/sendmail/makemap")):
        return None
    return root


_REF = _ref_root()


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


@pytest.fixture(scope="session")
def ours():
    for prog in ("makemap", "editmap", "praliases"):
        if not os.access(os.path.join(BIN, prog), os.X_OK):
            pytest.fail("build/bin/%s missing: run ./Build first" % prog)
    return Tools("ours", BIN)


@pytest.fixture(scope="session")
def ref():
    if _REF is None:
        pytest.skip("reference Sendmail not available")
    return Tools("ref", os.path.join(_REF, "usr/libexec/sendmail"))


@pytest.fixture(scope="session")
def tool():
    def path(name):
        p = os.path.join(TOOLS, name)
        if not os.access(p, os.X_OK):
            pytest.fail("%s missing: run ./Build first" % p)
        return p
    return path


@pytest.fixture
def work():
    base = os.path.join(TOP, "build", "test-maps")
    os.makedirs(base, mode=0o755, exist_ok=True)
    d = tempfile.mkdtemp(dir=base)
    os.chmod(d, 0o755)
    with open(os.path.join(d, "empty.cf"), "w"):
        pass
    yield d
    shutil.rmtree(d, ignore_errors=True)


def refsendmail_run(args, **kw):
    """Run the reference sendmail in its namespaces (host vm.example.com)."""
    return subprocess.run([os.path.join(TOP, "test", "lib", "refsendmail"), "run",
                           "sendmail"] + list(args), capture_output=True, timeout=120, **kw)
