"""Whole-program tests for sendmail's command line and address test mode.

Run:  /usr/bin/python3 -m pytest test/bt
Uses build/bin/sendmail (or $OURS_SENDMAIL) on a small hand-written
sendmail.cf in a temporary directory; nothing here needs the reference
binary (test/compat/ does the differential runs).  Expected texts are the
reference Sendmail 8.17's, as observed with test/lib/refsendmail.
"""

import os
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SENDMAIL = os.path.abspath(os.environ.get("OURS_SENDMAIL")
                           or os.path.join(REPO, "build", "bin", "sendmail"))
BANNER = (b"ADDRESS TEST MODE (ruleset 3 NOT automatically invoked)\n"
          b"Enter <ruleset> <address>\n")

CF = """\
V10/Berkeley
Cw localhost
DnMAILER-DAEMON
O OperatorChars=.:%@!^/[]+
O BlankSub=.
O HelpFile={work}/helpfile
O HostsFile={work}/hosts
O ServiceSwitchFile={work}/switch
O DontProbeInterfaces=True
O DontBlameSendmail=TrustStickyBit
Scanonify=3
R$* < $* > $*		$2
S0
R$+ @ $+		$#smtp $@ $2 $: $1 @ $2
R$+			$#local $: $1
S1
S2
S4
Mlocal,	P=/bin/true, F=lsDFMu, S=0, R=0, A=true $u
Msmtp,	P=[IPC], F=mDFMuX, S=0, R=0, E=\\r\\n, L=990, A=TCP $h
"""


@pytest.fixture(scope="module")
def cf(tmp_path_factory):
    work = tmp_path_factory.mktemp("bt")
    (work / "helpfile").write_text("#vers\t2\n-bt\tfirst help line\n-bt\tsecond\nsmtp\tx\n")
    (work / "hosts").write_text("127.0.0.1\tlocalhost\n")
    (work / "switch").write_text("hosts files\n")
    path = work / "sendmail.cf"
    path.write_text(CF.format(work=work))
    return str(path)


