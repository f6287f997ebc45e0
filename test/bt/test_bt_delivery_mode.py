"""${deliveryMode} in address test mode, as the reference 8.17 sets it.

The cf's O DeliveryMode line does not reach the macro; only a mode given
on the command line (-od, -O DeliveryMode=) does, and it is "i" otherwise.
Uppercase modes are refused.  Expected texts observed with the reference.
"""

import os
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SENDMAIL = os.path.abspath(os.environ.get("OURS_SENDMAIL")
                           or os.path.join(REPO, "build", "bin", "sendmail"))

CF = """V10
Mlocal, P=/bin/true, F=l, A=x
Stest
R$*\t$: < $&{deliveryMode} > $1
O DeliveryMode=q
"""


@pytest.fixture(scope="module")
def cf(tmp_path_factory):
    path = tmp_path_factory.mktemp("dm") / "dm.cf"
    path.write_text(CF)
    return str(path)


def result(cf, *args):
    if not os.access(SENDMAIL, os.X_OK):
        pytest.skip("build/bin/sendmail not built")
    p = subprocess.run([SENDMAIL, "-C", cf, *args, "-bt"], input=b"test x\n",
                       capture_output=True, timeout=30)
    return p.returncode, p.stdout.decode()


@pytest.mark.parametrize("args,mode", [((), "i"), (("-odq",), "q"), (("-odb",), "b"),
                                       (("-od",), "i"), (("-ODeliveryMode=d",), "d"),
                                       (("-odbackground",), "b")])
def test_mode_from_command_line_only(cf, args, mode):
    rc, out = result(cf, *args)
    assert rc == 0
    assert "test             returns: < %s > x\n" % mode in out


def test_uppercase_mode_refused(cf):
    rc, out = result(cf, "-odB")
    assert rc == 64
    assert "Unknown delivery mode B" in out
