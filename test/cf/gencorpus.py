"""gencorpus: random -bt lines for the cf test corpus.

    /usr/bin/python3 test/cf/gencorpus.py N SEED x.cf [y.cf ...] > lines

prints about N lines built from a seeded random generator (the same N,
SEED and .cf files give the same lines): addresses of every shape an MTA
meets (local, remote, masqueraded, virtual, +detail, %-hack, bang paths,
route addresses, IP literals, trailing dots, case, quotes, comments, list
syntax and plain junk) through 3,0, /parse and /try with each mailer of
the .cf files under each /tryflags; the policy rulesets after random
client, auth and TLS macro settings; every named ruleset of the .cf files
with addresses and "a $| b" pairs; local delivery (localaddr) with $h.
The domains, users and client addresses are those of test/cf/data (hosts,
maps), so lookups hit and miss.  corpus/95-generated.txt was made with it;
the comparison with the reference tree is done by test_cf.py as for every
corpus line.
"""
import random, re

LOCALS = ["user", "root", "postmaster", "alice", "bob", "bob+detail", "bob+x+y",
          "support+help", "carol", "first.last", "MAILER-DAEMON", "lostmail",
          "info", "sales", "gone", "nobody", "abuse", "victim", "spammer", "friend",
          "blocked", "discard", "operator", "daemon", "User", "ROOT", "user+",
          "+detail", "a.b.c", '"quoted user"', '"q@x"', "archive", "x+spam",
          "user%remote.example.org", "u%h%vm.example.com", "u%gw.example.org",
          "relayer", "bad", "catchall", "www-data"]
DOMAINS = ["vm.example.com", "vm", "VM.Example.COM", "localhost",
           "localhost.localdomain", "example.com", "Example.Com", "mail.example.com",
           "dept.example.com", "sub.dept.example.com", "x.dept.example.com",
           "hub.example.com", "old.example.com", "virt.example.net",
           "virt2.example.net", "sub.virt.example.net", "mt.example.org",
           "sub.example.org", "x.sub.example.org", "deep.example.org",
           "a.deep.example.org", "bad.example.org", "local.example.org",
           "direct.example.org", "gw.example.org", "gw", "partner.example.net",
           "remote.example.org", "[192.0.2.10]", "[127.0.0.1]", "[IPv6:::1]",
           "[10.1.2.3]", "[192.0.2.99]", "host.UUCP", "uuhost.UUCP", "cunyvm.BITNET",
           "node.DECNET", "5551234.FAX", "x.RSCS", "foo.local", "archive.vm.example.com",
           "internal.example.com", "x.invalid", "a.xyz", "nonexistent.invalid",
           "alias.example.com", "secure.example.org", "relayed.example.org",
           "closed.example.com", "later.example.net", "junk.example.net",
           "friend.example.org", "smarthost.example.net", "host.sub.example.org",
           "spam.example.net", "watched.example.org", "local.test", "blackhole.example",
           "near.example.org", "legacy.example.org", "outside2.example",
           "forbidden.example", "nowhere.example", "x.y.example.com", "mx.example.net",
           "relay.example.com", "a.b.deep.example.org", "ebl.example.org"]
WEIRD = ["undisclosed-recipients:;", "group: %(lp)s@%(d)s, x@%(d2)s;", "list:;@%(d)s",
         ":include:/etc/mail/list", "|/usr/bin/prog", "/var/mail/%(lp)s", "%(lp)s@",
         "@", "%(lp)s@.%(d)s", "%(lp)s@a..b", "<@%(d)s:%(lp)s>", "<@%(d2)s:@%(d)s:%(lp)s@%(d2)s>",
         "@%(d2)s,@%(d)s:%(lp)s@x.example.org", "<@[192.0.2.1]:%(lp)s@%(d)s>", "%(lp)s,%(lp)s@%(d)s",
         "%(lp)s@%(d)s:25", "%(lp)s%%vm@vm", "%(lp)s%%vm.example.com@vm.example.com",
         "%(lp)s%%%(d2)s%%%(d)s", "<%(lp)s@[%(d2)s]>", "%(lp)s@[IPv6:2001:db8::1]",
         "<<%(lp)s@%(d)s>>", "%(lp)s@%(d)s.REDIRECT", "%(lp)s@vm.example.com.x.REDIRECT",
         "\\%(lp)s", "%(lp)s.@%(d)s", "%(lp)s@%(d)s;", "<%(lp)s@%(d)s> junk",
         "%(lp)s@localhost.UUCP", "%(lp)s@vm.UUCP", "%(d)s!%(lp)s@vm.example.com",
         "%(lp)s@*LOCAL*", "%(lp)s < @ %(d)s . >", "decnode::%(lp)s@vm.example.com"]
