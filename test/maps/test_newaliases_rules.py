"""sendmail -bi with a real m4 configuration: alias names go through the
rulesets (3, then 0) as the reference 8.17's newaliases does, so
`remote@example.com` (a local domain) is stored as `remote` and a name
resolving to another mailer is refused; -bi refuses to run without the
queue directory.  Each side builds its own database from the same file,
and praliases of each must list the same pairs.
"""
import os
import shutil
import subprocess

import pytest

from maptools import BIN, REF_ROOT, TOP, refsendmail_run

MC = """divert(-1)
include(`{cfm4}')
divert(0)dnl
OSTYPE(`linux')dnl
define(`confDOMAIN_NAME', `vm.example.com')dnl
define(`confSERVICE_SWITCH_FILE', `{d}/switch')dnl
define(`confHOSTS_FILE', `{d}/hosts')dnl
define(`confDONT_PROBE_INTERFACES', `True')dnl
define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit')dnl
define(`ALIAS_FILE', `{d}/aliases')dnl
define(`QUEUE_DIR', `{d}/mqueue')dnl
LOCAL_DOMAIN(`example.com')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""

ALIASES = (b"remote@example.com: x\nfoo: bar\nother@elsewhere.org: y\n"
           b"\"quoted name\": z\nMixed@VM.Example.COM: m\n")
# Sendmail parses the whole line up to ':' and repairs the name; its message
# names the file and line and shows the rest of the line.  Not matched yet.
MALFORMED = b"bad<name: q\n"

pytestmark = pytest.mark.skipif(REF_ROOT is None, reason="reference sendmail not available")


def side(work, name, aliases=ALIASES):
    d = os.path.join(work, name)
    os.makedirs(d)
    with open(os.path.join(d, "switch"), "w") as f:
        f.write("hosts files\n")
    with open(os.path.join(d, "hosts"), "w") as f:
        f.write("127.0.0.1 localhost vm.example.com vm\n")
    with open(os.path.join(d, "aliases"), "wb") as f:
        f.write(aliases)
    mc = MC.format(cfm4=os.path.join(REF_ROOT, "usr/share/sendmail/cf/m4/cf.m4"), d=d)
    with open(os.path.join(d, "x.cf"), "w") as f:
        f.write(subprocess.run(["m4"], input=mc, capture_output=True, text=True,
                               check=True).stdout)
    return d


def bi(name, d):
    args = ["-C", os.path.join(d, "x.cf"), "-bi"]
    if name == "ref":
        return refsendmail_run(args)
    return refsendmail_run_ours(args)


def refsendmail_run_ours(args):
    return subprocess.run([os.path.join(TOP, "test", "lib", "refsendmail"), "run",
                           os.path.join(BIN, "sendmail")] + args, capture_output=True, timeout=120)


def pairs(prog, d):
    r = subprocess.run([prog, "-f", os.path.join(d, "aliases")], capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return sorted(r.stdout.split(b"\n"))


@pytest.fixture
def work(tmp_path):
    # Not under /tmp's sticky bit only: the reference warns about world-writable parents.
    d = os.path.join(TOP, "build", "test-maps", "bi-%s" % tmp_path.name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_missing_queue_directory_refused(work):
    outs = {}
    for name in ("ref", "ours"):
        d = side(work, name)
        r = bi(name, d)
        outs[name] = (r.returncode, r.stdout.replace(d.encode(), b"D"))
        assert not os.path.exists(os.path.join(d, "aliases.db"))
    assert outs["ours"] == outs["ref"]
    assert outs["ours"][0] == 78


def build_both(work, aliases):
    outs = {}
    for name in ("ref", "ours"):
        d = side(work, name, aliases)
        os.makedirs(os.path.join(d, "mqueue"))
        r = bi(name, d)
        outs[name] = (r.returncode, r.stdout.replace(d.encode(), b"D"))
    return outs


@pytest.mark.xfail(reason="malformed alias names: message and repaired key differ", strict=True)
def test_malformed_name(work):
    outs = build_both(work, ALIASES + MALFORMED)
    assert outs["ours"] == outs["ref"]


def test_names_through_the_rulesets(work):
    outs = {}
    for name in ("ref", "ours"):
        d = side(work, name)
        os.makedirs(os.path.join(d, "mqueue"))
        r = bi(name, d)
        outs[name] = (r.returncode, r.stdout.replace(d.encode(), b"D"))
    assert outs["ours"] == outs["ref"]
    ref = pairs(os.path.join(REF_ROOT, "usr/libexec/sendmail/praliases"), os.path.join(work, "ref"))
    ours = pairs(os.path.join(BIN, "praliases"), os.path.join(work, "ours"))
    assert ours == ref
    assert b"remote:x" in ours
