"""bt_bench: address-test-mode throughput, ours against Sendmail 8.17.

Run by `./Build bench` (or /usr/bin/python3 test/bench/bt_bench.py). Not a
test: it prints numbers and whether the targets are met, and exits 0 unless
something could not be run.

Workload: 20,000 `3,0 <address>` lines (plain, local, percent-hack, bang,
route-addr, IP-literal, quoted and phrase forms, cycled deterministically)
through the standard rulesets of one cf generated from
test/compat/mc/linux-mta.mc; stdout goes to /dev/null. Each binary runs
under the same `test/lib/refsendmail run` wrapper (private namespaces), so
wall time is measured around the whole wrapped run; /usr/bin/time (inside
the wrapper) reports the peak RSS of the sendmail process alone (neither the wrapper nor Python is counted; Linux
carries a parent's peak RSS across fork+exec, so the meter must be a small
process). Each side runs --repeat times (default 3), alternating; the best
wall time and the largest peak RSS are reported.

Targets: ours at least 2x faster (wall ratio ref/ours >= 2.0) and no more
peak RSS than the reference (ours/ref <= 1.0).

Options: --ours PATH (default $OURS_SENDMAIL, else build/bin/sendmail),
--lines N, --repeat N, --cf NAME (an mc name from test/compat/mc).
"""

import argparse
import itertools
import os
import subprocess
import sys
import time

TOP = os.environ.get("SM_TOP") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "test", "compat"))
import btcompat  # noqa: E402

USERS = ["user", "first.last", "root", "postmaster", "u+detail", "MAILER-DAEMON",
         "o'brien", "x_y-z"]
HOSTS = ["example.net", "vm.example.com", "VM.Example.COM", "localhost",
         "mail.example.com", "mx.example.net", "a.b.c.example.org", "[192.0.2.1]",
         "[IPv6:2001:db8::1]", "nosuch.invalid"]
FORMS = ["{u}@{h}", "{u}", "<{u}@{h}>", "Full Name <{u}@{h}>", "{u}@{h} (comment)",
         "{u}%{h}@vm.example.com", "{h}!{u}", "<@relay.example.net:{u}@{h}>",
         '"{u} quoted"@{h}', "{u}@{h}."]


def workload(n):
    """N deterministic `3,0 address` lines as bytes."""
    combos = itertools.cycle(itertools.product(FORMS, USERS, HOSTS))
    lines = []
    for _ in range(n):
        form, u, h = next(combos)
        lines.append("3,0 " + form.format(u=u, h=h))
    return ("\n".join(lines) + "\n").encode()


GNU_TIME = "/usr/bin/time"


def measure(out_path, argv):
    """Fallback meter when /usr/bin/time is missing, run inside the wrapper:
    run ARGV with our stdin/stdout and write "wall maxrss_kib exit" to
    OUT_PATH. Less exact: Linux carries the forking Python's peak RSS into
    the child across exec, so small RSS values read as Python's (~10 MB)."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    with open(out_path, "w") as f:
        f.write("%f %d %d\n" % (wall, ru.ru_maxrss,
                                 os.waitstatus_to_exitcode(status)))
    return 0


def run_once(prog, cf, data_path):
    """Run one -bt session; (wall seconds, peak RSS KiB, exit status)."""
    if prog == "sendmail":
        prog = os.path.join(btcompat.ref_root(), "usr/libexec/sendmail/sendmail")
    res_path = data_path + ".measure"
    if os.access(GNU_TIME, os.X_OK):
        meter = [GNU_TIME, "-q", "-f", "%e %M %x", "-o", res_path]
    else:
        meter = [sys.executable, os.path.abspath(__file__), "--measure", res_path]
    with open(data_path, "rb") as stdin, open(os.devnull, "wb") as devnull:
        t0 = time.monotonic()
        subprocess.run([btcompat.REFSENDMAIL, "run"] + meter +
                       [prog, "-C", cf, "-bt"],
                       stdin=stdin, stdout=devnull, stderr=devnull)
        wall = time.monotonic() - t0
    with open(res_path) as f:
        _, maxrss, rc = f.read().split()[-3:]
    return wall, int(maxrss), int(rc)


def fmt_ratio(num, den):
    return "%.2f" % (num / den) if den else "n/a"


def main(argv):
    if argv[:1] == ["--measure"]:
        return measure(argv[1], argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ours", default=btcompat.default_ours())
    ap.add_argument("--lines", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cf", default="linux-mta")
    args = ap.parse_args(argv)
    ours = os.path.abspath(args.ours)
    if not os.access(ours, os.X_OK):
        print("bt_bench: %s not built; nothing to compare" % ours)
        return 0
    work = btcompat.prepare_work(btcompat.DEFAULT_WORK)
    cf = btcompat.build_cfs(work, names=[args.cf])[args.cf]
    data_path = os.path.join(work, "bench-input.txt")
    with open(data_path, "wb") as f:
        f.write(workload(args.lines))
    sides = {"reference": "sendmail", "ours": ours}
    best = {k: None for k in sides}
    rss = {k: 0 for k in sides}
    status = {}
    for _ in range(args.repeat):
        for name, prog in sides.items():
            wall, maxrss, rc = run_once(prog, cf, data_path)
            best[name] = wall if best[name] is None else min(best[name], wall)
            rss[name] = max(rss[name], maxrss)
            status[name] = rc
    print("bt_bench: %d lines of `3,0 address` through %s.cf, best of %d runs"
          % (args.lines, args.cf, args.repeat))
    for name in sides:
        print("  %-9s wall %7.3f s  %8.0f lines/s  peak RSS %7d KiB  exit %s" % (
            name, best[name], args.lines / max(best[name], 1e-6), rss[name],
            status[name]))
    speed = best["reference"] / max(best["ours"], 1e-6)
    mem = rss["ours"] / rss["reference"] if rss["reference"] else float("inf")
    print("  speed ratio ref/ours %s (target >= 2.00: %s)" % (
        fmt_ratio(best["reference"], best["ours"]), "met" if speed >= 2.0 else "NOT met"))
    print("  RSS ratio ours/ref   %s (target <= 1.00: %s)" % (
        fmt_ratio(rss["ours"], rss["reference"]), "met" if mem <= 1.0 else "NOT met"))
    print("  (wall includes the namespace wrapper's start-up, a few ms, on both"
          " sides;\n   peak RSS of one binary varies by about 2% between runs)")
    if status["ours"] != status["reference"]:
        print("  note: exit statuses differ; check correctness with test/compat first")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