NAMES = ["Full Name", '"Last, First"', "J. Random", "=?utf-8?q?x?="]
IPS = ["127.0.0.1", "192.0.2.5", "192.0.2.6", "192.0.2.7", "192.0.2.8", "192.0.2.9",
       "192.0.2.10", "192.0.2.99", "10.9.1.1", "10.66.0.1", "203.0.113.66",
       "203.0.113.67", "203.0.113.69", "203.0.113.70", "203.0.113.71", "203.0.113.72",
       "198.51.100.7", "198.51.100.50", "IPv6:2001:db8::1", "IPv6:::1", "0.0.0.0",
       "172.16.1.1", ""]
HOSTS = ["localhost", "vm.example.com", "partner.example.net", "spam.example.net",
         "x.dyn.example.net", "unknown", "[1.2.3.4]", "host.sub.example.org",
         "gw.example.org", "mail.example.com", "friend.example.org", "a.example.org",
         "", "junk.example.net"]


def dom(r):
    d = r.choice(DOMAINS)
    x = r.random()
    if x < 0.08:
        d += "."
    elif x < 0.14:
        d = d.upper()
    return d


def addr(r):
    lp, d = r.choice(LOCALS), dom(r)
    f = r.random()
    if f < 0.10:
        return r.choice(WEIRD) % {"lp": lp, "d": d, "d2": dom(r)}
    if f < 0.40:
        return "%s@%s" % (lp, d)
    if f < 0.50:
        return "<%s@%s>" % (lp, d)
    if f < 0.56:
        return "%s <%s@%s>" % (r.choice(NAMES), lp, d)
    if f < 0.60:
        return "%s@%s (%s)" % (lp, d, r.choice(NAMES))
    if f < 0.65:
        return "<@%s,@%s:%s@%s>" % (dom(r), dom(r), lp, d)
    if f < 0.68:
        return "@%s:%s@%s" % (dom(r), lp, d)
    if f < 0.74:
        return "%s!%s" % (r.choice(["host", "uuhost", "gw", "vm", d]), lp)
    if f < 0.77:
        return "%s!%s!%s" % (d, r.choice(["a", "gw"]), lp)
    if f < 0.85:
        return lp
    if f < 0.88:
        return "%s%%%s@%s" % (lp, dom(r), d)
    if f < 0.90:
        return "<>"
    if f < 0.92:
        return "%s@%s@%s" % (lp, dom(r), d)
    if f < 0.94:
        return "%s::%s" % (r.choice(["node", "decnode"]), lp)
    if f < 0.96:
        return "<%s>" % lp
    if f < 0.97:
        return '"%s"@%s' % (lp.strip('"'), d)
    if f < 0.985:
        return r.choice(WEIRD) % {"lp": lp, "d": d, "d2": dom(r)}
    return "%s@%s" % (lp, d.replace(".", " . "))


def focused(r):
    """an address as the internal rulesets see it after canonify"""
    lp, d = r.choice(LOCALS), r.choice(DOMAINS)
    d = " . ".join(d.split("."))
    f = r.random()
    if f < 0.6:
        return "%s < @ %s . >" % (lp, d)
    if f < 0.8:
        return "%s < @ %s >" % (lp, d)
    return lp


def cf_info(cftext):
    rs = re.findall(r"^S([A-Za-z_]\w*)", cftext, re.M)
    mailers = re.findall(r"^M([\w-]+)", cftext, re.M)
    return rs, mailers

