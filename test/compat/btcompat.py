"""btcompat: differential harness for `sendmail -bt` (ours vs the reference).

Used by test_bt_compat.py (pytest) and by test/bench/bt_bench.py; also runs
standalone:  /usr/bin/python3 test/compat/btcompat.py [--ours PATH] [-v]

What it does:
  1. writes the deterministic input files the .mc files point at (service
     switch "hosts files", hosts, local-host-names, helpfile, text maps) into
     a fixed work directory (build/compat/work by default);
  2. turns every test/compat/mc/*.mc into a .cf with the REFERENCE m4 tree;
  3. feeds every corpus file (test/compat/corpus/*.txt, raw bytes) to the
     reference and to our binary, one process per (file, cf, binary), both
     under `test/lib/refsendmail run` so host facts ($w, $j) agree;
  4. splits each stdout into per-input-line chunks on the `> ` prompts and
     compares chunk by chunk; per run it also compares stderr and the exit
     status (one comparison unit each);
  5. writes build/compat-report.txt (every differing unit with a unified
     diff) and returns a summary.

A corpus file may start with `# cf: name1 name2` (names of mc files without
.mc) to restrict the configurations it runs against; default is all.
Lines listed in test/compat/KNOWN-DIFFERENCES are reported but count as
passes.
"""

import concurrent.futures
import difflib
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
REFSENDMAIL = os.path.join(REPO, "test", "lib", "refsendmail")
MC_DIR = os.path.join(HERE, "mc")
CORPUS_DIR = os.path.join(HERE, "corpus")
KNOWN_FILE = os.path.join(HERE, "KNOWN-DIFFERENCES")
DEFAULT_WORK = os.path.join(REPO, "build", "compat", "work")
DEFAULT_REPORT = os.path.join(REPO, "build", "compat-report.txt")
BANNER = (b"ADDRESS TEST MODE (ruleset 3 NOT automatically invoked)\n"
          b"Enter <ruleset> <address>\n")
PROMPT = b"> "
RUN_TIMEOUT = 60
MAX_DIFFS_PER_RUN = 100  # report at most this many entries per run
MAX_DIFFS = 3000  # and at most this many in all

# Contents of the files the .mc files name (written fresh every run).
WORK_FILES = {
    "service.switch": "hosts files\n",
    "hosts": ("127.0.0.1\tlocalhost\n"
              "192.0.2.10\tvm.example.com vm\n"
              "192.0.2.20\tmx.example.net mx\n"
              "192.0.2.30\tmailhub.example.com mailhub\n"
              "192.0.2.40\tsmarthost.example.net\n"
              "192.0.2.50\tlan1.lan.example.com lan1\n"
              "2001:db8::25\tv6host.example.net\n"),
    "local-host-names": ("# names this host receives mail for\n"
                         "vm.example.com\n"
                         "mail.example.com\n"
                         "example.com\n"
                         "Alias.Example.ORG extra words ignored\n"),
    "helpfile": ("#vers\t2\n"
                 "-bt\tcompat harness help text for address test mode\n"
                 "-bt\tsecond line of the -bt topic\n"
                 "smtp\tnot shown in -bt\n"),
    "access.txt": ("Connect:127.0.0.1 RELAY\n"
                   "Connect:192.0.2 RELAY\n"
                   "Connect:10.9.9.9 REJECT\n"
                   "Connect:spam.example.net REJECT\n"
                   "From:spammer@example.net REJECT\n"
                   "From:bad.example.net DISCARD\n"
                   "From:<> OK\n"
                   "To:relayed.example.org RELAY\n"
                   "To:blocked@vm.example.com ERROR:5.7.1:550 blocked here\n"
                   "To:temp.example.org ERROR:4.7.1:451 try later\n"
                   "Spam:friend@example.net FRIEND\n"
                   "example.org RELAY\n"
                   "badguy.example SKIP\n"),
    "virtusertable.txt": ("info@virt.example.org localuser\n"
                          "sales@virt.example.org sales@elsewhere.example.net\n"
                          "@virt.example.org catchall\n"
                          "bounce@virt.example.org error:nouser 550 No such user\n"),
}
WORK_DIRS = ("absent", "clientmqueue")


def ref_root():
    """Directory of the unpacked reference (fetches it on first use)."""
    out = subprocess.run([REFSENDMAIL, "root"], capture_output=True, check=True)
    return out.stdout.decode().strip()


