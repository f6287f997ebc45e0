"""sessions: the SMTP session scripts of the daemon comparison (refdaemon.py).

scripts(config) returns the list of scripts (format: nsclient.py) made
from a few dozen templates, each instantiated over its parameters:
client addresses (what access_db, RELAY_DOMAIN and the hosts file say
about them is in refdaemon.py), HELO/EHLO forms, MAIL FROM forms (null,
local, remote, unresolvable, malformed, access-listed, with SIZE BODY
RET ENVID and unknown parameters), RCPT forms (local users, aliases,
unknown users, remote domains, the open-relay tricks, virtual users,
access To: entries, NOTIFY and ORCPT), DATA (normal, too big, without
recipients), RSET NOOP VRFY EXPN HELP ETRN VERB, bad and out-of-order
commands, limits.  Names are unique and stable, so differences can be
listed by name in KNOWN-DIFFERENCES.
"""

# Client addresses and what they are (see refdaemon.HOSTS and ACCESS).
SOURCES = {
    "127.0.0.1": "localhost",
    "127.0.0.2": "client.example.org, nothing special",
    "127.0.0.3": "friend.example.net, RELAY_DOMAIN",
    "127.0.0.4": "blocked.example.org, Connect: REJECT by name",
    "127.0.0.5": "no host name",
    "127.0.0.6": "spammer.example.com, Connect: DISCARD",
    "127.0.0.7": "host.friend.example.net, under RELAY_DOMAIN",
    "127.0.0.8": "okhost.example.org, Connect: OK",
    "127.0.0.9": "forged.example.org (name does not map back)",
    "127.1.0.1": "Connect: REJECT by address",
    "127.1.0.2": "Connect: ERROR 550",
    "127.1.0.3": "Connect: ERROR 421",
    "127.2.0.1": "Connect:127.2 RELAY (net)",
    "127.2.3.4": "Connect:127.2 RELAY (net)",
    "127.3.0.1": "Connect: OK by address",
    "127.4.5.6": "unknown, no name",
}

FOREIGN = "127.0.0.2"
RELAYER = "127.2.0.1"

HELOS = ["EHLO client.example.org", "HELO client.example.org", "EHLO", "HELO",
         "EHLO [127.0.0.2]", "HELO [127.0.0.2]", "EHLO localhost", "EHLO vm.example.com",
         "EHLO a b c", "ehlo lower.example", "EHLO x" * 1, "HELO under_score.example",
         "EHLO client.example.org ", "EHLO .", "EHLO [IPv6:::1]"]

MAIL_FORMS = [
    "<>", "<root>", "<root@vm.example.com>", "<a@remote.example>", "<a@sender.example>",
    "<a@unresolvable.invalid>", "<a@nonexistent.example.org>", "<a@spam.com>", "<a@nocode.com>",
    "<a@later.com>", "<a@disc.com>", "<a@ok.com>", "<evil@sender.example>",
    "<good@example.com>", "a@remote.example", "<a>", "<@ok.com:a@remote.example>",
    "<\"quoted user\"@ok.com>", "<a<b>", "<a@b@c>", "<a@[10.1.1.3]>", "<a@[300.1.1.1]>",
    "<a@remote.example> SIZE=100", "<a@remote.example> SIZE=999999",
    "<a@remote.example> SIZE=abc", "<a@remote.example> BODY=8BITMIME",
    "<a@remote.example> BODY=7BIT", "<a@remote.example> BODY=BINARYMIME",
    "<a@remote.example> BODY=bogus", "<a@remote.example> RET=FULL",
    "<a@remote.example> RET=HDRS", "<a@remote.example> RET=bogus",
    "<a@remote.example> ENVID=abc+2Bdef", "<a@remote.example> ENVID=x ENVID=y",
    "<a@remote.example> FOO=bar", "<a@remote.example> SIZE", "", " <a@remote.example>",
    "<a@remote.example>x", "<a@ok.com> RET=HDRS ENVID=q SIZE=10 BODY=8BITMIME",
    "<a@.remote.example>", "<a@remote.example.>", "<A@SPAM.COM>", "<a@sub.spam.com>",
    "<a@localhost>", "<MAILER-DAEMON>", "<a@[127.0.0.1]>", "<a@remote.example> AUTH=<>",
]

