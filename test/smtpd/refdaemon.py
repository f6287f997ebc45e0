#!/usr/bin/python3
"""refdaemon: our daemon and the reference Sendmail 8.17 daemon, side by side.

For one .mc (CONFIGS below) each side gets its own directory with the
same files: hosts (also bind-mounted over /etc/hosts inside the
namespace, so the client's reverse lookup answers alike for both),
access and virtusertable built by that side's makemap, aliases,
local-host-names, relay-domains, a queue.  The .mc is built with the
reference m4 tree for the reference binary and with ours for ours.
Each side then runs in its own `test/lib/refsendmail run` namespace
(host name vm.example.com): a syslog listener bound over /dev/log, the
daemon (`sendmail -C x.cf -bD`), and nsclient.py playing every session
script from its source address.  The result per side: the replies of
every script and the syslog lines.

Usage:
  refdaemon.py [--keep] [--config NAME] [--only SUBSTR] [--verbose]
prints the differences and the match rate (lines whose reply code and
enhanced code agree).  test_daemon_reference.py runs the same thing
under pytest.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import sessions  # noqa: E402  (the script generator, next to this file)
import smtest  # noqa: E402  (test/lib: the reference's root and .mc preamble)

TOP = smtest.TOP
REFSM = smtest.REFSM
OURS = os.path.join(TOP, "build", "bin", "sendmail")
PORT = 25

MC_COMMON = smtest.mc_head("{d}", generic=True,
                           first="define(`PROCMAIL_MAILER_PATH', `/bin/true')dnl\n") + """\
