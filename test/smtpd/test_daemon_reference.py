"""Same decisions as Sendmail 8.17: our daemon and the reference, side by side.

For each configuration of refdaemon.CONFIGS (access_db with Connect:,
From: and To: entries, virtusertable, RELAY_DOMAIN; then the same with
delay_checks, blocklist_recipients and stricter PrivacyOptions; and
cf/cf/localhost.mc itself, with the open-relay battery), the .mc
is built with the reference m4 tree for the reference binary and with
ours for ours, and the same session scripts (sessions.py: more than 200
per configuration, from 16 client addresses 127.x.y.z) are played
against `sendmail -bD` of each, inside a private network namespace.  The
reply code and enhanced code of every reply must match line for line,
except where KNOWN-DIFFERENCES says why not; the whole texts are compared
too (queue ids and dates masked) and reported.  The report goes to
build/smtpd-daemon-report.txt.  Skipped when the reference is missing.
"""
import fnmatch
import re
import collections
import os
import shutil
import tempfile

import pytest

import refdaemon
import sessions
from conftest import TOP

HERE = os.path.dirname(os.path.abspath(__file__))


def known_differences():
    out = []
    with open(os.path.join(HERE, "KNOWN-DIFFERENCES")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                script, step, why = line.rstrip("\n").split("\t", 2)
                out.append((script, step, why))
    return out


@pytest.fixture(scope="module")
def runs():
    root = refdaemon.ref_root()
    if not os.path.exists(os.path.join(root, "usr/libexec/sendmail/sendmail")):
        pytest.skip("reference not available")
    if os.getuid() != 0:
        pytest.skip("needs root for the network namespace")
    base = tempfile.mkdtemp(prefix="refdaemon.", dir="/tmp")
    os.chmod(base, 0o755)
    out = {}
    try:
        for name in refdaemon.CONFIGS:
            scripts = sessions.scripts(name)
            out[name] = (scripts,) + refdaemon.run_config(base, name, scripts)
        # the queue as the sessions leave it: without ETRN, whose runs
        # deliver entries at moments that differ between the sides
        for name in ("base", "delay"):
            quiet = [x for x in sessions.scripts(name)
                     if not any(isinstance(st, str) and st.upper().startswith("ETRN")
                                for st in x["steps"])]
            out["queue-" + name] = (quiet,) + refdaemon.run_config(
                os.path.join(base, "queue"), name, quiet)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return out


def test_enough_scripts():
    for name in ("base", "delay"):
        scripts = sessions.scripts(name)
        assert len(scripts) >= 200
        assert len({s["src"] for s in scripts}) >= 10
    relay = sessions.scripts("localhost")
    assert sum(len(s["steps"]) for s in relay) >= 16 * 30


def test_localhost_relays_like_the_reference(runs):
    """cf/cf/localhost.mc: 127.0.0.1 relays, other clients do not, on both sides."""
    _, ours, ref = runs["localhost"]
    for side in (ours, ref):
        res = side["results"]
        first = dict((st, l[-1]) for st, l in res["relay_127.0.0.1_1"])
        assert first["RCPT TO:<relaytest@example.com>"].startswith("250")
        for src in ("127.0.0.2", "127.0.0.3", "127.1.2.3"):
            got = dict((st, l[-1]) for st, l in res["relay_%s_1" % src])
            assert got["RCPT TO:<relaytest@example.com>"][:3] in ("550", "450")
            assert not any(v.startswith("250") for st, v in got.items()
                           if "relaytest" in st.lower())


def test_same_reply_codes(runs):
    known = known_differences()
    used = set()
    unexplained = []
    report = []
    total = same = ttotal = tsame = 0
    for name, (scripts, ours, ref) in runs.items():
        diffs, t, s = refdaemon.compare(ours["results"], ref["results"])
        tbad, tt = refdaemon.compare_text(ours["results"], ref["results"])
        total, same, ttotal, tsame = total + t, same + s, ttotal + tt, tsame + tt - len(tbad)
        report.append("config %s: %d scripts, %d/%d reply codes match, %d/%d texts identical"
                      % (name, len(scripts), s, t, tt - len(tbad), tt))
        for script, bad in sorted(diffs.items()):
            for step, oc, rc, ot, rt in bad:
                hit = [k for k in known if fnmatch.fnmatchcase(script, k[0])
                       and fnmatch.fnmatchcase(step, k[1])]
                used.update(hit)
                line = "  %s | %s | ours %s | ref %s" % (script, step, ot, rt)
                report.append(line + ("  [known: %s]" % hit[0][2] if hit else ""))
                if not hit:
                    unexplained.append(line)
    report.append("TOTAL: %d/%d reply codes match (%.2f%%), %d/%d texts identical"
                  % (same, total, 100.0 * same / max(total, 1), tsame, ttotal))
    for k in known:
        if k not in used:
            report.append("unused KNOWN-DIFFERENCES entry: %s %s" % k[:2])
    os.makedirs(os.path.join(TOP, "build"), exist_ok=True)
    with open(os.path.join(TOP, "build", "smtpd-daemon-report.txt"), "w") as f:
        f.write("\n".join(report) + "\n")
    assert total >= 2000
    assert unexplained == []
    assert same / total >= 0.99


# ---- the mail log at LogLevel 9 ----

def log_form(line):
    """A syslog line with what varies masked: priority kept, time, pid, ids, sizes."""
    m = re.match(r"<(\d+)>\w{3} [ \d]\d \d\d:\d\d:\d\d (\w+)\[\d+\]: (.*)$", line)
    if not m:
        return None
    text = re.sub(r"\b[0-9A-Za-z]{8}\d{6}\b", "QID", m.group(3))
    text = re.sub(r"msgid=<\d+\.QID@", "msgid=<DATE.QID@", text)
    text = re.sub(r"\b(size|nrcpts|pri)=\d+", r"\1=N", text)
    text = re.sub(r"\b(delay|xdelay)=[\d:+]+", r"\1=D", text)
    return "<%s> %s: %s" % (m.group(1), m.group(2), text)


# Lines the reference writes that we do not (yet), or write differently, and
# whose owner is not the SMTP server: see KNOWN-DIFFERENCES.
LOG_GAPS = [
    # deliveries (ETRN runs, deliver/)
    r": QID: to=(?!.*stat=(Message exceeds|queued))",
]


def sessions_log(syslog):
    """Per session (process) the sequence of its log lines, each queue id
    replaced by its rank in that session (A, B, ...): which lines share an
    id.  Sorted, as sessions run in a different order on each side."""
    by_pid = {}
    for line in syslog:
        m = re.match(r"<\d+>\w{3} [ \d]\d \d\d:\d\d:\d\d \w+\[(\d+)\]: (.*)$", line)
        if not m or any(re.search(g, log_form(line)) for g in LOG_GAPS):
            continue
        by_pid.setdefault(m.group(1), []).append((log_form(line), m.group(2)))
    out = []
    for lines in by_pid.values():
        ids = {}
        seq = []
        for form, raw in lines:
            for qid in re.findall(r"\b[0-9A-Za-z]{8}\d{6}\b", raw):
                ids.setdefault(qid, chr(ord("A") + len(ids)))
            tags = "".join(ids[q] for q in re.findall(r"\b[0-9A-Za-z]{8}\d{6}\b", raw))
            seq.append("%s %s" % (tags, form))
        if not any(" starting daemon " in x for x in seq):
            out.append("\n".join(seq))
    return sorted(out)


def test_log_sessions_and_queue_ids_as_reference(runs):
    """Session by session the same log lines in the same order, and the same
    lines sharing a queue id: one id from MAIL to the end of a transaction
    (rejects, from=, the queued or discarded message), a new one after it."""
    for name in ("base", "delay", "localhost", "timeouts"):
        _, ours, ref = runs[name]
        o, r = sessions_log(ours["syslog"]), sessions_log(ref["syslog"])
        assert len(r) >= 4
        missing = list((collections.Counter(r) - collections.Counter(o)).elements())
        extra = list((collections.Counter(o) - collections.Counter(r)).elements())
        with open(os.path.join(TOP, "build", "smtpd-log-%s-diff.txt" % name), "w") as f:
            f.write("".join("-%s\n\n" % x for x in missing) +
                    "".join("+%s\n\n" % x for x in extra))
        assert (name, missing[:5], extra[:5]) == (name, [], [])
        assert o == r


def test_log_lines_in_sendmail_format(runs):
    """Every kind of line the reference logs for the sessions, ours logs alike."""
    _, ours, ref = runs["base"]
    o = {f for f in map(log_form, ours["syslog"]) if f}
    r = {f for f in map(log_form, ref["syslog"]) if f}
    gap = [re.compile(g) for g in LOG_GAPS]
    missing = sorted(f for f in r - o if not any(g.search(f) for g in gap))
    extra = sorted(f for f in o - r if not any(g.search(f) for g in gap))
    assert len(r) >= 50
    for kind in ("ruleset=check_relay, arg1=", "ruleset=check_mail, arg1=",
                 "ruleset=check_rcpt, arg1=", "did not issue MAIL/EXPN/VRFY/ETRN",
                 "lost input channel from", "premature EOM", "]: VRFY ", "... User unknown",
                 "size=N, class=0, nrcpts=N, proto=ESMTP, daemon=MTA, relay="):
        assert any(kind in f for f in o & r), kind
    assert missing == [], missing
    assert extra == [], extra


def test_queue_files_as_reference(runs):
    """What the sessions queued (DeliveryMode=queueonly) is what 8.17 queued,
    qf by qf: recipients checked at RCPT but aliases left for the queue run
    (RPFD:<list>), the first check_* refusal as the M line, the
    X-Authentication-Warning of a MAIL without HELO, DSN parameters, $s, $r
    and $_."""
    for name in ("base", "delay"):
        _, ours, ref = runs["queue-" + name]
        o, r = ours["qf"], ref["qf"]
        missing = list((collections.Counter(r) - collections.Counter(o)).elements())
        extra = list((collections.Counter(o) - collections.Counter(r)).elements())
        with open(os.path.join(TOP, "build", "smtpd-qf-%s-diff.txt" % name), "w") as f:
            f.write("".join("-%s\n" % x for x in missing) + "".join("+%s\n" % x for x in extra))
        assert len(r) >= 20, name
        assert (name, missing[:3], extra[:3]) == (name, [], [])