RCPT_FORMS = [
    "<root>", "root", "<root@vm.example.com>", "<ROOT@VM.EXAMPLE.COM>", "<postmaster>",
    "<Postmaster@vm.example.com>", "<nosuchuser@vm.example.com>", "<nosuchuser>", "<alice>",
    "<list>", "<nullalias>", "<baduser@vm.example.com>", "<spamlover@vm.example.com>",
    "<x@remote.example>", "<x@blocked.example>", "<x@relayok.example>", "<x@rcptok.example>",
    "<root@ok.com>", "<info@virt.example>", "<sales@virt.example>", "<nouser@virt.example>",
    "<other@virt.example>", "<x%remote.example@vm.example.com>", "<remote.example!x>",
    "<@vm.example.com:x@remote.example>", "<\"x@remote.example\">",
    "<x@remote.example@vm.example.com>", "<x@[10.1.1.3]>", "<root@[127.0.0.1]>",
    "<root@localhost>", "<x@[IPv6:::1]>", "<root@vm.example.com.>", "<>", "", "<a<b>",
    "<root> NOTIFY=SUCCESS", "<root> NOTIFY=NEVER", "<root> NOTIFY=SUCCESS,FAILURE,DELAY",
    "<root> NOTIFY=NEVER,SUCCESS", "<root> NOTIFY=bogus", "<root> ORCPT=rfc822;root@vm",
    "<root> ORCPT=bad", "<root> FOO=bar", "<x@friend.example.net>",
    "<x@host.friend.example.net>", "<x@unresolvable.invalid>", "<root@[127.0.0.2]>",
    "<x%remote.example%vm.example.com@localhost>",
]

DATA_TEXT = "From: a@remote.example\nTo: root\nSubject: test\n\nbody line\n"


def s(name, src, steps):
    return {"name": name, "src": src, "steps": steps}


def greetings():
    """Every client address: the greeting, EHLO, a plain transaction attempt."""
    out = []
    for src in SOURCES:
        out.append(s("greet_%s" % src, src,
                     ["EHLO client", "MAIL FROM:<a@sender.example>", "RCPT TO:<root>",
                      "RCPT TO:<x@remote.example>", "DATA", {"data": DATA_TEXT}]))
        out.append(s("relaytricks_%s" % src, src,
                     ["HELO client", "MAIL FROM:<a@sender.example>",
                      "RCPT TO:<x%remote.example@vm.example.com>", "RCPT TO:<remote.example!x>",
                      "RCPT TO:<@vm.example.com:x@remote.example>",
                      "RCPT TO:<x@friend.example.net>", "RCPT TO:<x@relayok.example>",
                      "RSET", "MAIL FROM:<>", "RCPT TO:<x@remote.example>"]))
    return out


def helos():
    out = []
    for i, h in enumerate(HELOS):
        out.append(s("helo_%02d" % i, FOREIGN, [h, "MAIL FROM:<a@sender.example>",
                                                  "RCPT TO:<postmaster>"]))
    out.append(s("helo_twice", FOREIGN, ["EHLO one", "EHLO two", "HELO three",
                                           "MAIL FROM:<a@sender.example>", "EHLO four",
                                           "RCPT TO:<root>"]))
    out.append(s("helo_none_mail", FOREIGN, ["MAIL FROM:<a@sender.example>", "RCPT TO:<root>",
                                               "DATA", {"data": DATA_TEXT}]))
    return out


def mails():
    out = []
    for i, m in enumerate(MAIL_FORMS):
        out.append(s("mail_%02d" % i, FOREIGN, ["EHLO client", "MAIL FROM:" + m,
                                                  "RCPT TO:<root>", "MAIL FROM:<a@ok.com>"]))
    for i, m in enumerate(["<a@spam.com>", "<a@disc.com>", "<evil@sender.example>",
                           "<a@unresolvable.invalid>", "<>"]):
        for src in ("127.0.0.1", RELAYER, "127.0.0.8", "127.3.0.1"):
            out.append(s("mailsrc_%d_%s" % (i, src), src,
                         ["EHLO client", "MAIL FROM:" + m, "RCPT TO:<x@remote.example>",
                          "RCPT TO:<root>"]))
    out.append(s("mail_helo", FOREIGN, ["HELO client", "MAIL FROM:<a@remote.example> SIZE=10",
                                          "RCPT TO:<root>"]))
    out.append(s("mail_nocolon", FOREIGN, ["EHLO c", "MAIL <a@remote.example>",
                                             "MAIL FROM <a@remote.example>", "MAIL TO:<a@b>"]))
    return out


