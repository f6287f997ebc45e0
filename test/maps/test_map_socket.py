"""Differential -bt tests of the socket map class (Sendmail's socketmap
netstring protocol) over unix and inet sockets.

Each side runs under the namespace wrapper through nshelper.py, which
starts a small Python socketmap server on a unix socket and on
127.0.0.1:7777 of the private network namespace, then runs that side's
sendmail -bt.  The server answers by key (see nshelper.py): values that
echo the request (so the map name, the key's case and connection sharing
show), NOTFOUND, TEMP, PERM, TIMEOUT, unknown statuses, short and slow
replies, closed connections.
"""
import os
import subprocess

import pytest

import btdiff
from maptools import REF_ROOT

pytestmark = pytest.mark.skipif(REF_ROOT is None, reason="reference Sendmail not available")

HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nshelper.py")

CF = btdiff.HEADER + """\
Ku socket local:@DIR@/sm.sock
Ku2 socket unix:@DIR@/sm.sock
Ki socket inet:7777@127.0.0.1
Kid socket -d1 inet:7777@127.0.0.1
Kim socket -m -a.M inet:7777@127.0.0.1
Kit socket -T<TMP> inet:7777@127.0.0.1
Kif socket -f inet:7777@127.0.0.1
Kia socket -a<A> inet:7777@127.0.0.1
Kno socket inet:7778@127.0.0.1
Knoo socket -o inet:7778@127.0.0.1
Knl socket local:@DIR@/nosuch.sock
Knlo socket -o local:@DIR@/nosuch.sock
Kbad socket foo:bar
Kbad2 socket inet:abc@127.0.0.1
Kbad3 socket inet:7777
Ksvc socket inet:smtp@127.0.0.1
Kh6 socket inet6:7777@::1
Klh socket inet:7777@localhost
Ke socket
Si
R$*	$: $(i $1 $: nf $)
Sa
R$- $*	$: $(ia $1 $@ x $: nf $)
"""

INPUT = """\
/map u Key
/map u key2
/map u2 Key
/map i Key
/map i temp
/map i perm
/map i timeout
/map i nfx
/map i weird
/map i empty
/map i Key
/map im Key
/map it temp
/map if Key
/map ia Key
/map i close
/map i Key
/map i long
/map no Key
/map noo Key
/map nl Key
/map nlo Key
/map bad Key
/map bad2 Key
/map bad3 Key
/map svc Key
/map h6 Key
/map lh Key
/map e Key
i Key
i perm
i nf
a Key rest
"""

# Timeouts: the first map to use an endpoint sets the connection's timeout.
TIMEOUT_CF = btdiff.HEADER + """\
Kd socket -d1 inet:7777@127.0.0.1
Kl socket inet:7777@127.0.0.1
"""
TIMEOUT_INPUT = "/map d slow\n/map d Key\n/map d badlen\n/map l Key\n/map l slow\n"


def run(side, d, cf, inp):
    with open(os.path.join(d, "x.cf"), "w") as f:
        f.write(btdiff.trust_sticky(cf.replace("@DIR@", d)))
    r = subprocess.run([btdiff.WRAP, "run", "/usr/bin/python3", HELPER,
                        "--unix", os.path.join(d, "sm.sock"), "--inet", "7777", "--"]
                       + [btdiff.sendmail_path(side), "-C", os.path.join(d, "x.cf"), "-bt"],
                       input=inp.encode(), capture_output=True, cwd=d, timeout=90)
    return r.returncode, r.stdout.decode("latin-1"), r.stderr.decode("latin-1")


def sides(d, cf, inp):
    os.makedirs(d, exist_ok=True)
    return run("ref", d, cf, inp), run("ours", d, cf, inp)


def test_socket_tempfail_in_rules(work):
    d = os.path.join(work, "sockT")
    cf = CF + "St\nR$*\t$: $(it $1 $: nf $)\n"
    ref, ours = sides(d, cf, "t temp\n")
    assert "t                returns: temp < TMP >" in ref[1]
    btdiff.assert_same(ref, ours)


def test_socket_same_as_reference(work):
    d = os.path.join(work, "sock")
    ref, ours = sides(d, CF, INPUT)
    assert "map_lookup: u (Key) returns req=[u key] n=1 (0)" in ref[1]
    assert "map_lookup: if (Key) returns req=[if Key]" in ref[1]
    btdiff.assert_same(ref, ours)


def test_socket_timeouts_same_as_reference(work):
    d = os.path.join(work, "socktime")
    ref, ours = sides(d, TIMEOUT_CF, TIMEOUT_INPUT)
    assert "read timeout" in ref[1] and "received only 9 of 99" in ref[1]
    btdiff.assert_same(ref, ours)
