#!/usr/bin/env python3
"""map_bench: our makemap/libsmdb against Sendmail 8.17's makemap (Berkeley DB).

Run by `./Build bench` (not a test).  Steps:
  1. write a 1,000,000-line "key value" file (deterministic, mailertable-like);
  2. build it with our makemap and the reference makemap (hash), best of
     BUILD_RUNS each, alternating sides; compare wall time and file size;
  3. look up 100,000 random keys (90% present) on each side's map, best of
     LOOKUP_RUNS; compare the time of the lookup loop.

Lookup method.  Neither makemap nor praliases can look keys up in bulk, and
per-key editmap runs would measure process start-up.  So each side gets a
small C loop that reads all keys first and then times only the lookups:
  ours   build/test/maps/tool_lookup -c  (libsmdb's smdb_get over GDBM)
  ref    build/bench/bdb_lookup          (Berkeley DB 5.3's DB->get, the
         library and the open call the reference sendmail uses), compiled
         here from test/bench/bdb_lookup.c when <db.h> is installed
         (Debian package libdb5.3-dev); without it the lookup comparison is
         skipped and said so.
The machine may be shared: "best of N" keeps the least disturbed run.

Targets: build at least as fast (ratio <= 1.0), lookups at least 2x faster
(ratio <= 0.5), file at most 1.5x the reference's size.
"""
import os
import random
import shutil
import subprocess
import sys
import time

TOP = os.environ.get("SM_TOP") or os.path.abspath(os.path.join(os.path.dirname(__file__),
                                                               "..", ".."))
WORK = os.path.join(TOP, "build", "bench", "maps")
LINES = 1_000_000
LOOKUPS = 100_000
BUILD_RUNS = 3
LOOKUP_RUNS = 5


def ref_root():
    out = subprocess.run([os.path.join(TOP, "test/lib/refsendmail"), "root"],
                         capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def key(i):
    return "host%d.example%d.com" % (i, i % 1000)


def write_input(path):
    with open(path, "w") as f:
        for i in range(LINES):
            f.write("%s\tsmtp:[relay%d.example.net]\n" % (key(i), i % 50))


def write_keys(path):
    rnd = random.Random(42)
    with open(path, "w") as f:
        for _ in range(LOOKUPS):
            f.write(key(rnd.randrange(LINES * 10 // 9)) + "\n")


def build_once(makemap, name, inp):
    for ext in (".db",):
        if os.path.exists(os.path.join(WORK, name + ext)):
            os.unlink(os.path.join(WORK, name + ext))
    subprocess.run(["sync"])
    t = time.monotonic()
    with open(inp, "rb") as f:
        r = subprocess.run([makemap, "-C", os.path.join(WORK, "empty.cf"), "hash",
                            os.path.join(WORK, name)], stdin=f, capture_output=True)
    elapsed = time.monotonic() - t
    if r.returncode != 0:
        sys.exit("%s failed: %s" % (makemap, r.stderr.decode()[:500]))
    return elapsed


def lookup_once(cmd, keys):
    with open(keys, "rb") as f:
        r = subprocess.run(cmd, stdin=f, capture_output=True)
    if r.returncode != 0:
        sys.exit("%s failed: %s" % (cmd[0], r.stderr.decode()[:500]))
    found, ns = r.stdout.split()
    return int(found), int(ns) / 1e9


def compile_bdb_helper():
    if not os.path.exists("/usr/include/db.h"):
        return None
    out = os.path.join(TOP, "build", "bench", "bdb_lookup")
    r = subprocess.run(["cc", "-O2", "-o", out, os.path.join(TOP, "test/bench/bdb_lookup.c"),
                        "-ldb-5.3"], capture_output=True)
    return out if r.returncode == 0 else None


def verdict(ok):
    return "meets target" if ok else "MISSES target"


def main():
    root = ref_root()
    if root is None:
        sys.exit("map_bench: reference Sendmail not available")
    ref_makemap = os.path.join(root, "usr/libexec/sendmail/makemap")
    our_makemap = os.path.join(TOP, "build/bin/makemap")
    our_lookup = os.path.join(TOP, "build/test/maps/tool_lookup")
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    open(os.path.join(WORK, "empty.cf"), "w").close()
    inp, keys = os.path.join(WORK, "input.txt"), os.path.join(WORK, "keys.txt")
    write_input(inp)
    write_keys(keys)

    ours_t, ref_t = [], []
    for _ in range(BUILD_RUNS):
        ours_t.append(build_once(our_makemap, "ours", inp))
        ref_t.append(build_once(ref_makemap, "ref", inp))
    ob, rb = min(ours_t), min(ref_t)
    osz = os.path.getsize(os.path.join(WORK, "ours.db"))
    rsz = os.path.getsize(os.path.join(WORK, "ref.db"))
    print("build %d lines:   ours %.2fs  ref %.2fs  ratio %.2f  (%s: <= 1.0)"
          % (LINES, ob, rb, ob / rb, verdict(ob <= rb)))
    print("file size:         ours %d  ref %d  ratio %.2f  (%s: <= 1.5)"
          % (osz, rsz, osz / rsz, verdict(osz <= 1.5 * rsz)))

    bdb = compile_bdb_helper()
    if bdb is None:
        print("lookups: skipped (install libdb5.3-dev for the Berkeley DB side)")
        return
    ol, rl = [], []
    for _ in range(LOOKUP_RUNS):
        of, ot = lookup_once([our_lookup, "-c", os.path.join(WORK, "ours.db")], keys)
        rf, rt = lookup_once([bdb, os.path.join(WORK, "ref.db")], keys)
        if of != rf:
            sys.exit("lookups disagree: ours found %d, ref found %d" % (of, rf))
        ol.append(ot)
        rl.append(rt)
    o, r = min(ol), min(rl)
    print("%d lookups (%d found): ours %.3fs  ref %.3fs  ratio %.2f  (%s: <= 0.5)"
          % (LOOKUPS, of, o, r, o / r, verdict(o <= 0.5 * r)))


if __name__ == "__main__":
    main()