def rcpts():
    out = []
    for i, r in enumerate(RCPT_FORMS):
        out.append(s("rcpt_%02d" % i, FOREIGN, ["EHLO client", "MAIL FROM:<a@sender.example>",
                                                  "RCPT TO:" + r, "RCPT TO:<root>"]))
    for i, r in enumerate(RCPT_FORMS[13:32]):
        out.append(s("rcptrelay_%02d" % i, RELAYER,
                     ["EHLO client", "MAIL FROM:<a@sender.example>", "RCPT TO:" + r]))
    out.append(s("rcpt_from_good", FOREIGN, ["EHLO c", "MAIL FROM:<good@example.com>",
                                               "RCPT TO:<x@remote.example>"]))
    out.append(s("rcpt_nullsender_local", FOREIGN,
                 ["EHLO c", "MAIL FROM:<>", "RCPT TO:<root>", "RCPT TO:<nosuchuser>",
                  "RCPT TO:<x@remote.example>", "DATA", {"data": DATA_TEXT}]))
    return out


def data():
    big = "Subject: big\n\n" + ("x" * 70 + "\n") * 400
    many = "".join("X-H%d: v\n" % i for i in range(60)) + "\nbody\n"
    return [
        s("data_nomail", FOREIGN, ["EHLO c", "DATA", "RCPT TO:<root>"]),
        s("data_norcpt", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example>", "DATA"]),
        s("data_badrcpt", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example>",
                                    "RCPT TO:<nosuchuser>", "DATA"]),
        s("data_ok", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example>", "RCPT TO:<root>",
                               "DATA", {"data": DATA_TEXT}, "MAIL FROM:<b@sender.example>",
                               "RCPT TO:<postmaster>", "DATA", {"data": "Subject: 2\n\nx\n"}]),
        s("data_big", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example>", "RCPT TO:<root>",
                                "DATA", {"data": big}, "RSET", "MAIL FROM:<a@sender.example>"]),
        s("data_headers", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example>",
                                    "RCPT TO:<root>", "DATA", {"data": many}]),
        s("data_8bit", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example> BODY=8BITMIME",
                                 "RCPT TO:<root>", "DATA",
                                 {"data": "Subject: caf\xe9\n\ncaf\xe9\n"}]),
        s("data_empty", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example>", "RCPT TO:<root>",
                                  "DATA", {"data": ""}]),
        s("data_discard_conn", "127.0.0.6", ["EHLO c", "MAIL FROM:<a@sender.example>",
                                             "RCPT TO:<root>", "DATA", {"data": DATA_TEXT}]),
        s("data_discard_from", FOREIGN, ["EHLO c", "MAIL FROM:<a@disc.com>", "RCPT TO:<root>",
                                         "RCPT TO:<nosuchuser>", "DATA", {"data": DATA_TEXT}]),
        s("data_twice", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example>", "RCPT TO:<root>",
                                  "DATA", {"data": DATA_TEXT}, "DATA", "RCPT TO:<root>"]),
        s("data_virt", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example>",
                                 "RCPT TO:<info@virt.example>", "RCPT TO:<sales@virt.example>",
                                 "DATA", {"data": DATA_TEXT}]),
        s("data_relay", RELAYER, ["EHLO c", "MAIL FROM:<a@sender.example>",
                                  "RCPT TO:<x@remote.example>", "DATA", {"data": DATA_TEXT}]),
        s("data_size_declared", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example> SIZE=20000",
                                          "RCPT TO:<root>", "RSET",
                                          "MAIL FROM:<a@sender.example> SIZE=20001"]),
    ] + data_log()