define(`confCR_FILE', `{d}/relay-domains')dnl
define(`QUEUE_DIR', `{d}/mqueue')dnl
define(`confDELIVERY_MODE', `queueonly')dnl
define(`STATUS_FILE', `{d}/statistics')dnl
define(`ALIAS_FILE', `{d}/aliases')dnl
define(`HELP_FILE', `{d}/helpfile')dnl
define(`confPID_FILE', `{d}/pid')dnl
define(`confAUTH_MECHANISMS', `')dnl
define(`confTO_IDENT', `0')dnl
define(`confRUN_AS_USER', `root')dnl
define(`confLOG_LEVEL', `9')dnl
define(`confMAX_RCPTS_PER_MESSAGE', `8')dnl
define(`confMAX_MESSAGE_SIZE', `20000')dnl
FEATURE(`no_default_msa')dnl
DAEMON_OPTIONS(`Port={port}, Addr=127.0.0.1, Name=MTA')dnl
FEATURE(`access_db', `hash -T<TMPF> {d}/access')dnl
FEATURE(`virtusertable', `hash {d}/virtusertable')dnl
VIRTUSER_DOMAIN(`virt.example')dnl
RELAY_DOMAIN(`friend.example.net')dnl
"""

CONFIGS = {
    # access_db, virtusertable, RELAY_DOMAIN, the usual checks
    "base": MC_COMMON + """MAILER(`local')dnl
MAILER(`smtp')dnl
""",
    # the same with delay_checks and blocklist_recipients, stricter privacy
    "delay": MC_COMMON + """FEATURE(`delay_checks')dnl
FEATURE(`blocklist_recipients')dnl
define(`confPRIVACY_FLAGS', `authwarnings,needmailhelo,noexpn')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
""",
    # cf/cf/localhost.mc as it is (built by each tree): the open-relay battery
    "localhost": None,
    # short Timeout.command and Timeout.datablock: what a silent client gets
    "timeouts": MC_COMMON.replace("define(`confLOG_LEVEL', `9')dnl\n",
                                  "define(`confLOG_LEVEL', `9')dnl\n"
                                  "define(`confTO_COMMAND', `2s')dnl\n"
                                  "define(`confTO_DATABLOCK', `2s')dnl\n") + """MAILER(`local')dnl
MAILER(`smtp')dnl
""",
}

HOSTS = """127.0.0.1 localhost
127.0.0.2 client.example.org
127.0.0.3 friend.example.net
127.0.0.4 blocked.example.org
127.0.0.6 spammer.example.com
127.0.0.7 host.friend.example.net
127.0.0.8 okhost.example.org
10.9.9.9 forged.example.org
127.0.0.9 forged.example.org
127.0.0.10 tempfail.example.org
10.1.1.1 sender.example
10.1.1.2 example.com
10.1.1.3 remote.example
10.1.1.4 ok.com
10.1.1.5 spam.com
10.1.1.6 nocode.com
10.1.1.7 later.com
10.1.1.8 disc.com
10.1.1.9 virt.example
10.1.1.10 friend.example.net
"""

ACCESS = """Connect:blocked.example.org REJECT
Connect:127.1.0.1 REJECT
Connect:127.1.0.2 ERROR:5.7.1:"550 go away, you"
Connect:127.1.0.3 ERROR:4.3.2:"421 come back later"
Connect:127.2 RELAY
Connect:okhost.example.org OK
Connect:spammer.example.com DISCARD
Connect:127.3.0.1 OK
From:spam.com REJECT
From:nocode.com ERROR:5.7.0:go away
From:later.com ERROR:4.2.0:"450 try later"
From:disc.com DISCARD
From:ok.com OK
From:evil@sender.example REJECT
From:good@example.com RELAY
To:blocked.example REJECT
To:relayok.example RELAY
To:rcptok.example OK
To:baduser@vm.example.com ERROR:5.1.1:"550 no such mailbox here"
To:spamlover@vm.example.com SPAMFRIEND
To:root@ok.com REJECT
"""

VIRTUSERS = """info@virt.example root
sales@virt.example nobody
@virt.example.com postmaster
nouser@virt.example error:nouser 550 No such virtual user
"""

ALIASES = """postmaster: root
MAILER-DAEMON: postmaster
alice: root
list: root, nobody
nullalias: /dev/null
"""


def ref_root():
    return smtest.ref_root_printed(timeout=300)


def write(d, name, text):
    with open(os.path.join(d, name), "w") as f:
        f.write(text)


def make_side(d, cfdir, makemap, mc):
    """Files, .cf and maps of one side in directory d; returns the .cf path."""
    os.makedirs(os.path.join(d, "mqueue"), 0o700)
    os.chmod(d, 0o755)
    write(d, "service.switch", "hosts files\naliases files\n")
    write(d, "hosts", HOSTS)
    write(d, "local-host-names", "vm.example.com\nlocalhost\n")
    write(d, "relay-domains", "")
    write(d, "statistics", "")
    write(d, "access", ACCESS)
    write(d, "virtusertable", VIRTUSERS)
    write(d, "aliases", ALIASES)
    shutil.copy(os.path.join(TOP, "test/smtp/golden/helpfile"), os.path.join(d, "helpfile"))
    write(d, "x.mc", mc.format(d=d, port=PORT))
    out = smtest.m4_cf(cfdir, os.path.join(d, "x.mc"), check=True).stdout
    cf = os.path.join(d, "x.cf")
    with open(cf, "wb") as f:
        f.write(out)
    for m in ("access", "virtusertable"):
        with open(os.path.join(d, m), "rb") as f:
            subprocess.run([makemap, "-C", cf, "hash", os.path.join(d, m)], stdin=f,
                           capture_output=True, check=True)
    return cf


def make_side_localhost(d, cfdir, makemap):
    """cf/cf/localhost.mc (the built-in default) built by cfdir's m4 tree."""
    for sub in ("etc", "mqueue", "clientmqueue"):
        os.makedirs(os.path.join(d, sub), 0o700 if sub == "mqueue" else 0o755)
    os.chmod(d, 0o755)
    write(d, "hosts", HOSTS)
    write(d, "etc/aliases", ALIASES)
    write(d, "etc/statistics", "")
    shutil.copy(os.path.join(TOP, "test/smtp/golden/helpfile"), os.path.join(d, "etc/helpfile"))
    shutil.copy(os.path.join(TOP, "cf/cf/localhost.mc"), os.path.join(d, "x.mc"))
    out = subprocess.run(["m4", "-D_CF_DIR_=" + cfdir + "/", "-DINSTANCE_DIR=" + d,
                          "-DINSTANCE_PORT=%d" % PORT, "-DINSTANCE_USER=root",
                          "-DMAIL_LOCAL=/bin/false", os.path.join(d, "x.mc")],
                         capture_output=True, check=True).stdout
    cf = os.path.join(d, "x.cf")
    with open(cf, "wb") as f:
        f.write(out)
    return cf


def make_aliases(binary, cf):
    subprocess.run([REFSM, "run", binary, "-C", cf, "-bi"], capture_output=True, timeout=60)


# Inside the namespace: /dev replaced by a directory holding the syslog
# socket and the few devices anyone needs, /etc/hosts replaced by ours,
# the daemon started, the scripts played, everything stopped.
NS_SCRIPT = r"""
set -u
D=$1; BIN=$2; NSC=$3; PORT=$4
mkdir -p "$D/dev"
for n in null zero random urandom full tty; do
	: > "$D/dev/$n"; mount --bind "/dev/$n" "$D/dev/$n"
done
ln -sf /proc/self/fd "$D/dev/fd"
mount --bind "$D/hosts" /etc/hosts
/usr/bin/python3 "$NSC" syslog "$D/dev/log" "$D/syslog.txt" &
LP=$!
i=0
while [ ! -S "$D/dev/log" ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i+1)); done
mount --bind "$D/dev" /dev
"$BIN" -C "$D/x.cf" -bD > "$D/daemon.out" 2>&1 &
DP=$!
/usr/bin/python3 "$NSC" play "$D/scripts.json" "$D/out.json" "$PORT"
kill -TERM $DP
wait $DP
sleep 0.3
kill -TERM $LP
wait $LP
"""


def run_side(d, binary, scripts):
    with open(os.path.join(d, "scripts.json"), "w") as f:
        json.dump(scripts, f)
    p = subprocess.run([REFSM, "run", "/bin/sh", "-c", NS_SCRIPT, "ns", d, binary,
                        os.path.join(HERE, "nsclient.py"), str(PORT)],
                       capture_output=True, text=True, timeout=600)
    try:
        with open(os.path.join(d, "out.json")) as f:
            res = json.load(f)
    except (OSError, ValueError):
        raise RuntimeError("side %s failed: %s %s" % (d, p.stdout, p.stderr))
    if "error" in res:
        raise RuntimeError("side %s: %s; %s" % (d, res["error"],
                                                open(os.path.join(d, "daemon.out")).read()))
    res["qf"] = queue_files(os.path.join(d, "mqueue"))
    logp = os.path.join(d, "syslog.txt")
    res["syslog"] = open(logp, errors="replace").read().splitlines() if os.path.exists(logp) \
        else []
    return res


def queue_files(qdir):
    """The qf files of a queue that no delivery touched yet (N0: an ETRN
    run may have tried some), sorted, with ids, times and dates masked."""
    out = []
    for name in sorted(os.listdir(qdir)) if os.path.isdir(qdir) else []:
        if not name.startswith("qf"):
            continue
        with open(os.path.join(qdir, name), encoding="latin-1") as f:
            text = f.read()
        if not re.search(r"(?m)^N0$", text):
            continue
        text = re.sub(r"\b[0-9A-Za-z]{8}\d{6}\b", "QID", text)
        text = re.sub(r"(?m)^T\d+$", "T", text)
        text = re.sub(r"<\d{12}\.QID@", "<DATE.QID@", text)
        text = re.sub(r"\w{3}, \d+ \w{3} \d{4} [\d:]+ (GMT|[+-]\d{4})( \(\w+\))?", "DATE",
                      text)
        out.append(text)
    return sorted(out)


def codes(lines):
    """(code, enhanced code) of the last line of a reply."""
    if not lines:
        return ("", "")
    last = lines[-1]
    m = re.match(r"(\d{3})[ -](\d\.\d{1,3}\.\d{1,3})?", last)
    if not m:
        return (last, "")
    return (m.group(1), m.group(2) or "")


def norm_text(lines):
    """A reply with queue ids, dates and the version masked."""
    out = []
    for line in lines:
        line = re.sub(r"\b[0-9A-Za-z]{8}\d{6}\b", "QID", line)
        line = re.sub(r"; \w{3}, .*$", "; DATE", line)
        out.append(line)
    return out


def compare_text(ours, ref):
    """Reply lines whose whole text (normalised) differs: [(script, step, ours, ref)]."""
    bad = []
    total = 0
    for name, rsteps in ref.items():
        for o, r in zip(ours.get(name, []), rsteps):
            total += 1
            if norm_text(o[1]) != norm_text(r[1]):
                bad.append((name, r[0], norm_text(o[1]), norm_text(r[1])))
    return bad, total


def compare(ours, ref):
    """Per script: list of (step, our codes, ref codes, our text, ref text) that differ;
    and the counts of compared and matching lines."""
    diffs = {}
    total = same = 0
    for name, rsteps in ref.items():
        osteps = ours.get(name, [])
        bad = []
        for i in range(max(len(rsteps), len(osteps))):
            r = rsteps[i] if i < len(rsteps) else ["<missing>", []]
            o = osteps[i] if i < len(osteps) else ["<missing>", []]
            total += 1
            if codes(o[1]) == codes(r[1]) and o[0] == r[0]:
                same += 1
            else:
                bad.append((r[0] if r[0] != "<missing>" else o[0], codes(o[1]), codes(r[1]),
                            o[1][-1] if o[1] else "", r[1][-1] if r[1] else ""))
        if bad:
            diffs[name] = bad
    return diffs, total, same


def run_config(base, name, scripts, keep=False):
    """Both sides for one config; returns (ours, ref) results."""
    root = ref_root()
    refbin = os.path.join(root, "usr/libexec/sendmail/sendmail")
    mc = CONFIGS[name]
    od = os.path.join(base, name, "ours")
    rd = os.path.join(base, name, "ref")
    maker = make_side if mc is not None else (lambda d, c, m, _: make_side_localhost(d, c, m))
    maker(od, os.path.join(TOP, "cf"), os.path.join(TOP, "build/bin/makemap"), mc)
    maker(rd, os.path.join(root, "usr/share/sendmail/cf"),
          os.path.join(root, "usr/libexec/sendmail/makemap"), mc)
    make_aliases(OURS, os.path.join(od, "x.cf"))
    make_aliases(refbin, os.path.join(rd, "x.cf"))
    out = {}

    def side(key, d, binary):
        try:
            out[key] = run_side(d, binary, scripts)
        except Exception as e:  # noqa: BLE001 - reported by the caller
            out[key] = e

    ts = [threading.Thread(target=side, args=("ours", od, OURS)),
          threading.Thread(target=side, args=("ref", rd, refbin))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for k in ("ours", "ref"):
        if isinstance(out[k], Exception):
            raise out[k]
    return out["ours"], out["ref"]


def main(argv):
    keep = "--keep" in argv
    verbose = "--verbose" in argv
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    configs = [argv[argv.index("--config") + 1]] if "--config" in argv else list(CONFIGS)
    base = tempfile.mkdtemp(prefix="refdaemon.", dir="/tmp")
    os.chmod(base, 0o755)
    total = same = nscripts = 0
    try:
        for cname in configs:
            scripts = sessions.scripts(cname)
            if only:
                scripts = [s for s in scripts if only in s["name"]]
            nscripts += len(scripts)
            ours, ref = run_config(base, cname, scripts, keep)
            diffs, t, s = compare(ours["results"], ref["results"])
            total += t
            same += s
            tbad, ttotal = compare_text(ours["results"], ref["results"])
            print("config %s: %d/%d reply texts identical" % (cname, ttotal - len(tbad), ttotal))
            if verbose:
                for name, step, ot, rt in tbad:
                    print("  text %s %s\n    ours: %s\n    ref:  %s" % (name, step, ot[-1:],
                                                                      rt[-1:]))
            print("config %s: %d scripts, %d/%d lines match (ours %.1fs, ref %.1fs)"
                  % (cname, len(scripts), s, t, ours["seconds"], ref["seconds"]))
            for name, bad in sorted(diffs.items()):
                print("  %s" % name)
                for step, oc, rc, ot, rt in bad:
                    print("    %-40s ours %s ref %s" % (step[:40], "/".join(oc), "/".join(rc)))
                    if verbose:
                        print("        ours: %s\n        ref:  %s" % (ot, rt))
        print("TOTAL: %d scripts, %d/%d reply lines match (%.2f%%)"
              % (nscripts, same, total, 100.0 * same / max(total, 1)))
    finally:
        if keep:
            print("kept " + base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
