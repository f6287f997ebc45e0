"""cfharness: build .mc files with an m4 tree and run them in the reference
sendmail's address test mode (-bt).

This module is the engine behind test_cf.py; it can also be run by hand:

    /usr/bin/python3 test/cf/cfharness.py [--mc NAME...] [--tree DIR]

prints every corpus line whose result differs between the tree under test
and the reference tree.

Pieces:
  Env          a temporary directory holding our deterministic inputs (hosts
               file, service switch, class files) and the maps in data/maps/
               built with the reference makemap.
  build()      m4 -D_CF_DIR_=<tree>/ -DTESTDIR=<dir> prelude-defs.m4
               [prelude-cf.m4] x.mc  -> x.cf, returning exit code and stderr.
  run_bt()     one reference sendmail -bt process per .cf for all its lines;
               a marker macro printed after each line splits the output.
  result()     reduces one line's output to what we compare: the returns:
               line of each outermost ruleset call plus every non-trace line
               (mailer triples, Rcode lines, errors, map lookups).
  SEPARATOR    -bt cannot type the $| separator of the policy rulesets
               (a typed "$|" is a macro reference, not the separator), so
               build() appends a one-rule ruleset, cftest_sep, that turns a
               "|" token into $|, and run_bt() runs a line "RS a $| b" as
               "cftest_sep,RS a | b".  Both .cf files get the same ruleset.
  corpus()     reads corpus/*.txt: '#@ mc: PATTERN...' selects which .mc
               files the following lines run against (fnmatch patterns on
               the names: test .mc stems, cf/<stem> for our examples and
               ref/<stem> for the reference's own .mc files, which the
               harness reads from the unpacked package; '!PATTERN' leaves
               names out);
               '[[a|b|c]]' in a line expands to one line per alternative
               ('\\|' is a literal '|' inside the brackets).
"""

import fnmatch
import itertools
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
REFSENDMAIL = REPO / "test" / "lib" / "refsendmail"
MARK = "@@CFTEST-MARK@@"
BT_TIMEOUT = 120


def ref_root():
    """Directory where the reference Sendmail is unpacked."""
    out = subprocess.run([str(REFSENDMAIL), "root"], check=True,
                         capture_output=True, text=True).stdout
    return Path(out.strip())


def ref_tree():
    return ref_root() / "usr" / "share" / "sendmail" / "cf"


def tree_under_test():
    return Path(os.environ.get("TREE_UNDER_TEST", str(REPO / "cf")))


def test_mcs():
    """Test .mc files: name -> path."""
    return {p.stem: p for p in sorted((HERE / "mc").glob("*.mc"))}


def example_mcs():
    """Example .mc files shipped in cf/cf: 'cf/<stem>' -> path."""
    return {"cf/" + p.stem: p for p in sorted((REPO / "cf" / "cf").glob("*.mc"))}


def reference_mc_sources():
    """The reference's own .mc files (its cf/cf examples and Debian's
    sendmail.mc and submit.mc), read from the unpacked package at test
    time and never copied into the project: 'ref/<stem>' -> path."""
    tree = ref_tree()
    srcs = {"ref/" + p.stem: p for p in sorted((tree / "cf").glob("*.mc"))}
    for p in sorted((tree / "debian").glob("*.mc")):
        srcs["ref/debian-" + p.stem] = p
    return srcs


# lines of the reference .mc files that load a tree or site files by a
# fixed path; the harness loads the tree itself (prelude-cf.m4)
_REF_MC_DROP = re.compile(rb"^include\(`[^']*(m4/cf\.m4|/etc/mail/m4/[^']*)'\)(dnl)?\n", re.M)


def reference_mcs(dirpath):
    """Copies of reference_mc_sources() in dirpath with those include
    lines removed, to build like the test .mc files: name -> path."""
    out = {}
    Path(dirpath).mkdir(parents=True, exist_ok=True)
    for name, src in reference_mc_sources().items():
        dst = Path(dirpath) / (name.split("/", 1)[1] + ".mc")
        dst.write_bytes(_REF_MC_DROP.sub(b"", src.read_bytes()))
        out[name] = dst
    return out


class Env:
    """The test's private directory of inputs, shared by every build."""

    def __init__(self, path):
        self.dir = Path(path)
        self.dir.mkdir(parents=True, exist_ok=True)
        for f in (HERE / "data").iterdir():
            if f.is_file():
                shutil.copy(f, self.dir / f.name)
        for sub in ("mqueue", "clientmqueue", "instance"):
            (self.dir / sub).mkdir(exist_ok=True)
        (self.dir / "statistics").touch()
        makemap = ref_root() / "usr" / "libexec" / "sendmail" / "makemap"
        # makemap reads a sendmail.cf for TrustedUser; give it an empty one
        # and tell it to trust the sticky /tmp above us
        mmcf = self.dir / "makemap.cf"
        mmcf.write_text("O DontBlameSendmail=TrustStickyBit\n")
        for src in sorted((HERE / "data" / "maps").iterdir()):
            with open(src, "rb") as fh:
                r = subprocess.run([str(makemap), "-C", str(mmcf), "hash",
                                    str(self.dir / src.name)],
                                   stdin=fh, capture_output=True)
            if r.returncode != 0:
                raise RuntimeError("makemap %s: %s" % (src.name, r.stderr.decode()))