def data_log():
    """Transactions whose log lines matter: ids, lost and refused messages."""
    mail = ["MAIL FROM:<a@sender.example>", "RCPT TO:<root>", "DATA"]
    ehlo = ["EHLO c"] + mail
    return [
        s("log_nohelo", FOREIGN, mail + [{"data": DATA_TEXT}]),
        s("log_nohelo_noname", "127.0.0.5", mail + [{"data": DATA_TEXT}]),
        s("log_lost_in_headers", FOREIGN,
          ehlo + [{"raw": "Subject: x\r\npartial", "reply": False}, "<close>"]),
        s("log_lost_in_body", FOREIGN,
          ehlo + [{"raw": "Subject: x\r\n\r\nbody\r\n", "reply": False}, "<close>"]),
        s("log_bare_lf_header", FOREIGN,
          ehlo + [{"raw": "From: a@remote.example\nTo: root\r\n\r\nb\r\n.\r\n"}]),
        s("log_bare_lf_body", FOREIGN,
          ehlo + [{"raw": "Subject: x\r\n\r\nbody\nmore\r\n.\r\n"}]),
        s("log_bare_cr_body", FOREIGN,
          ehlo + [{"raw": "Subject: x\r\n\r\nbody\rmore\r\n.\r\n"}]),
        s("log_rejected_rcpt_then_two", FOREIGN,
          ["EHLO c", "MAIL FROM:<a@sender.example>", "RCPT TO:<x@remote.example>",
           "RCPT TO:<root>", "DATA", {"data": DATA_TEXT}, "MAIL FROM:<b@sender.example>",
           "RCPT TO:<x@remote.example>", "RCPT TO:<root>", "DATA", {"data": DATA_TEXT}]),
        s("log_refused_mail_then_ok", FOREIGN,
          ["EHLO c", "MAIL FROM:<a@spam.com>", "MAIL FROM:<a@sender.example> SIZE=abc",
           "RCPT TO:<root>", "DATA", {"data": DATA_TEXT}]),
        s("log_refused_mails_then_rset", FOREIGN,
          ["EHLO c", "MAIL FROM:<a@spam.com>", "MAIL FROM:<a@remote.example> BODY=bogus",
           "RSET", "MAIL FROM:<a@sender.example> BODY=8BITMIME SIZE=77", "RCPT TO:<root>"]),
        s("log_discard_lost", FOREIGN,
          ["EHLO c", "MAIL FROM:<a@disc.com>", "RCPT TO:<root>", "DATA",
           {"raw": "Subject: x\r\n", "reply": False}, "<close>"]),
    ]


VRFYS = ["VRFY root", "VRFY nosuchuser", "VRFY postmaster", "VRFY list", "VRFY",
         "VRFY <root@vm.example.com>", "VRFY x@remote.example", "EXPN root", "EXPN list",
         "EXPN nosuchuser", "EXPN", "EXPN alice", "VRFY info@virt.example"]

MISC = [
    ["NOOP"], ["NOOP something"], ["RSET"], ["RSET x"], ["HELP"], ["HELP MAIL"],
    ["HELP bogus"], ["ETRN remote.example"], ["ETRN"], ["ETRN #mqueue"], ["ETRN @vm.example.com"],
    ["VERB"], ["VERB on"], ["BOGUS"], ["MAIL"], ["RCPT"], ["RCPT TO:<root>"], ["DATA"],
    ["STARTTLS"], ["AUTH PLAIN AGFhAGI="], ["TURN"], ["ONEX"], ["XUSR"], ["QUIT now"],
    ["mail from:<a@sender.example>", "rcpt to:<root>", "data", {"data": DATA_TEXT}],
    ["MAIL FROM:<a@sender.example>", "MAIL FROM:<b@sender.example>"],
    ["MAIL FROM:<a@sender.example>", "RSET", "RCPT TO:<root>"],
    ["MAIL FROM:<a@sender.example>", "RCPT TO:<root>", "RSET", "DATA"],
    ["MAIL FROM:<a@sender.example>", "EHLO again", "RCPT TO:<root>"],
    ["MAIL  FROM:<a@sender.example>", "RCPT  TO:<root>"],
    ["MAIL FROM: <a@sender.example>", "RCPT TO: <root>"],
    ["MAIL FROM:<a@sender.example>"] + ["RCPT TO:<root+%d>" % i for i in range(10)],
    ["MAIL FROM:<a@sender.example>"] + ["RCPT TO:<x%d@remote.example>" % i for i in range(4)],
    ["GET / HTTP/1.0"],
    ["EXPN root", "VRFY root", "NOOP", "RSET", "HELP RCPT"],
]