MACROS = {
    "client_addr": IPS, "client_name": HOSTS,
    "client_resolve": ["OK", "FAIL", "FORGED", "TEMP", ""],
    "auth_type": ["", "", "PLAIN", "LOGIN", "CRAM-MD5", "EXTERNAL"],
    "auth_authen": ["", "trusted", "user@example.com"],
    "auth_author": ["", "user"], "verify": ["", "OK", "FAIL", "NO", "NONE", "TEMP"],
    "daemon_flags": ["", "", "u", "a", "c"], "client_ptr": HOSTS,
    "cert_issuer": ["", "/C=US/O=Example+20CA", "/CN=Other"],
    "cert_subject": ["", "/CN=client.example.org"], "cn_subject": ["", "client.example.org"],
    "server_name": ["", "gw.example.org", "secure.example.org", "mx.example.net"],
    "server_addr": ["", "192.0.2.30", "198.51.100.8"],
    "cipher_bits": ["", "0", "128", "256"], "auth_ssf": ["", "0", "56"],
    "client_rate": ["", "1", "5"], "client_connections": ["", "1", "9"],
    "addr_type": ["", "e s", "e r", "h s", "h r"], "deliveryMode": ["", "b", "d"],
    "client_flags": ["", "M"], "opMode": ["", "t", "d", "s"],
    "rcpt_addr": ["", "user@example.com"], "mail_from": ["", "<user@example.com>"],
}


def setmacro(r):
    k = r.choice(list(MACROS))
    return ".D{%s}%s" % (k, r.choice(MACROS[k]))


def policy(r, rs):
    out = []
    for k in ("client_addr", "client_name", "client_resolve", "auth_type", "verify",
              "daemon_flags"):
        out.append(".D{%s}%s" % (k, r.choice(MACROS[k])))
    for _ in range(r.randint(0, 3)):
        out.append(setmacro(r))
    if r.random() < 0.6:
        out.append(".Ds%s" % r.choice(HOSTS + ["vm.example.com", "[192.0.2.10]", "foo", "[127.0.0.1]", "[IPv6:::1]", "[10.1.1.1]", "vm", "localhost.localdomain", "example.com", "[1.2.3]"]))
    out.append(".Df<%s>" % r.choice([addr(r).strip("<>"), "", "spammer@example.net"]))
    cmds = []
    for _ in range(r.randint(2, 6)):
        x = r.random()
        if x < 0.15:
            cmds.append("check_relay %s $| %s" % (r.choice(HOSTS), r.choice(IPS)))
        elif x < 0.40:
            cmds.append("check_mail %s" % r.choice(["<%s>" % addr(r).strip("<>"), addr(r)]))
        elif x < 0.80:
            cmds.append("check_rcpt %s" % r.choice(["<%s>" % addr(r).strip("<>"), addr(r)]))
        elif x < 0.90:
            cmds.append("check_compat %s $| %s" % (addr(r), addr(r)))
        else:
            name = r.choice([n for n in rs if re.match(r"(tls_|try_tls|srv_|clt_|trust_auth|greet|queuegroup|authinfo|check_|RateControl|ConnControl|bcc)", n)] or ["check_relay"])
            cmds.append("%s %s" % (name, r.choice([addr(r), "%s $| %s" % (r.choice(HOSTS), r.choice(IPS)),
                                                 r.choice(["", "VERIFY", "ENCR:128", "SOFTWARE", "OK", "FAIL", "NO"]) + " $| " + r.choice(["", "128", "gw.example.org", "secure.example.org"])])))
    return out + cmds


def try_lines(r, mailers):
    out = []
    if r.random() < 0.7:
        out.append("/tryflags %s" % r.choice(["HS", "HR", "ES", "ER", "S", "R", "H", "E"]))
    out.append("/try %s %s" % (r.choice(mailers), addr(r)))
    return out