def run(args, data=b""):
    """Run our sendmail; (rc, stdout, stderr)."""
    if not os.access(SENDMAIL, os.X_OK):
        pytest.skip("build/bin/sendmail not built")
    p = subprocess.run([SENDMAIL] + list(args), input=data, capture_output=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def bt(cf, data, *extra):
    return run(["-C", cf, "-bt"] + list(extra), data)


def body(out):
    """stdout without the banner."""
    assert out.startswith(BANNER), out
    return out[len(BANNER):]


# ---- command line ----

def test_illegal_option_goes_to_stderr_with_usage_status():
    rc, out, err = run(["-a"])
    assert rc == 64
    assert out == b""
    assert err.endswith(b": illegal option -- a\n")


def test_missing_argument():
    rc, out, err = run(["-bt", "-e"])
    assert rc == 64
    assert err.endswith(b": option requires an argument -- e\n")


def test_invalid_mode_stops_at_once():
    rc, out, err = run(["-bx", "-bt"])
    assert (rc, out, err) == (64, b"Invalid operation mode x\n", b"")


def test_frozen_config_mode():
    rc, out, _ = run(["-bz"])
    assert (rc, out) == (64, b"Frozen configurations unsupported\n")


def test_unwritten_mode_says_so(cf):
    rc, out, _ = run(["-C", cf, "-bh"])
    assert rc == 69
    assert b"-bh" in out and b"not implemented" in out


def test_smtpd_name_is_the_daemon(tmp_path):
    """smtpd means -bd: it reads the default cf (absent here) like the daemon."""
    if not os.access(SENDMAIL, os.X_OK):
        pytest.skip("build/bin/sendmail not built")
    if os.path.exists("/etc/mail/sendmail.cf"):
        pytest.skip("a system sendmail.cf exists; the daemon would start")
    link = tmp_path / "smtpd"
    link.symlink_to(SENDMAIL)
    p = subprocess.run([str(link)], capture_output=True, timeout=30)
    assert p.returncode == 72
    assert b"/etc/mail/sendmail.cf: line 0: cannot open" in p.stdout


# mailq and newaliases are modes now: test/submit covers them; smtpd above
@pytest.mark.parametrize("name,mode", [("hoststat", b"-bh"), ("purgestat", b"-bH")])
def test_invocation_names_pick_the_mode(tmp_path, name, mode):
    if not os.access(SENDMAIL, os.X_OK):
        pytest.skip("build/bin/sendmail not built")
    link = tmp_path / name
    link.symlink_to(SENDMAIL)
    p = subprocess.run([str(link)], capture_output=True, timeout=30)
    assert p.returncode == 69
    assert mode + b" is not implemented" in p.stdout


def test_invocation_name_does_not_override_bt(cf, tmp_path):
    link = tmp_path / "mailq"
    link.symlink_to(SENDMAIL)
    p = subprocess.run([str(link), "-C", cf, "-bt"], input=b"", capture_output=True, timeout=30)
    assert (p.returncode, p.stdout) == (0, BANNER + b"> ")


def test_flags_the_reference_rejects_silently():
    for flag in ("-I", "-U"):
        rc, out, err = run(["-bt", flag])
        assert (rc, out, err) == (64, b"", b"")


@pytest.mark.parametrize("flags,message", [
    (["-h", "x"], b"Bad hop count (x)\n"),
    (["-N", "never,success"], b"Invalid -N argument\n"),
    (["-R", "hdrs", "-R", "full"], b"Duplicate -R flag\n"),
    (["-R", "x"], b"Invalid -R value\n"),
    (["-f", "a", "-f", "b"], b'More than one "from" person\n'),
    (["-q"], b"Can not use -q with -bt\n"),
    (["-Q"], b"Can not use -Q with -bt\n"),
])
def test_user_errors_print_before_banner_and_set_status(cf, flags, message):
    rc, out, err = run(["-C", cf, "-bt"] + flags, b"")
    assert rc == 64
    assert out == message + BANNER + b"> "
    assert err == b""


def test_harmless_flags_are_accepted(cf):
    flags = ["-G", "-c", "-m", "-s", "-n", "-i", "-ex", "-Am", "-Lfoo", "-Vx",
             "-N", "success,delay", "-R", "HDRS", "-h", "5", "-B8BITMIME", "-d0.0"]
    rc, out, err = run(["-C", cf, "-bt"] + flags, b"")
    assert (rc, out, err) == (0, BANNER + b"> ", b"")


def test_illegal_body_type_is_only_a_message(cf):
    rc, out, _ = run(["-C", cf, "-Btrash", "-bt"], b"")
    assert (rc, out) == (0, b"Illegal body type trash\n" + BANNER + b"> ")


def test_macros_from_command_line(cf):
    rc, out, _ = run(["-C", cf, "-bt", "-pfoo:bar", "-Mz{v}", "-M{long}w"],
                     b"$r\n$s\n$z\n${long}\n")
    assert body(out) == b"> foo\n> bar\n> {v}\n> w\n> "


def test_double_dash_ends_flags(cf):
    rc, out, _ = run(["-C", cf, "-bt", "--", "-x"], b"")
    assert (rc, out) == (0, BANNER + b"> ")


def test_missing_config_file(tmp_path):
    rc, out, _ = run(["-C", str(tmp_path / "nope.cf"), "-bt"], b"")
    assert rc != 0
    assert b"nope.cf" in out


# ---- test mode framing ----

def test_prompt_and_eof(cf):
    rc, out, err = bt(cf, b"")
    assert (rc, out, err) == (0, BANNER + b"> ", b"")


def test_blank_and_comment_lines_print_nothing(cf):
    _, out, _ = bt(cf, b"\n# comment\n   # indented\n  \n")
    assert body(out) == b"> > > > > "


def test_only_spaces_are_skipped_before_a_command(cf):
    _, out, _ = bt(cf, b"\t\n\t# x\n")
    assert body(out) == (b"> No address!\n> invalid ruleset name: \"#\"\n"
                         b"Undefined ruleset #\n> ")


def test_quit_stops_reading(cf):
    _, out, _ = bt(cf, b"/quit\n$n\n")
    assert body(out) == b"> "


def test_verbose_echoes_instead_of_prompting(cf):
    _, out, _ = run(["-C", cf, "-bt", "-v"], b"$n\n")
    assert body(out) == b"> $n\nMAILER-DAEMON\n"


def test_last_line_without_newline_runs(cf):
    _, out, _ = bt(cf, b"$n")
    assert body(out) == b"> MAILER-DAEMON\n> "


def test_long_line_is_cut_in_2047_byte_pieces(cf):
    line = b"$n" + b" " * 2045 + b"$n\n"  # 2047 bytes, then "$n"
    _, out, _ = bt(cf, line)
    assert body(out) == b"> MAILER-DAEMON\n> MAILER-DAEMON\n> "


# ---- macros and classes ----

@pytest.mark.parametrize("line,answer", [
    (b"$n", b"MAILER-DAEMON\n"),
    (b"${n}", b"MAILER-DAEMON\n"),
    (b"$nx", b"MAILER-DAEMON\n"),
    (b"$x", b"Undefined\n"),
    (b"$$", b"Undefined\n"),
    (b"$&x", b"$&\n"),
    (b"$*", b"$*\n"),
    (b"$#", b"$#\n"),
    (b"$=q", b""),
])
def test_dollar_commands(cf, line, answer):
    rc, out, _ = bt(cf, line + b"\n")
    assert rc == 0
    assert body(out) == b"> " + answer + b"> "


@pytest.mark.parametrize("line,answer", [
    (b"$", b"Name required for macro/class\n"),
    (b"$=", b"Name required for macro/class\n"),
    (b"${}", b"Name required for macro/class\n"),
    (b"${x", b"Unbalanced { on x\nUnable to assign macro/class ID (mid = 0xffffffff)\n"),
    (b"${a-b}", b"Invalid macro/class character -\nUndefined\n"),
])
def test_bad_macro_names_are_system_errors(cf, line, answer):
    rc, out, _ = bt(cf, line + b"\n")
    assert rc == 70
    assert body(out) == b"> " + answer + b"> "


def test_define_keeps_leading_blank_and_cuts_trailing(cf):
    _, out, _ = bt(cf, b".Dx  a b  \n$x\n.Dy\n$y\n.D{long}v\n${long}\n.Dz a\tb\n$z\n")
    assert body(out) == b"> >   a b\n> > \n> > v\n> >  a\\tb\n> "


def test_class_words_and_expansion(cf):
    _, out, _ = bt(cf, b".Cq one\n$=q\n.Cr $n\n$=r\n")
    assert body(out) == b"> > one\n> > MAILER-DAEMON\n> "


@pytest.mark.parametrize("line,answer", [
    (b".", b"Usage: .[DC]macro value(s)\n"),
    (b".X", b'Unknown "." command .X\n'),
    (b".C", b""),
    (b"=", b"Usage: =Sruleset or =M\n"),
    (b"=X", b'Unknown "=" command =X\n'),
    (b"=Snosuch", b"Undefined ruleset nosuch\n"),
    (b"-", b"Usage: -d{debug arguments}\n"),
    (b"-x", b'Unknown "-" command -x\n'),
    (b"-d21.0", b""),
    (b"/", b"Usage: /[canon|map|mx|parse|try|tryflags]\n"),
    (b"/foo bar", b'Unknown "/" command /foo\n'),
    (b"/canon", b"Usage: /canon address\n"),
    (b"/mx", b"Usage: /mx address\n"),
    (b"/map", b"Usage: /map mapname key\n"),
    (b"/map host", b"No key specified\n"),
    (b"/map nosuch x", b'Map named "nosuch" not found\n'),
    (b"/parse", b"Usage: /parse address\n"),
    (b"/try", b"Usage: /try mailer address\n"),
    (b"/try local", b"Usage: /try mailer address\n"),
    (b"/try nosuch a", b"Unknown mailer nosuch\n"),
    (b"/tryflags", b"Usage: /tryflags [Hh|Ee][Ss|Rr]\n"),
    (b"/tryflags HS", b""),
    (b"/expand", b"Usage: /expand string\n"),
    (b"/expand abc", b"abc"),
    (b"3", b"No address!\n"),
    (b"3 ", b""),
    (b"nosuch a", b"Undefined ruleset nosuch\n"),
])
def test_command_answers(cf, line, answer):
    rc, out, _ = bt(cf, line + b"\n")
    assert rc == 0
    assert body(out) == b"> " + answer + b"> "


def test_debug_category_2_prints_finis_at_exit(cf):
    _, out, _ = bt(cf, b"-d2.1\n")
    assert body(out) == b"> > \n====finis: stat 0 e_id=NOQUEUE e_flags=4000<METOO>\n"


def test_help_without_the_topic(cf, tmp_path):
    other = tmp_path / "other.cf"
    help2 = tmp_path / "help2"
    help2.write_text("smtp\tonly\n")
    other.write_text(open(cf).read().replace("O HelpFile=", "O HelpFile=%s\n#" % help2))
    _, out, _ = bt(str(other), b"?\n")
    assert body(out) == b'> HELP topic "-bt" unknown\n> '


def test_help_prints_the_bt_topic(cf):
    _, out, _ = bt(cf, b"?\n")
    assert body(out) == b"> first help line\nsecond\nEnd of HELP info\n> "


# ---- rulesets ----

def test_ruleset_trace(cf):
    _, out, _ = bt(cf, b"3,0 Name <u@h>\n")
    assert body(out) == (
        b"> canonify           input: Name < u @ h >\n"
        b"canonify         returns: u @ h\n"
        b"0                  input: u @ h\n"
        b"0                returns: $# smtp $@ h $: u @ h\n"
        b"> ")


def test_address_list_runs_each_address(cf):
    _, out, _ = bt(cf, b"3 a, b\n")
    assert body(out) == (
        b"> canonify           input: a\ncanonify         returns: a\n"
        b"canonify           input: b\ncanonify         returns: b\n> ")


@pytest.mark.parametrize("line,answer,status", [
    (b"3,,0 a", b'canonify           input: a\ncanonify         returns: a\n'
                b'invalid ruleset name: ",0"\nUndefined ruleset ,0\n', 70),
    (b"150 a", b"bad ruleset 150 (100 max)\nUndefined ruleset 150\n", 70),
    (b"+3 a", b'invalid ruleset name: "+3"\nUndefined ruleset +3\n', 70),
])
def test_bad_ruleset_lists(cf, line, answer, status):
    rc, out, _ = bt(cf, line + b"\n")
    assert rc == status
    assert body(out) == b"> " + answer + b"> "


def test_too_long_address(cf):
    addr = b"x" * 250 + b"@example.com"
    _, out, _ = bt(cf, b"3 " + addr + b"\n")
    assert body(out) == b'> Address "' + addr[:255] + b'" too long (255 bytes max)\n> '


def test_metacharacter_bytes_are_rejected(cf):
    rc, out, _ = bt(cf, b"3 u@\xe4\xbe\x8b.example\n")
    assert rc == 64
    assert body(out) == b'> 8-bit character in mailbox address "u@d>?.example"\n> '


def test_parse_and_try(cf):
    _, out, _ = bt(cf, b"/parse u@H\n/try smtp u@h\n")
    text = body(out)
    assert b"Parsing envelope recipient address\n" in text
    assert b"mailer smtp, host h, user u@H\n" in text
    assert b"Trying envelope recipient address u@h for mailer smtp\n" in text
    assert b"Rcode = 0, addr = u@h\n" in text