def misc():
    out = []
    for i, v in enumerate(VRFYS):
        out.append(s("vrfy_%02d" % i, FOREIGN, ["EHLO c", v]))
        out.append(s("vrfynohelo_%02d" % i, FOREIGN, [v]))
    for i, steps in enumerate(MISC):
        out.append(s("misc_%02d" % i, FOREIGN, ["EHLO c"] + steps))
    out.append(s("misc_bad_many", FOREIGN, ["EHLO c"] + ["BOGUS %d" % i for i in range(27)]))
    for i, steps in enumerate([[], ["EHLO c"], ["EHLO c", "MAIL FROM:<a@sender.example>"],
                               ["EHLO c", "MAIL FROM:<a@sender.example>", "RCPT TO:<root>"],
                               ["EHLO c", "VRFY root"], ["HELO c", "NOOP"]]):
        out.append(s("drop_%d" % i, FOREIGN, steps + ["<close>"]))
    out.append(s("drop_data", FOREIGN, ["EHLO c", "MAIL FROM:<a@sender.example>",
                                         "RCPT TO:<root>", "DATA", "<close>"]))
    out.append(s("misc_nohelo_cmds", FOREIGN, ["NOOP", "RSET", "ETRN remote.example", "VRFY x",
                                                "HELP", "MAIL FROM:<a@sender.example>"]))
    return out


# nmap smtp-open-relay's 13 recipient forms (D the target domain, IP our
# address, S our name) and the extra forms of test_relay.py.
NMAP_FORMS = ["relaytest@D", "relaytest%D@[IP]", "relaytest%D@S", '"relaytest@D"',
              '"relaytest%D"', "relaytest@D@[IP]", '"relaytest@D"@[IP]', "relaytest@D@S",
              "@[IP]:relaytest@D", "@S:relaytest@D", "D!relaytest", "D!relaytest@[IP]",
              "D!relaytest@S"]
EXTRA_FORMS = ["relaytest@example.com.", "relaytest@EXAMPLE.COM", "RelayTest@Example.Com.",
               "relaytest%example.com@localhost", "relaytest%example.com@LOCALHOST.",
               "relaytest%example.com@[IPv6:::1]", "relaytest@[IPv6:2001:db8::1]",
               "relaytest@[192.0.2.1]", "relaytest@[example.com]", "relaytest@example.com]",
               "relaytest@[example.com", "@vm,@localhost:relaytest@example.com",
               "relaytest%example.com%vm@localhost", "example.com!relaytest%vm@localhost",
               "relaytest@example.com@", '"relaytest"@example.com', "relaytest@.example.com"]
RELAY_SENDERS = ["<>", "<antispam@sender.example>", "<relaytest@[127.0.0.1]>", "<antispam@vm>"]


def relay_forms(ip="127.0.0.1", host="vm.example.com"):
    out = [f.replace("D", "example.com").replace("[IP]", "[%s]" % ip).replace("@S", "@" + host)
           .replace(":S", ":" + host) for f in NMAP_FORMS]
    return out + EXTRA_FORMS


def relay_scripts():
    """The open-relay battery from several clients (the default-config run)."""
    out = []
    for src in ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.1.2.3"):
        for i, snd in enumerate(RELAY_SENDERS):
            steps = ["EHLO relay-test", "MAIL FROM:" + snd]
            steps += ["RCPT TO:<%s>" % r for r in relay_forms()]
            steps += ["RCPT TO:<root>", "RCPT TO:<postmaster@vm.example.com>"]
            out.append(s("relay_%s_%d" % (src, i), src, steps))
    return out


def scripts(config):
    """Every script for one configuration (the same list for each)."""
    if config == "localhost":
        return relay_scripts()
    if config == "timeouts":
        return timeout_scripts()
    out = greetings() + helos() + mails() + rcpts() + data() + misc()
    names = [x["name"] for x in out]
    assert len(names) == len(set(names)), "duplicate script names"
    return out


def timeout_scripts():
    """A client that goes silent (Timeout.command and .datablock are 2s)."""
    rcpt = ["EHLO c", "MAIL FROM:<a@sender.example>", "RCPT TO:<root>"]
    wait = {"raw": "", "reply": True}  # read what the server says, if anything
    return [
        s("timeout_greeted", FOREIGN, ["EHLO c", wait]),
        s("timeout_in_transaction", FOREIGN, rcpt + [wait]),
        s("timeout_in_data", FOREIGN, rcpt + ["DATA", {"raw": "Subject: x\r\n", "reply": False},
                                              wait]),
        s("timeout_in_data_noname", "127.0.0.5", rcpt + ["DATA", wait]),
    ]