def default_ours():
    """Our binary: $OURS_SENDMAIL or build/bin/sendmail (absolute path)."""
    return os.path.abspath(os.environ.get("OURS_SENDMAIL")
                           or os.path.join(REPO, "build", "bin", "sendmail"))


def prepare_work(work):
    """Write the deterministic input files; return the work directory."""
    os.makedirs(work, exist_ok=True)
    for d in WORK_DIRS:
        os.makedirs(os.path.join(work, d), exist_ok=True)
    for name, text in WORK_FILES.items():
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    os.chmod(os.path.join(work, "clientmqueue"), 0o770)
    return work


def build_cfs(work, root=None, names=None):
    """Generate work/<name>.cf from every mc/<name>.mc; return {name: path}."""
    root = root or ref_root()
    cfdir = os.path.join(root, "usr", "share", "sendmail", "cf")
    cfs = {}
    for mc in sorted(os.listdir(MC_DIR)):
        if not mc.endswith(".mc"):
            continue
        name = mc[:-3]
        if names and name not in names:
            continue
        with open(os.path.join(MC_DIR, mc)) as f:
            text = f.read().replace("@WORK@", work)
        mcpath = os.path.join(work, mc)
        with open(mcpath, "w") as f:
            f.write(text)
        out = subprocess.run(["m4", "-D_CF_DIR_=" + cfdir + "/",
                              os.path.join(cfdir, "m4", "cf.m4"), mcpath],
                             capture_output=True, check=True)
        if out.stderr:
            raise RuntimeError("m4 %s: %s" % (mc, out.stderr.decode()))
        cfpath = os.path.join(work, name + ".cf")
        with open(cfpath, "wb") as f:
            f.write(out.stdout)
        cfs[name] = cfpath
    return cfs


