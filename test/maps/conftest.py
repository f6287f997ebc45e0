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
import tempfile

import pytest

from maptools import BIN, REF_ROOT, TOOLS, TOP, Tools


@pytest.fixture(scope="session")
def ours():
    for prog in ("makemap", "editmap", "praliases"):
        if not os.access(os.path.join(BIN, prog), os.X_OK):
            pytest.fail("build/bin/%s missing: run ./Build first" % prog)
    return Tools("ours", BIN)


@pytest.fixture(scope="session")
def ref():
    if REF_ROOT is None:
        pytest.skip("reference Sendmail not available")
    return Tools("ref", os.path.join(REF_ROOT, "usr/libexec/sendmail"))


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
