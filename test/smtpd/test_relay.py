"""No open relay: nmap's smtp-open-relay forms and friends against the daemon.

With cf/cf/localhost.mc, a client that is not this host (127.0.0.2,
client.example.org) may not relay through any of the 13 recipient forms
x 4 sender forms of nmap's smtp-open-relay script, nor the extra forms
(trailing dots, case variants, %-hack at localhost, IPv6 literals, odd
brackets).  The same attempts are accepted from a client named in
RELAY_DOMAIN, and from one with "Connect:addr RELAY" in access_db.
Relaying from 127.0.0.1 with the default configuration: the reference
Sendmail 8.17, given the same cf/cf/localhost.mc built by its own m4 tree,
relays for a client at 127.0.0.1 (and ::1, and a local -bs session): the
generated check_rcpt has "R127.0.0.1 $@ RELAY  originated locally" in its
client-address check, whatever class R holds.  It refuses every relay
form from 127.0.0.2 and 127.0.0.3 ("550 5.7.1 ... Relaying denied") and
from an address without a PTR name ("450 4.4.0 ... Relaying temporarily
denied. Cannot resolve PTR record"), and accepts local recipients from
all of them.  Ours decides the same for every one of the 4 senders x 32
recipient forms from those 4 clients: that is the "localhost" configuration
of test_daemon_reference.py (refdaemon.py), played against both daemons.
So a private instance on 127.0.0.1 (./Build run) is an open relay for the
programs of this machine, as Sendmail's is, and for nobody else.
"""
import pytest

from conftest import Client

D = "example.com"


def recipient_forms(ip="127.0.0.1", s="vm"):
    forms = ["relaytest@D", "relaytest%D@[IP]", "relaytest%D@S", '"relaytest@D"',
             '"relaytest%D"', "relaytest@D@[IP]", '"relaytest@D"@[IP]', "relaytest@D@S",
             "@[IP]:relaytest@D", "@S:relaytest@D", "D!relaytest", "D!relaytest@[IP]",
             "D!relaytest@S"]
    out = [f.replace("D", D).replace("[IP]", "[%s]" % ip).replace("@S", "@" + s)
           .replace(":S", ":" + s) for f in forms]
    out += ["relaytest@example.com.", "relaytest@EXAMPLE.COM", "RelayTest@Example.Com.",
            "relaytest%example.com@localhost", "relaytest%example.com@LOCALHOST.",
            "relaytest%example.com@[IPv6:::1]", "relaytest@[IPv6:2001:db8::1]",
            "relaytest@[192.0.2.1]", "<relaytest@example.com>", "relaytest@[example.com]",
            "relaytest@example.com]", "relaytest@[example.com", "@vm,@localhost:relaytest@example.com",
            "relaytest%example.com%vm@localhost", "example.com!relaytest%vm@localhost",
            "relaytest@example.com@", '"relaytest"@example.com', "relaytest@.example.com"]
    return out


SENDERS = ["<>", "<antispam@sender.example>", "<relaytest@[127.0.0.1]>", "<antispam@vm>"]


def attempts(inst, source):
    """Return {(sender, rcpt): reply} for every combination from source."""
    c = Client(inst.connect(source))
    assert c.code() == 220
    assert c.cmd("EHLO relay-test")[-1].startswith("250")
    out = {}
    for snd in SENDERS:
        r = c.cmd("MAIL FROM:" + snd)
        if not r[-1].startswith("250"):
            out[(snd, None)] = r[-1]  # the sender itself was refused: nothing to relay
            continue
        for rc in recipient_forms():
            out[(snd, rc)] = c.cmd("RCPT TO:<%s>" % rc.strip("<>"))[-1]
        c.cmd("RSET")
    c.cmd("QUIT")
    c.close()
    return out


def test_no_relay_from_foreign_client(inst):
    got = attempts(inst, "127.0.0.2")
    assert len(got) >= 4 * 13
    relayed = {k: v for k, v in got.items() if v.startswith("250")}
    assert relayed == {}
    denied = [v for v in got.values() if "Relaying denied" in v]
    assert len(denied) >= 4 * 10


def test_no_relay_from_other_loopback_addresses(inst):
    for src in ("127.1.2.3", "127.0.0.4"):
        got = attempts(inst, src)
        assert not any(v.startswith("250") for v in got.values()), src


def test_relay_domain_allows(inst_factory):
    inst = inst_factory(mc_lines="RELAY_DOMAIN(`friend.example.net')dnl\n").start()
    got = attempts(inst, "127.0.0.3")
    plain = got[("<antispam@sender.example>", "relaytest@example.com")]
    assert plain.startswith("250"), plain
    assert not any(v.startswith("250") for v in attempts(inst, "127.0.0.2").values())


def test_access_connect_relay_allows(inst_factory):
    inst = inst_factory(mc_lines="FEATURE(`access_db', `hash -o {dir}/etc/access')dnl\n",
                        access="Connect:127.0.0.4 RELAY\n").start()
    got = attempts(inst, "127.0.0.4")
    assert got[("<>", "relaytest@example.com")].startswith("250")
    assert not any(v.startswith("250") for v in attempts(inst, "127.0.0.2").values())


def test_localhost_may_relay(inst):
    got = attempts(inst, "127.0.0.1")
    assert got[("<>", "relaytest@example.com")].startswith("250")


@pytest.mark.parametrize("rcpt,code", [("relaytest@example.com@vm", "553"),
                                        ("nosuchuser@vm", "550"), ("postmaster@vm", "250")])
def test_local_forms(inst, rcpt, code):
    c = Client(inst.connect("127.0.0.2"))
    c.reply()
    c.cmd("EHLO x")
    c.cmd("MAIL FROM:<a@sender.example>")
    assert c.cmd("RCPT TO:<%s>" % rcpt)[-1].startswith(code)
    c.close()
