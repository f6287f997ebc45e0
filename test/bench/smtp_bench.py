#!/usr/bin/env python3
"""smtp_bench: SMTP reception and end-to-end delivery, ours against the
reference Sendmail 8.17, driven by Postfix's smtp-source.

Run by `./Build bench` (not a test).  smtp-source comes from Debian's
postfix package, fetched with `apt-get download postfix` and unpacked
with `dpkg -x` into SMB_CACHE (default /var/cache/smbench), never
installed.  For each side, in a fresh temporary instance built from the
same .mc (ours with our cf tree and cf/cf/localhost.mc settings, the
reference with its own tree), inside the private namespaces of
test/lib/refsendmail (host name vm.example.com):
  1. start the daemon on 127.0.0.1 (DeliveryMode background, QueueLA and
     RefuseLA out of reach so a loaded machine does not change the mode,
     delivery by OUR mail.local in LMTP mode into the instance's spool,
     so the comparison is of the MTAs; both fsync every queue file);
  2. smtp-source sends SMB_N (default 5,000) messages of 4 KB over
     SMB_SESSIONS (default 20) parallel sessions;
  3. wait until the mailbox holds every message.
Printed per side: messages per second accepted (smtp-source's run time),
end to end (until the last one is in the mailbox), and the average
resident memory of one connection's process, then ours/reference ratios.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import smtest  # noqa: E402  (test/lib: the reference's root and .mc preamble)

TOP = smtest.TOP
N = int(os.environ.get("SMB_N", "5000"))
SESSIONS = int(os.environ.get("SMB_SESSIONS", "20"))
CACHE = os.environ.get("SMB_CACHE", "/var/cache/smbench")
REFSM = smtest.REFSM
ML = os.path.join(TOP, "build", "bin", "mail.local")
PORT = 2587

MC = smtest.mc_head("{d}/etc", "smtp benchmark") + """define(`ALIAS_FILE', `{d}/etc/aliases')dnl
define(`QUEUE_DIR', `{d}/mqueue')dnl
define(`STATUS_FILE', `{d}/etc/statistics')dnl
define(`confPID_FILE', `{d}/pid')dnl
define(`confDELIVERY_MODE', `background')dnl
define(`confMAX_DAEMON_CHILDREN', `0')dnl
define(`confCONNECTION_RATE_THROTTLE', `0')dnl
define(`confRUN_AS_USER', `root')dnl
define(`confQUEUE_LA', `200')dnl
define(`confREFUSE_LA', `400')dnl
FEATURE(`no_default_msa')dnl
DAEMON_OPTIONS(`Port={port}, Addr=127.0.0.1, Name=MTA, Listen=128')dnl
FEATURE(`local_lmtp', `{ml}', `mail.local -l -p {d}/spool')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""


def smtp_source():
    """Path of smtp-source (and its library dir), fetching postfix once."""
    root = os.path.join(CACHE, "root")
    exe = os.path.join(root, "usr", "sbin", "smtp-source")
    if not os.path.exists(exe):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run(["apt-get", "download", "postfix"], cwd=CACHE, check=True,
                       capture_output=True)
        for f in os.listdir(CACHE):
            if f.startswith("postfix_") and f.endswith(".deb"):
                subprocess.run(["dpkg", "-x", os.path.join(CACHE, f), root], check=True)
    return exe, os.path.join(root, "usr", "lib", "postfix")


def prepare(side, base):
    d = os.path.join(base, side)
    for sub in ("etc", "mqueue", "spool"):
        os.makedirs(os.path.join(d, sub))
    os.chmod(os.path.join(d, "mqueue"), 0o700)
    files = {"etc/service.switch": "hosts files\naliases files\n",
             "etc/hosts": "127.0.0.1 localhost vm.example.com\n",
             "etc/local-host-names": "vm.example.com\n", "etc/statistics": "",
             "etc/aliases": "postmaster: root\n"}
    for rel, text in files.items():
        with open(os.path.join(d, rel), "w") as f:
            f.write(text)
    mcpath = os.path.join(d, "bench.mc")
    with open(mcpath, "w") as f:
        f.write(MC.format(d=d, ml=ML, port=PORT))
    if side == "ours":
        cfdir, sm = os.path.join(TOP, "cf"), os.path.join(TOP, "build", "bin", "sendmail")
    else:
        root = smtest.ref_root_printed(check=True)
        cfdir = os.path.join(root, smtest.REF_CF)
        sm = os.path.join(root, smtest.REF_SBIN, "sendmail")
    out = smtest.m4_cf(cfdir, mcpath, check=True).stdout
    with open(os.path.join(d, "sendmail.cf"), "wb") as f:
        f.write(out)
    subprocess.run([REFSM, "run", sm, "-C", os.path.join(d, "sendmail.cf"), "-bi"],
                   capture_output=True)
    return d, sm


def children_rss(pid):
    """Resident KB of each child of pid."""
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid)], capture_output=True,
                         text=True).stdout.split()
    return [int(x) for x in out if x.isdigit()]


def inner(d, sm):
    """In the namespace: run the daemon, smtp-source, wait for delivery."""
    exe, lib = smtp_source()
    cf = os.path.join(d, "sendmail.cf")
    subprocess.run([sm, "-C", cf, "-bd"], check=True)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    time.sleep(0.5)
    pid = int(open(os.path.join(d, "pid")).readline())
    samples, done = [], threading.Event()

    def sample():
        while not done.is_set():
            samples.extend(children_rss(pid))
            time.sleep(0.2)

    t = threading.Thread(target=sample)
    t.start()
    env = dict(os.environ, LD_LIBRARY_PATH=lib)
    t0 = time.time()
    try:
        subprocess.run([exe, "-s", str(SESSIONS), "-m", str(N), "-l", "4096", "-f",
                        "bench@vm.example.com", "-t", "root@vm.example.com",
                        "127.0.0.1:%d" % PORT], env=env, check=True, capture_output=True,
                       timeout=600)
    except subprocess.TimeoutExpired:
        done.set()
        os.kill(pid, 15)
        raise
    t1 = time.time()
    box = os.path.join(d, "spool", "root")
    count = 0
    while time.time() - t1 < 300:
        if os.path.exists(box):
            with open(box, "rb") as f:
                count = sum(1 for line in f if line.startswith(b"From "))
        if count >= N:
            break
        time.sleep(0.2)
    t2 = time.time()
    done.set()
    t.join()
    os.kill(pid, 15)
    print(json.dumps({"accept": N / (t1 - t0), "e2e": N / (t2 - t0), "delivered": count,
                      "rss_kb": sum(samples) / len(samples) if samples else 0}))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--inner":
        inner(sys.argv[2], sys.argv[3])
        return
    base = tempfile.mkdtemp(prefix="smtpbench.", dir="/tmp")
    os.chmod(base, 0o755)
    results = {}
    try:
        smtp_source()
        for side in ("ours", "ref"):
            d, sm = prepare(side, base)
            out = subprocess.run([REFSM, "run", sys.executable, os.path.abspath(__file__),
                                  "--inner", d, sm], capture_output=True, text=True,
                                 timeout=900)
            line = out.stdout.strip().splitlines()
            if out.returncode != 0 or not line:
                print("%s: failed: %s" % (side, out.stderr[-500:]))
                continue
            results[side] = json.loads(line[-1])
    finally:
        shutil.rmtree(base, ignore_errors=True)
    for side, r in results.items():
        print("%-4s accepted %8.1f msg/s   end-to-end %8.1f msg/s   delivered %d/%d   "
              "rss per session %6.0f KB" % (side, r["accept"], r["e2e"], r["delivered"], N,
                                            r["rss_kb"]))
    if len(results) == 2:
        o, r = results["ours"], results["ref"]
        print("ratios ours/ref: accepted %.2fx, end-to-end %.2fx, memory per session %.2fx"
              % (o["accept"] / r["accept"], o["e2e"] / r["e2e"],
                 (o["rss_kb"] / r["rss_kb"]) if r["rss_kb"] else 0))


if __name__ == "__main__":
    main()