def generate(cftext, n, seed):
    r = random.Random(seed)
    rs, mailers = cf_info(cftext)
    rs = [x for x in rs if x not in ("my_rs", "cftest_sep")]
    lines = []
    while len(lines) < n:
        x = r.random()
        if x < 0.30:
            lines.append("3,0 %s" % addr(r))
        elif x < 0.40:
            lines.append("/parse %s" % addr(r))
        elif x < 0.58:
            lines += try_lines(r, mailers)
        elif x < 0.80:
            lines += policy(r, rs)
        elif x < 0.95:
            name = r.choice(rs)
            inp = r.choice([addr(r), focused(r), focused(r), "%s $| %s" % (addr(r), addr(r)),
                            "<%s> $| %s" % (r.choice(["OK", "REJECT", "RELAY", "DISCARD", "?", "ERROR:550 x"]), focused(r))])
            lines.append("%s %s" % (name, inp))
        elif x < 0.965:
            lines += tls_family(r, rs)
        elif x < 0.98:
            lines.append(".Dh%s" % r.choice(["", "detail", "x+y", "vm.example.com"]))
            lines.append("%s %s" % (r.choice(["localaddr", "5", "Local_localaddr"]), r.choice(LOCALS + ["u@vm.example.com", "u $| x", "lp+*"])))
        else:
            lines.append("%s %s" % (r.choice(["canonify", "3", "3,2", "3,1", "3,98", "Parse0", "Parse1", "3,4"]), addr(r)))
    return lines



def tls_family(r, rs):
    out = [".D{verify}%s" % r.choice(["OK", "FAIL", "NO", "NOT", "NONE", "CLEAR", "SOFTWARE", "PROTOCOL", "TEMP", "DANE_FAIL", "CONFIG", "TRUSTED", ""]),
           ".D{cipher_bits}%s" % r.choice(["", "0", "40", "128", "256"]),
           ".D{cert_issuer}%s" % r.choice(MACROS["cert_issuer"]),
           ".D{cert_subject}%s" % r.choice(MACROS["cert_subject"]),
           ".D{cn_subject}%s" % r.choice(MACROS["cn_subject"]),
           ".D{server_name}%s" % r.choice(MACROS["server_name"]),
           ".D{server_addr}%s" % r.choice(MACROS["server_addr"]),
           ".D{client_name}%s" % r.choice(HOSTS), ".D{client_addr}%s" % r.choice(IPS),
           ".D{TLS_Name}%s" % r.choice(["", "client.example.org", "gw.example.org"])]
    tl = [n for n in rs if n in ("tls_server", "tls_client", "tls_rcpt", "try_tls", "srv_features", "clt_features", "trust_auth", "greet_pause", "check_compat", "authinfo", "queuegroup", "Local_trust_auth", "RateControl", "ConnControl", "bcc", "check_relay")]
    for _ in range(r.randint(1, 4)):
        if not tl: break
        n = r.choice(tl)
        arg = r.choice([
            r.choice(["OK", "FAIL", "NO", "NONE", "SOFTWARE", "TEMP", "PROTOCOL"]) + r.choice(["", " $| MAIL", " $| STARTTLS", " $| RCPT"]),
            "%s $| %s" % (r.choice(HOSTS + ["secure.example.org"]), r.choice(IPS)),
            addr(r), "%s@%s" % (r.choice(LOCALS), r.choice(["secure.example.org", "partner.example.net", "gw.example.org", "slow.example.org", "example.com"])),
            "%s $| %s" % (r.choice(["spammer@example.net", "bad@example.net", addr(r)]), r.choice(["alice@example.com", "bob@example.com", addr(r)])),
            r.choice(["gw.example.org", "secure.example.org", "partner.example.net"]),
            "%s $| %s" % (r.choice(["", "PLAIN", "LOGIN", "EXTERNAL"]), r.choice(["", "user", "trusted"]))])
        out.append("%s %s" % (n, arg))
    return out


def main(argv):
    import sys
    n, seed, cfs = int(argv[0]), int(argv[1]), argv[2:]
    rs, mailers = set(), set()
    for cf in cfs:
        with open(cf, errors="replace") as fh:
            a, b = cf_info(fh.read())
        rs.update(a)
        mailers.update(b)
    text = "".join("S%s\n" % x for x in sorted(rs)) + "".join("M%s,\n" % m for m in sorted(mailers))
    for line in generate(text, n, seed):
        if line.startswith("#") or "[[" in line:
            continue
        sys.stdout.write(line + "\n")


if __name__ == "__main__":
    import sys
    main(sys.argv[1:])