class Build:
    def __init__(self, rc, stderr, cf):
        self.rc, self.stderr, self.cf = rc, stderr, cf

    @property
    def ok(self):
        return self.rc == 0 and self.cf is not None


def m4_command(tree, mc, testdir, example=False, extra=()):
    cmd = ["m4", "-D_CF_DIR_=%s/" % str(tree).rstrip("/"), "-DTESTDIR=%s" % testdir,
           "-DINSTANCE_DIR=%s/instance" % testdir]
    cmd += list(extra)
    cmd.append(str(HERE / "prelude-defs.m4"))
    if not example:
        cmd.append(str(HERE / "prelude-cf.m4"))
        # Debian's files in the reference tree read the build settings
        # from /usr/share/sendmail/cf/debian/autoconf.m4, which exists
        # only where the package is installed: give them the unpacked one
        autoconf = Path(tree) / "debian" / "autoconf.m4"
        if autoconf.exists():
            cmd.append(str(autoconf))
    cmd.append(str(mc))
    return cmd


SEPARATOR = ("\n# cftest: the harness turns a typed | into the $| separator\n"
             "Scftest_sep\nR$* | $*\t\t$1 $| $2\n")


def build(tree, mc, testdir, out, example=False, extra=()):
    """Build mc with tree into the file out; returns a Build."""
    # some .mc files carry Latin-1 bytes in comments: keep bytes as they are
    r = subprocess.run(m4_command(tree, mc, testdir, example, extra),
                       capture_output=True, text=True, errors="surrogateescape",
                       cwd=str(Path(mc).parent))
    Path(out).write_text(r.stdout + (SEPARATOR if r.stdout else ""), errors="surrogateescape")
    return Build(r.returncode, r.stderr, Path(out) if r.stdout else None)


def load(cf):
    """Load cf in the reference binary with an empty -bt session."""
    r = subprocess.run([str(REFSENDMAIL), "run", "sendmail", "-C", str(cf), "-bt"],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=BT_TIMEOUT)
    return r.returncode, r.stdout, r.stderr


def bt_line(line):
    """The line as typed to -bt: a ruleset line using $| goes through
    cftest_sep first (see SEPARATOR)."""
    if " $| " not in line or line.startswith(("/", ".", "$", "=")):
        return line
    rs, _, rest = line.partition(" ")
    return "cftest_sep,%s %s" % (rs, rest.replace(" $| ", " | "))


def run_bt(cf, lines):
    """Run every line through one reference sendmail -bt; returns
    (list of per-line output texts, stderr, exit code)."""
    feed = [".D{cftestmark}" + MARK, "${cftestmark}"]
    for line in lines:
        feed += [bt_line(line), "${cftestmark}"]
    r = subprocess.run([str(REFSENDMAIL), "run", "sendmail", "-C", str(cf), "-bt"],
                       input="\n".join(feed) + "\n", capture_output=True,
                       text=True, errors="replace", timeout=BT_TIMEOUT)
    parts = r.stdout.split(MARK + "\n")
    segs = []
    for part in parts[1:len(lines) + 1]:
        segs.append(_strip_prompts(part))
    while len(segs) < len(lines):
        segs.append("<no output: sendmail stopped early>")
    return segs, r.stderr, r.returncode


def _strip_prompts(part):
    # each part is "> " + output of the line + "> " (prompt of the marker)
    if part.startswith("> "):
        part = part[2:]
    if part.endswith("> "):
        part = part[:-2]
    return part


TRACE = re.compile(r"^(\S+)\s+(input|returns):\s?(.*)$")


def result(seg):
    """The comparable result of one line's output (a tuple of lines)."""
    out, depth = [], 0
    for line in seg.splitlines():
        m = TRACE.match(line)
        if not m:
            line = " ".join(line.split())
            if line:
                out.append(line)
            continue
        if m.group(2) == "input":
            depth += 1
            continue
        depth = max(depth - 1, 0)
        if depth == 0:
            out.append("%s returns: %s" % (m.group(1), " ".join(m.group(3).split())))
    return tuple(out)


GROUP = re.compile(r"\[\[(.*?)\]\](?!\])")
ALT = re.compile(r"(?<!\\)\|")


