"""Differential -bt tests of the dns and bestmx map classes, /mx and
/canon, against a local DNS answerer.

Each side runs under the namespace wrapper through nshelper.py, which
bind-mounts a private resolv.conf ("nameserver 127.0.0.1", one-second
timeout, one attempt) over /etc/resolv.conf in the private mount
namespace and answers UDP queries on 127.0.0.1:53 of the private network
namespace from a small fixed zone (see nshelper.py): A, AAAA, MX, TXT,
PTR, CNAME, NS, SRV records, NXDOMAIN, no data, SERVFAIL and a name that
is never answered.  Then that side's sendmail -bt runs.
"""
import os
import subprocess

import pytest

import btdiff
from maptools import REF_ROOT

pytestmark = pytest.mark.skipif(REF_ROOT is None, reason="reference Sendmail not available")

HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nshelper.py")

FILES = {
    "resolv.conf": "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
    "switch": "hosts dns files\n",
    "hosts": "127.0.0.1 localhost\n",
}

CF = btdiff.HEADER + """\
OServiceSwitchFile=@DIR@/switch
OHostsFile=@DIR@/hosts
Ka dns -RA
Ka2 dns -R A
Kaz dns -RA -z,
Kz1 dns -RA -z, -Z1
Kz2 dns -RA -Z2 -z,
Ka6 dns -RAAAA
Kmx dns -RMX
Kmxz dns -RMX -z:
Ktxt dns -RTXT
Ktxtz dns -RTXT -z|
Kptr dns -RPTR
Kcn dns -RCNAME
Kns dns -RNS -z,
Ksrv dns -RSRV
Kb dns -RA -Bdom.example
Kbt dns -RTXT -Bdom.example
Km dns -RA -m -a.M
Kap dns -RA -a<A>
Kbad dns -RBOGUS
Knot dns
Kt dns -RA -T<TMP>
Ktt dns -RA -t -T<TMP>
Kd dns -RA -d1 -r1
Ko dns -o -RA
Kbm bestmx
Kbmz bestmx -z:
Kbmc bestmx -z,
Kbmm bestmx -m -a.X
KbmZ bestmx -Z1
Kh host -a. -T<TEMP>
Sa
R$*	$: $(t $1 $: nf $)
Sb
R$*	$: $(tt $1 $: nf $)
Sc
R$*	$: $(bm $1 $: nf $)
"""

INPUT = """\
/map a host.example
/map a HOST.example
/map a2 host.example
/map a nosuch.example
/map a nodata.example
/map a servfail.example
/map a drop.example
/map a alias.example
/map a multi.example
/map a multi
/map az multi.example
/map z1 multi.example
/map z2 multi.example
/map a6 host.example
/map mx mx.example
/map mxz mx.example
/map txt text.example
/map txtz text.example
/map ptr 1.2.0.192.in-addr.arpa
/map cn alias.example
/map ns ns.example
/map srv srv.example
/map b key
/map bt key
/map m host.example
/map ap host.example
/map bad host.example
/map not host.example
/map t servfail.example
/map d drop.example
/map o host.example
/map bm mx.example
/map bmz mx.example
/map bmc mx.example
/map bm host.example
/map bm nosuch.example
/map bm nodata.example
/map bm alias.example
/map bm servfail.example
/map bmm Mx.Example
/map bmm nosuch.example
/map h host.example
/map h nosuch.example
/canon host
/canon host.example
/canon mx1.example
/canon alias.example
/canon nosuch.example
/mx mx.example
/mx host.example
/mx nosuch.example
/mx host
/mx servfail.example
/mx drop.example
/mx nodata.example
/mx alias.example
/mx [1.2.3.4]
/mx localhost
a servfail.example
a host.example
b servfail.example
c mx.example
c nosuch.example
"""


def run(side, d):
    with open(os.path.join(d, "x.cf"), "w") as f:
        f.write(CF.replace("@DIR@", d))
    r = subprocess.run([btdiff.WRAP, "run", "/usr/bin/python3", HELPER, "--dns",
                        "--resolv", os.path.join(d, "resolv.conf"), "--",
                        btdiff.sendmail_path(side), "-C", os.path.join(d, "x.cf"), "-bt"],
                       input=INPUT.encode(), capture_output=True, cwd=d, timeout=120)
    return r.returncode, r.stdout.decode("latin-1"), r.stderr.decode("latin-1")


def test_dns_same_as_reference(work):
    d = os.path.join(work, "dns")
    os.makedirs(d)
    for name, text in FILES.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    ref = run("ref", d)
    ours = run("ours", d)
    # the reference really asked our answerer
    assert "map_lookup: a (host.example) returns 192.0.2.1 (0)" in ref[1]
    assert "getmxrr(mx.example) returns 2 value(s):" in ref[1]
    btdiff.assert_same(ref, ours)


def test_dns_declaration_errors_without_network(work):
    """No answerer at all: declarations, and lookups temp-fail the same way."""
    d = os.path.join(work, "dnsoff")
    cf = btdiff.HEADER + ("Ka dns -RA -d1 -r1\nKbad dns -RWHAT\nKnot dns -Bx\n"
                          "Kb bestmx\n")
    inp = "/map a host.example\n/map bad x\n/map not x\n/map b example.com\n"
    ref, ours = btdiff.compare(d, cf, inp)
    assert "dns map bad: wrong type WHAT" in ref[1]
    btdiff.assert_same(ref, ours)
