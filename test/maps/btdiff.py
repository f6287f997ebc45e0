"""Differential `sendmail -bt` runs for the map classes (test/maps).

One case = a cf template, text sources with the makemap commands that
turn them into maps, and the -bt input.  run_side() builds the maps with
one side's makemap in a directory, writes the cf there (@DIR@ replaced by
the directory) and runs that side's sendmail -bt on the input in the
namespace wrapper (host name vm.example.com).  Both sides use the SAME
directory, one after the other, so file names in messages are equal.

Our binary is build/bin/sendmail, or $OURS_SENDMAIL.
Usable from a shell too:  python3 test/maps/btdiff.py CF INPUT [MAPSPEC...]
(MAPSPEC = "name:type[:flags]:sourcefile"), printing a unified diff.
"""
import difflib
import os
import shutil
import subprocess
import sys

from maptools import BIN, REF_ROOT, TOP

WRAP = os.path.join(TOP, "test", "lib", "refsendmail")
OUR_SENDMAIL = os.path.abspath(os.environ.get("OURS_SENDMAIL") or os.path.join(BIN, "sendmail"))

# A cf header that defines the local mailer (so the exit status is not
# always 70 for "No local mailer defined").
HEADER = "V10\nMlocal, P=/bin/true, F=l, A=x\nMprog, P=/bin/sh, F=l, A=sh\n"


def makemap_path(side):
    if side == "ours":
        return os.path.join(BIN, "makemap")
    return os.path.join(REF_ROOT, "usr/libexec/sendmail/makemap")


def sendmail_path(side):
    """The side's sendmail binary (an absolute path)."""
    if side == "ours":
        return OUR_SENDMAIL
    return os.path.join(REF_ROOT, "usr/libexec/sendmail/sendmail")


def sendmail_cmd(side):
    if side == "ours":
        return [WRAP, "run", OUR_SENDMAIL]
    return [WRAP, "run", "sendmail"]


def build_maps(side, d, maps):
    """maps: list of (name, type, [flags], text) built in d with side's makemap."""
    empty = os.path.join(d, "empty.cf")
    with open(empty, "w"):
        pass
    for name, mtype, flags, text in maps:
        data = text if isinstance(text, bytes) else text.encode()
        r = subprocess.run([makemap_path(side), "-C", empty] + list(flags) + [mtype, name],
                           input=data, capture_output=True, cwd=d, timeout=60)
        assert r.returncode == 0, (side, name, r.stderr)


def trust_sticky(cf_text):
    """The cf with DontBlameSendmail=TrustStickyBit right after its V line
    (a test's own setting further down still wins): a checkout under /tmp
    would otherwise make the reference warn about the world-writable /tmp."""
    first, nl, rest = cf_text.partition("\n")
    if not first.startswith("V"):
        return "O DontBlameSendmail=TrustStickyBit\n" + cf_text
    return first + nl + "O DontBlameSendmail=TrustStickyBit\n" + rest


def run_bt(side, d, cf_text, bt_input, timeout=60, extra=()):
    """Run side's sendmail -bt with cf_text (@DIR@ = d) on bt_input."""
    cf = os.path.join(d, "x.cf")
    with open(cf, "w") as f:
        f.write(trust_sticky(cf_text.replace("@DIR@", d)))
    data = bt_input if isinstance(bt_input, bytes) else bt_input.encode()
    r = subprocess.run(sendmail_cmd(side) + ["-C", cf, "-bt"] + list(extra), input=data,
                       capture_output=True, cwd=d, timeout=timeout)
    return r.returncode, r.stdout.decode("latin-1"), r.stderr.decode("latin-1")


def run_side(side, d, cf_text, bt_input, maps=(), files=None, setup=None):
    """Fresh directory d: files {name: text}, maps built by side, then -bt."""
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d, mode=0o755)
    for name, text in (files or {}).items():
        p = os.path.join(d, name)
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(p, mode) as f:
            f.write(text)
    build_maps(side, d, maps)
    if setup is not None:
        setup(d)
    return run_bt(side, d, cf_text, bt_input)


def compare(d, cf_text, bt_input, maps=(), files=None, setup=None, stderr=True):
    """Both sides in d; returns (ref, ours) tuples (rc, stdout, stderr)."""
    ref = run_side("ref", d, cf_text, bt_input, maps, files, setup)
    ours = run_side("ours", d, cf_text, bt_input, maps, files, setup)
    return ref, ours


def diff_text(ref, ours):
    return "".join(difflib.unified_diff(ref.splitlines(True), ours.splitlines(True),
                                        "ref", "ours"))


def assert_same(ref, ours, stderr=True):
    assert ref[1] == ours[1], "stdout differs:\n" + diff_text(ref[1], ours[1])
    if stderr:
        assert ref[2] == ours[2], "stderr differs:\n" + diff_text(ref[2], ours[2])
    assert ref[0] == ours[0], "exit status ref %d ours %d" % (ref[0], ours[0])


def _main(argv):
    cf_file, input_file = argv[1], argv[2]
    maps, files = [], {}
    for spec in argv[3:]:
        parts = spec.split(":")
        name, mtype, src = parts[0], parts[1], parts[-1]
        flags = parts[2].split() if len(parts) == 4 else []
        maps.append((name, mtype, flags, open(src, "rb").read()))
    cf = open(cf_file).read()
    bt = open(input_file, "rb").read()
    d = os.path.join(TOP, "build", "test-maps", "btdiff")
    ref, ours = compare(d, cf, bt, maps, files)
    print("rc ref=%d ours=%d" % (ref[0], ours[0]))
    sys.stdout.write(diff_text(ref[1], ours[1]) or "stdout identical\n")
    sys.stdout.write(diff_text(ref[2], ours[2]) or "stderr identical\n")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    _main(sys.argv)