def expand(line):
    """'[[a|b]]' alternatives -> list of lines (cartesian product)."""
    groups = GROUP.findall(line)
    if not groups:
        return [line]
    pieces = GROUP.split(line)  # text, group, text, group, ..., text
    lines = []
    alts = [[a.replace("\\|", "|") for a in ALT.split(g)] for g in groups]
    for combo in itertools.product(*alts):
        s = pieces[0]
        for alt, text in zip(combo, pieces[2::2]):
            s += alt + text
        lines.append(s)
    return lines


def corpus():
    """List of (source 'file:line', mc patterns, -bt line)."""
    items = []
    for f in sorted((HERE / "corpus").glob("*.txt")):
        pats = ["*"]
        for n, raw in enumerate(f.read_text().splitlines(), 1):
            if raw.startswith("#@ mc:"):
                pats = raw[len("#@ mc:"):].split()
                continue
            if not raw.strip() or raw.startswith("#"):
                continue
            for line in expand(raw):
                items.append(("%s:%d" % (f.name, n), pats, line))
    return items


def selects(pats, name):
    """'#@ mc:' patterns: name matches one pattern and no '!pattern'."""
    pos = [p for p in pats if not p.startswith("!")]
    neg = [p[1:] for p in pats if p.startswith("!")]
    return (any(fnmatch.fnmatchcase(name, p) for p in pos)
            and not any(fnmatch.fnmatchcase(name, p) for p in neg))


def lines_for(name, items):
    return [(src, line) for src, pats, line in items if selects(pats, name)]


def known_differences():
    """Accepted differences: set of (mc, input) from KNOWN-DIFFERENCES."""
    acc = set()
    path = HERE / "KNOWN-DIFFERENCES"
    if not path.exists():
        return acc
    for raw in path.read_text().splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) >= 3:
            acc.add((fields[0], fields[1]))
    return acc


def compare_all(env, ours, ref, names=None, jobs=2, extra=None):
    """Build every .mc with both trees and run its corpus lines through
    both .cf files. extra maps a .mc name to additional m4 arguments.
    Returns a dict with builds and per-line records."""
    extra = extra or {}
    mcs = dict(test_mcs())
    mcs.update(example_mcs())
    mcs.update(reference_mcs(env.dir / "refmc"))
    if names:
        mcs = {k: v for k, v in mcs.items() if k in names}
    items = corpus()
    outdir = env.dir / "cf"
    outdir.mkdir(exist_ok=True)

    def run_one(name):
        mc = mcs[name]
        ex = name.startswith("cf/")  # examples load cf.m4 themselves
        stem = name.replace("/", "-")
        more = extra.get(name, ())
        bo = build(ours, mc, env.dir, outdir / (stem + ".ours.cf"), ex, more)
        br = build(ref, mc, env.dir, outdir / (stem + ".ref.cf"), ex, more)
        # a .mc whose .cf the binary cannot run (it only checks what m4
        # writes) says "cftest: no-corpus"
        nocorpus = b"cftest: no-corpus" in Path(mc).read_bytes()
        lines = [] if nocorpus else lines_for(name, items)
        inputs = [ln for _, ln in lines]
        if not inputs:
            return name, (bo, br), []
        ref_segs = run_bt(br.cf, inputs)[0] if br.ok else ["<reference build failed>"] * len(inputs)
        our_segs = run_bt(bo.cf, inputs)[0] if bo.ok else ["<our build failed>"] * len(inputs)
        return name, (bo, br), [(name, src, ln, result(o), result(r))
                                for (src, ln), o, r in zip(lines, our_segs, ref_segs)]

    builds, records = {}, []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, pair, recs in pool.map(run_one, list(mcs)):
            builds[name] = pair
            records.extend(recs)
    return {"builds": builds, "records": records}


def format_diff(rec):
    name, src, line, ours, ref = rec
    return ("mc=%s  (%s)\n  input: %s\n  ours : %s\n  ref  : %s\n"
            % (name, src, line, " | ".join(ours), " | ".join(ref)))


def main(argv):
    import argparse
    import tempfile
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mc", nargs="*")
    ap.add_argument("--tree", default=str(tree_under_test()))
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="cftest-")
    env = Env(tmp)
    res = compare_all(env, Path(a.tree), ref_tree(), a.mc,
                      extra={"cf/submit": ["-DconfRUN_AS_USER=mail:mail"]})
    bad = [r for r in res["records"] if r[3] != r[4]]
    for rec in bad:
        print(format_diff(rec))
    for name, (bo, br) in res["builds"].items():
        if not bo.ok or bo.stderr != br.stderr.replace(str(ref_tree()), a.tree):
            print("build %s: ours rc=%s %s| ref rc=%s %s" % (name, bo.rc, bo.stderr, br.rc, br.stderr))
    total = len(res["records"])
    print("%d/%d lines agree" % (total - len(bad), total))
    if a.keep:
        print("kept", tmp)
    else:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main(sys.argv[1:])