def run_bt(prog, cf, data, timeout=RUN_TIMEOUT):
    """Run PROG -C cf -bt under the namespace wrapper; (rc, out, err)."""
    try:
        p = subprocess.run([REFSENDMAIL, "run", prog, "-C", cf, "-bt"],
                           input=data, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or b"", e.stderr or b""


def split_output(out):
    """Split -bt stdout into chunks, one per prompt.

    Returns (banner, chunks): chunk i is everything the program printed
    after its i-th prompt and before the next one. A prompt is `> ` at the
    start of the output after the banner, at the start of a line, or right
    after another prompt. The last chunk is what followed the last prompt
    (empty after EOF)."""
    banner = b""
    if out.startswith(BANNER):
        banner, out = BANNER, out[len(BANNER):]
    chunks = []
    cur = None
    i, n = 0, len(out)
    at_start = True
    while i < n:
        if at_start and out.startswith(PROMPT, i):
            if cur is not None:
                chunks.append(bytes(cur))
            cur = bytearray()
            i += len(PROMPT)
            continue
        j = out.find(b"\n", i)
        j = n if j < 0 else j + 1
        if cur is None:
            banner += out[i:j]
        else:
            cur += out[i:j]
        at_start = out[j - 1:j] == b"\n"
        i = j
    if cur is not None:
        chunks.append(bytes(cur))
    return banner, chunks


def read_corpus(path):
    """Input lines (bytes, without newline) and the cf names to use."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    cfs = None
    for line in lines[:5]:
        m = re.match(rb"#\s*cf:\s*(.*)$", line)
        if m:
            cfs = m.group(1).decode().split()
    return data, lines, cfs


def load_known():
    """Accepted differences: set of (corpus file, cf, input line bytes)."""
    known = set()
    if not os.path.exists(KNOWN_FILE):
        return known
    with open(KNOWN_FILE, "rb") as f:
        for raw in f:
            raw = raw.rstrip(b"\n")
            if not raw or raw.startswith(b"#"):
                continue
            parts = raw.split(b"\t", 3)
            if len(parts) >= 3:
                known.add((parts[0].decode(), parts[1].decode(), parts[2]))
    return known


def show(b):
    """Bytes -> printable text for the report (escapes, keeps layout)."""
    return b.decode("latin-1").encode("unicode_escape").decode("ascii") \
        .replace("\\n", "\n").replace("\\t", "\t")


def diff_text(ref, ours, label):
    a = show(ref).splitlines(keepends=True)
    b = show(ours).splitlines(keepends=True)
    d = "".join(difflib.unified_diff(a, b, "reference/" + label,
                                     "ours/" + label, lineterm="\n", n=3))
    if d and not d.endswith("\n"):
        d += "\n"
    return d or "(differ only in trailing newline)\n"


class Result:
    """Outcome of one (corpus file, cf) pair."""

    def __init__(self, corpus, cf):
        self.corpus, self.cf = corpus, cf
        self.units = 0
        self.same = 0
        self.known = 0
        self.diffs = []  # (label, input bytes, ref bytes, ours bytes)
        self.framing = None  # harness problem: ambiguous prompt split


def align(ref_chunks, our_chunks):
    """Pair chunks; if counts differ, align with difflib (unmatched = None)."""
    if len(ref_chunks) == len(our_chunks):
        return list(zip(ref_chunks, our_chunks))
    pairs = []
    sm = difflib.SequenceMatcher(None, ref_chunks, our_chunks, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            pairs += list(zip(ref_chunks[i1:i2], our_chunks[j1:j2]))
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            r = ref_chunks[i1 + k] if i1 + k < i2 else None
            o = our_chunks[j1 + k] if j1 + k < j2 else None
            if r is not None:
                pairs.append((r, o))
    return pairs


LINE_READ = 2047  # -bt reads at most this many bytes per command


def input_reads(lines):
    """The commands -bt actually sees, as (label, bytes) pairs.

    A line longer than LINE_READ - 1 bytes is read in LINE_READ-byte
    pieces, each piece a command of its own (observed: 2046 bytes + newline
    is one read, 2047 bytes are two). Labels are 1-based file line numbers;
    continuation pieces get "N+"."""
    reads = []
    for n, line in enumerate(lines, 1):
        pieces = [line[i:i + LINE_READ]
                  for i in range(0, len(line), LINE_READ)] or [b""]
        if len(line) % LINE_READ == 0 and line:
            pieces.append(b"")
        reads.append(("line %d" % n, pieces[0]))
        reads += [("line %d+" % n, p) for p in pieces[1:]]
    return reads


def expected_prompts(lines):
    """How many prompt chunks the reference prints for these input reads."""
    for i, (_, line) in enumerate(lines):
        if line.strip(b" \t\r") == b"/quit":
            return i + 1
    if lines and lines[-1][1].lstrip(b" \t").startswith(b"/expand"):
        return len(lines)  # no newline after /expand: last prompt glued
    return len(lines) + 1


def compare_pair(corpus, cfname, lines, ref, ours, known):
    """Compare the two runs of one corpus file under one cf."""
    res = Result(corpus, cfname)
    rrc, rout, rerr = ref
    orc, oout, oerr = ours
    rban, rch = split_output(rout)
    oban, och = split_output(oout)
    lines = input_reads(lines)
    if len(rch) != expected_prompts(lines):
        res.framing = "reference printed %d prompts for %d input lines" % (
            len(rch), len(lines))
    inputs = [("banner", b"")] + lines + [("end", b"<end of input>")]
    pairs = [(rban, oban)] + align(rch, och)
    for idx, (r, o) in enumerate(pairs):
        label, line = inputs[idx] if idx < len(inputs) else ("extra", b"")
        res.units += 1
        if r == o:
            res.same += 1
        elif (corpus, cfname, line) in known:
            res.known += 1
        else:
            res.diffs.append((label, line, r,
                              o if o is not None else b"<missing>"))
    for label, r, o in (("stderr", rerr, oerr),
                        ("exit status", str(rrc).encode(), str(orc).encode())):
        res.units += 1
        if r == o:
            res.same += 1
        else:
            res.diffs.append((label, b"<" + label.encode() + b">", r, o))
    return res


def dump_run(dump, fname, cfname, who, result):
    """Save one run's raw stdout/stderr/status under DUMP (for debugging)."""
    rc, out, err = result
    base = os.path.join(dump, "%s.%s.%s" % (fname[:-4], cfname, who))
    with open(base + ".out", "wb") as f:
        f.write(out)
    with open(base + ".err", "wb") as f:
        f.write(err + b"exit status " + str(rc).encode() + b"\n")


def run_all(ours=None, work=None, report=DEFAULT_REPORT, jobs=None,
            corpus_glob=None, dump=None):
    """Run the whole suite; write the report; return a summary dict."""
    t0 = time.time()
    ours = ours or default_ours()
    work = prepare_work(work or DEFAULT_WORK)
    cfs = build_cfs(work)
    known = load_known()
    files = sorted(f for f in os.listdir(CORPUS_DIR) if f.endswith(".txt"))
    if corpus_glob:
        files = [f for f in files if re.search(corpus_glob, f)]
    tasks = []
    for fname in files:
        data, lines, want = read_corpus(os.path.join(CORPUS_DIR, fname))
        for cfname in sorted(cfs):
            if want and cfname not in want and "all" not in want:
                continue
            tasks.append((fname, cfname, data, lines))
    jobs = jobs or min(16, (os.cpu_count() or 2) * 2)
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = []
        for fname, cfname, data, lines in tasks:
            fr = ex.submit(run_bt, "sendmail", cfs[cfname], data)
            fo = ex.submit(run_bt, ours, cfs[cfname], data)
            futs.append((fname, cfname, lines, fr, fo))
        for fname, cfname, lines, fr, fo in futs:
            if dump:
                os.makedirs(dump, exist_ok=True)
                dump_run(dump, fname, cfname, "ref", fr.result())
                dump_run(dump, fname, cfname, "ours", fo.result())
            results.append(compare_pair(fname, cfname, lines, fr.result(),
                                        fo.result(), known))
    summary = summarize(results, ours, time.time() - t0)
    write_report(report, results, summary)
    return summary


def summarize(results, ours, elapsed):
    units = sum(r.units for r in results)
    same = sum(r.same for r in results)
    known = sum(r.known for r in results)
    ok = same + known
    return {
        "framing": ["%s [cf %s]: %s" % (r.corpus, r.cf, r.framing)
                    for r in results if r.framing],
        "ours": ours, "runs": len(results), "units": units, "same": same,
        "known": known, "differ": units - ok,
        "rate": (100.0 * ok / units) if units else 0.0,
        "elapsed": elapsed,
        "per_cf": per_cf(results),
    }


def per_cf(results):
    out = {}
    for r in results:
        u, s = out.get(r.cf, (0, 0))
        out[r.cf] = (u + r.units, s + r.same + r.known)
    return out


def summary_text(s):
    lines = ["btcompat: ours=%s" % s["ours"],
             "btcompat: %d runs, %d units, %d identical, %d accepted, %d differ: "
             "%.2f%% pass (need >= 99%%), %.1fs" % (
                 s["runs"], s["units"], s["same"], s["known"], s["differ"],
                 s["rate"], s["elapsed"])]
    for cf, (u, ok) in sorted(s["per_cf"].items()):
        lines.append("  %-14s %5d/%5d" % (cf, ok, u))
    for f in s["framing"]:
        lines.append("HARNESS WARNING (fix the corpus): " + f)
    return "\n".join(lines) + "\n"


def write_report(path, results, summary):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(summary_text(summary))
        f.write("\nEach entry: corpus file, cf, unit, the input line, then a "
                "unified diff\n(- reference, + ours; bytes >= 0x80 and "
                "control characters shown as \\x..).\n\n")
        written = 0
        for r in results:
            for n, (label, line, ref, ours) in enumerate(r.diffs):
                if n >= MAX_DIFFS_PER_RUN or written >= MAX_DIFFS:
                    f.write("%s [cf %s]: %d more differences not shown\n"
                            % (r.corpus, r.cf, len(r.diffs) - n))
                    break
                written += 1
                f.write("=" * 72 + "\n")
                f.write("%s [cf %s] %s: input %s\n" % (r.corpus, r.cf, label,
                                                       show(line)))
                f.write(diff_text(ref, ours, "%s:%s" % (r.corpus, label)))
        if summary["differ"] == 0:
            f.write("no differences\n")


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ours", help="our sendmail binary (default: "
                    "$OURS_SENDMAIL or build/bin/sendmail)")
    ap.add_argument("--report", default=DEFAULT_REPORT)
    ap.add_argument("--work", default=DEFAULT_WORK)
    ap.add_argument("--corpus", help="regex selecting corpus file names")
    ap.add_argument("-j", "--jobs", type=int)
    ap.add_argument("--dump", help="directory to save every raw output in")
    args = ap.parse_args(argv)
    ours = os.path.abspath(args.ours) if args.ours else default_ours()
    if not os.access(ours, os.X_OK):
        print("btcompat: %s not found or not executable" % ours)
        return 2
    s = run_all(ours, args.work, args.report, args.jobs, args.corpus,
                args.dump)
    sys.stdout.write(summary_text(s))
    print("btcompat: report in %s" % args.report)
    return 0 if s["rate"] >= 99.0 and not s["framing"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
