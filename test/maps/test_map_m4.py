"""Differential -bt test: an m4-generated sendmail.cf whose access_db,
virtusertable, mailertable and genericstable are hash maps.

The .mc is turned into a .cf with the reference m4 tree; each side builds
the four maps with its own makemap from the same text, in the same
directory (one side after the other), and runs its own sendmail -bt on
the same input: routing (3,0), policy (check_rcpt, check_mail,
check_relay), masquerading via genericstable and direct /map lookups.
The whole stdout, stderr and exit status must be identical.
"""
import os
import subprocess

import pytest

import btdiff
from maptools import REF_ROOT

pytestmark = pytest.mark.skipif(REF_ROOT is None, reason="reference Sendmail not available")

MC = """\
VERSIONID(`maps hash')dnl
OSTYPE(`linux')dnl
DOMAIN(`generic')dnl
define(`confDOMAIN_NAME', `vm.example.com')dnl
define(`confSERVICE_SWITCH_FILE', `@DIR@/service.switch')dnl
define(`confHOSTS_FILE', `@DIR@/hosts')dnl
define(`confCW_FILE', `@DIR@/local-host-names')dnl
define(`confDONT_PROBE_INTERFACES', `True')dnl
define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit')dnl
define(`ALIAS_FILE', `@DIR@/aliases')dnl
FEATURE(`access_db', `hash -T<TMPF> -o @DIR@/access')dnl
FEATURE(`virtusertable', `hash -o @DIR@/virtusertable')dnl
FEATURE(`mailertable', `hash -o @DIR@/mailertable')dnl
FEATURE(`genericstable', `hash -o @DIR@/genericstable')dnl
GENERICS_DOMAIN(`vm.example.com')dnl
VIRTUSER_DOMAIN(`virt.example.org')dnl
FEATURE(`delay_checks')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""

FILES = {
    "service.switch": "hosts files\n",
    "hosts": ("127.0.0.1\tlocalhost\n192.0.2.10\tvm.example.com vm\n"
              "192.0.2.20\tmx.example.net mx\n"),
    "local-host-names": "vm.example.com\nexample.com\n",
    "aliases": "postmaster: root\n",
}

ACCESS = """\
Connect:127.0.0.1 RELAY
Connect:192.0.2 RELAY
Connect:10.9.9.9 REJECT
Connect:spam.example.net REJECT
From:spammer@example.net REJECT
From:bad.example.net DISCARD
From:<> OK
To:relayed.example.org RELAY
To:blocked@vm.example.com ERROR:5.7.1:550 blocked here
To:temp.example.org ERROR:4.7.1:451 try later
Spam:friend@example.net FRIEND
example.org RELAY
badguy.example SKIP
"""
VIRTUSER = """\
info@virt.example.org localuser
sales@virt.example.org sales@elsewhere.example.net
@virt.example.org catchall
bounce@virt.example.org error:nouser 550 No such user
plus+*@virt.example.org plususer
"""
MAILERTABLE = """\
relay.example.net smtp:[mx.example.net]
.example.net esmtp:mailhub.example.com
local.example.org local:someone
error.example.org error:5.1.1:550 no such domain
"""
GENERICS = """\
user user@generic.example.com
joe@vm.example.com joe.public@example.com
"""

INPUT = """\
3,0 user@vm.example.com
3,0 info@virt.example.org
3,0 sales@virt.example.org
3,0 nobody@virt.example.org
3,0 bounce@virt.example.org
3,0 plus+tag@virt.example.org
3,0 someone@relay.example.net
3,0 someone@sub.example.net
3,0 someone@local.example.org
3,0 someone@error.example.org
3,0 someone@other.example.com
.D{client_addr}10.1.1.1
.D{client_name}client.example.com
check_rcpt <user@example.org>
check_rcpt <user@relayed.example.org>
check_rcpt <blocked@vm.example.com>
check_rcpt <x@temp.example.org>
check_rcpt <user@nowhere.example.com>
.D{client_addr}192.0.2.99
check_rcpt <user@nowhere.example.com>
Basic_check_rcpt <user@nowhere.example.com>
Basic_check_mail <spammer@example.net>
Basic_check_mail <x@bad.example.net>
Basic_check_mail <>
Basic_check_mail <ok@vm.example.com>
Basic_check_relay spam.example.net $| 10.1.1.1
Basic_check_relay host.example $| 10.9.9.9
Basic_check_relay localhost $| 127.0.0.1
canonify,MasqHdr user@vm.example.com
canonify,MasqHdr joe@vm.example.com
canonify,MasqHdr other@vm.example.com
canonify,MasqEnv joe@vm.example.com
/map access Connect:10.9.9.9
/map access connect:192.0.2
/map access To:nothing
/map virtuser info@virt.example.org
/map virtuser @virt.example.org
/map mailertable .example.net
/map generics user
/map generics joe@vm.example.com
/tryflags HS
/try esmtp user@vm.example.com
/try esmtp joe@vm.example.com
/tryflags ES
/try esmtp joe@vm.example.com
/try esmtp other@vm.example.com
"""

MAPS = [("access", "hash", [], ACCESS), ("virtusertable", "hash", [], VIRTUSER),
        ("mailertable", "hash", [], MAILERTABLE), ("genericstable", "hash", [], GENERICS)]


def make_cf(d):
    cfdir = os.path.join(REF_ROOT, "usr/share/sendmail/cf")
    mc = os.path.join(d, "t.mc")
    with open(mc, "w") as f:
        f.write(MC.replace("@DIR@", d))
    r = subprocess.run(["m4", "-D_CF_DIR_=" + cfdir + "/", os.path.join(cfdir, "m4/cf.m4"), mc],
                       capture_output=True, text=True, check=True)
    assert r.stderr == ""
    return r.stdout


def test_m4_cf_with_hash_maps_same_as_reference(work):
    d = os.path.join(work, "m4")
    os.makedirs(d)
    cf = make_cf(d)
    assert "Kaccess hash -T<TMPF> -o " in cf
    ref, ours = btdiff.compare(d, cf, INPUT, MAPS, FILES)
    # The reference really routed through its maps.
    assert "localuser" in ref[1] and "mailhub.example.com" in ref[1]
    btdiff.assert_same(ref, ours)
