"""test_cfread: the sendmail.cf reader, compared with the reference Sendmail.

For every .mc of test/compat/mc (built with the reference m4 tree) the
rulesets (=S for every S line's name) and the mailers (=M) that our
`sendmail -C x.cf -bt` prints must equal the reference's, and so must what
both print for broken configurations (messages go to stdout, the exit
status follows the errors).

Run: /usr/bin/python3 -m pytest test/cfread
Skips (with the reason) while build/bin/sendmail has no -bt mode.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "test" / "compat"))
import btcompat  # noqa: E402

REFSENDMAIL = str(REPO / "test" / "lib" / "refsendmail")
OURS = os.path.abspath(os.environ.get("OURS_SENDMAIL") or REPO / "build" / "bin" / "sendmail")
BANNER = b"ADDRESS TEST MODE"
LOCAL = "Mlocal, P=/bin/true, F=lsDFM, A=true $u\n"


def run(prog, cf, stdin, cwd):
    """Run PROG -C cf -bt under the namespace wrapper; (rc, stdout, stderr)."""
    p = subprocess.run([REFSENDMAIL, "run", prog, "-C", cf, "-bt"], input=stdin,
                       capture_output=True, cwd=cwd, timeout=120)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    if not os.access(OURS, os.X_OK):
        pytest.skip("no build/bin/sendmail")
    d = tmp_path_factory.mktemp("cfread")
    probe = d / "probe.cf"
    probe.write_text("V10\n" + LOCAL)
    rc, out, _ = run(OURS, str(probe), b"", str(d))
    if BANNER not in out:
        pytest.skip("our sendmail has no -bt mode yet")
    w = btcompat.prepare_work(str(d / "w"))
    return w, btcompat.build_cfs(w)


def ruleset_names(cf):
    names = []
    for line in Path(cf).read_text(errors="replace").splitlines():
        m = re.match(r"S\s*([A-Za-z_0-9]+)", line)
        if m and m.group(1) not in names:
            names.append(m.group(1))
    return names


MC_NAMES = sorted(p.stem for p in (REPO / "test" / "compat" / "mc").glob("*.mc"))


@pytest.mark.parametrize("name", MC_NAMES)
def test_rulesets_and_mailers(work, name):
    wdir, cfs = work
    cf = cfs[name]
    stdin = ("=M\n" + "".join("=S%s\n" % n for n in ruleset_names(cf))).encode()
    ref = run("sendmail", cf, stdin, wdir)
    ours = run(OURS, cf, stdin, wdir)
    assert ours[1].decode(errors="replace") == ref[1].decode(errors="replace")
    assert ours[0] == ref[0]


BAD = {
    "missing-ruleset": "R$*\t$@ $1\n",
    "tab-expected": "Sfoo\nR$*\n",
    "out-of-bounds": "Sfoo\nR$*\t$@ $2\n",
    "bad-ruleset": "S100\nS-1\nSfoo=200\nSfoo=abc\n",
    "changed-value": "Sfoo\nR$*\t$@ a\nSfoo=5\nR$*\t$@ b\n",
    "version": "Vabc\nV10/Foo\n",
    "unknown-line": "Afoo\n bar\nPfoo\n",
    "header": "Hfoo\nH?xyz\n",
    "names": "C\nD{foo\n",
    "queue-milter": "Q\nXfoo\nXm, S=inet:1@localhost, Q=x\n",
    "mailers": "Mfoo\nMfoo, A=x\nMfoo, P=[TCP], A=x\nMfoo, P=/x, A=x, Z=3\n",
    "options": "O Foobar=1\nO Tim=1\nO SevenBit\nO\nO-\nO =x\nO Timeout.foo=3\n",
    "option-values": "O QueueSortOrder=x\nO PrivacyOptions=foo\nO MaxHeadersLength=100\n",
    "delivery-mode": "O DeliveryMode=x\n",
    "fileclass": "FA/nonexistent/x\nFG\n",
    "lhs-rhs": "Sfoo\nR$: x\t$@ 1\nRx\t$* $=w\nRx\t$( a $( b $) $)\nRx\t$( a b\n",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_cf(work, tmp_path, case):
    cf = tmp_path / "x.cf"
    cf.write_text("V10/Berkeley\n" + BAD[case] + LOCAL)
    stdin = b"=Sfoo\n"
    ref = run("sendmail", "x.cf", stdin, str(tmp_path))
    ours = run(OURS, "x.cf", stdin, str(tmp_path))
    assert ours[1].decode(errors="replace") == ref[1].decode(errors="replace")
    assert ours[0] == ref[0]
