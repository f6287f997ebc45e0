"""Differential `sendmail -bt` tests of the database map classes.

Each test writes the same text sources, builds them with each side's own
makemap (ours: build/bin/makemap, GDBM; reference: Sendmail 8.17's, Berkeley
DB) in the same directory, one side after the other, and runs each side's
sendmail -bt (ours: build/bin/sendmail) on the same cf and input under the
namespace wrapper.  stdout, stderr and the exit status must be identical.

Also: a map rebuilt 100 times by our makemap while one of our -bt
processes keeps reading it (never a failed or torn answer), the messages
for a Berkeley DB file (ours only: the reference reads those), unreadable,
corrupt and missing files.
"""
import os
import random
import stat
import subprocess
import threading
import time

import pytest

import btdiff
from maptools import BIN, REF_ROOT, TOP

pytestmark = pytest.mark.skipif(REF_ROOT is None, reason="reference Sendmail not available")

LONG256 = "k" * 256
LONG300 = "j" * 300

SOURCE = ("Foo\tbar\n"
          "Baz\tqux quux\n"
          "nul\tvalue with %0 and %1 and %% and %x\n"
          "MiXed\tCase-Value\n"
          "user@example.com\tOK\n"
          "example.com\tRELAY\n"
          "Connect:10.1.2.3\tREJECT\n"
          "To:postmaster@\tRELAY\n"
          "empty\t\"\"\n"
          + LONG256 + "\tlong256\n" + LONG300 + "\tlong300\n")

OPTIONS_CF = btdiff.HEADER + """\
Kh hash @DIR@/m
Kn hash @DIR@/n
KhN hash -N @DIR@/m
KhO hash -O @DIR@/m
KnN hash -N @DIR@/n
KnO hash -O @DIR@/n
Kf hash -f @DIR@/m
Kff hash -f @DIR@/f
Kfn hash @DIR@/f
Km hash -m -a.APP @DIR@/m
Ka hash -a<A> @DIR@/m
Kkv hash -k1 -v2 -z: @DIR@/m
Kb btree @DIR@/b
Kbf btree -f -m @DIR@/b
Ki implicit @DIR@/m
Kdb hash @DIR@/m.db
Kmiss hash @DIR@/missing
Kmisso hash -o @DIR@/missing
Ktmp hash -T<TMP> @DIR@/missing
Ktt hash -t -T<TMP> @DIR@/missing
Kt0 hash -t @DIR@/missing
Kq hash -q @DIR@/m
KD hash -D @DIR@/m
Kal hash -A @DIR@/m
SLook
R$-:$*	$: $(h $2 $)
R$*	$@ $1
Stry
R$- $+	$: $(h $1 $@ $2 $: nf:$1 $)
R$*	$@ $1
Smiss
R$- $+	$: $(miss $2 $: def $)
Stmp
R$- $+	$: $(tmp $2 $: def $)
Stt
R$- $+	$: $(tt $2 $: def $)
St0
R$- $+	$: $(t0 $2 $: def $)
Smo
R$- $+	$: $(misso $2 $: def $)
Squote
R$- $+	$: $(h $2 $: nf $)
Sq2
R$- $+	$: $(q $2 $: nf $)
Smatch
R$- $+	$: $(m $2 $: nf $)
"""

OPTIONS_INPUT = """\
/map h foo
/map h FOO
/map h nul
/map h NUL
/map h mixed
/map h MiXed
/map h user@example.com
/map h connect:10.1.2.3
/map h Connect:10.1.2.3
/map h to:postmaster@
/map h empty
/map h nokey
/map n foo
/map n nul
/map n NOKEY
/map hN foo
/map hO foo
/map nN foo
/map nO foo
/map f foo
/map f Foo
/map ff Foo
/map ff foo
/map ff MiXed
/map fn MiXed
/map fn mixed
/map m FOO
/map m nokey
/map a baz
/map kv foo
/map b foo
/map b BAZ
/map bf Foo
/map bf foo
/map i baz
/map db baz
/map miss foo
/map misso foo
/map tmp foo
/map tt foo
/map q foo
/map D foo
/map al foo
/map h %s
/map h %s
/map h %s
Look foo:Baz
try nul arg1
try NUL arg1
try nokey arg1
miss x foo
tt x foo
t0 x foo
mo x foo
quote x "foo"
quote x "Foo"
q2 x "foo"
q2 x foo
match x Baz
match x nokey
""" % (LONG256, LONG256 + "tail", LONG300)

MAPS = [("m", "hash", [], SOURCE), ("n", "hash", ["-N"], SOURCE),
        ("f", "hash", ["-f"], SOURCE), ("b", "btree", [], SOURCE)]


@pytest.fixture
def d(work):
    return os.path.join(work, "bt")


def test_hash_options_same_as_reference(d):
    ref, ours = btdiff.compare(d, OPTIONS_CF, OPTIONS_INPUT, MAPS)
    assert "returns bar (0)" in ref[1]  # the reference really read its map
    btdiff.assert_same(ref, ours)


def test_tempfail_T_result_in_rules(d):
    """$(map key $: def $) on a temp-failing -T map gives key<TMP>, status 75."""
    inp = "tmp x foo\n"
    ref, ours = btdiff.compare(d, OPTIONS_CF, inp)
    assert "tmp              returns: foo < TMP >" in ref[1]
    btdiff.assert_same(ref, ours)


def test_redeclared_map_keeps_earlier_settings(d):
    """A map declared twice keeps what the second K line does not set (-a, -m ...)."""
    cf = btdiff.HEADER + ("Ky text -a<Y> -k1 -v0 -z: @DIR@/t.txt\nKY hash @DIR@/m\n"
                          "Kz hash -a<Z> @DIR@/m\nKZ text -o @DIR@/t.txt\n"
                          "Kw hash -o @DIR@/nosuch\nKW hash @DIR@/m\n"
                          "Kv regex -a<R> ^f\nKv hash @DIR@/m\n"
                          "Ku hash -m @DIR@/m\nKu hash @DIR@/m\n")
    inp = "/map y foo\n/map z foo\n/map w foo\n/map v foo\n/map u foo\n"
    ref, ours = btdiff.compare(d, cf, inp, [("m", "hash", [], SOURCE)],
                               files={"t.txt": "a:b:c\n"})
    assert "returns bar<Y> (0)" in ref[1]
    btdiff.assert_same(ref, ours)


def test_nul_mode_is_remembered(d):
    """Without -N/-O the first form that finds a key is the only one tried later."""
    src = "a\twithout\n"
    maps = [("m", "hash", [], src), ("n", "hash", ["-N"], src)]
    # A map holding both forms of different keys: "a" without NUL (m0)
    # and "b" with NUL (n0), merged by our makemap -o / reference -o.
    cf = btdiff.HEADER + "Kmix hash @DIR@/mix\n"

    def setup_for(side):
        def setup(dd):
            mm = btdiff.makemap_path(side)
            empty = os.path.join(dd, "empty.cf")
            for flags, text in (([], b"a\tplain\n"), (["-N", "-o"], b"b\twithnul\n")):
                r = subprocess.run([mm, "-C", empty] + flags + ["hash", "mix"], input=text,
                                   cwd=dd, capture_output=True)
                assert r.returncode == 0, r.stderr
        return setup
    inp = "/map mix a\n/map mix b\n/map mix a\n"
    ref = btdiff.run_side("ref", d, cf, inp, maps, setup=setup_for("ref"))
    ours = btdiff.run_side("ours", d, cf, inp, maps, setup=setup_for("ours"))
    assert "mix (a) returns plain" in ref[1]
    assert "mix (b) no match" in ref[1]
    btdiff.assert_same(ref, ours)


def _chmod(name, mode, owner=None):
    def setup(dd):
        p = os.path.join(dd, name)
        if owner is not None:
            os.chown(p, *owner)
        os.chmod(p, mode)
    return setup


@pytest.mark.parametrize("mode,owner", [
    (0o000, None), (0o200, None), (0o040, None), (0o004, None), (0o400, None),
    (0o640, None), (0o604, (1000, 1000)), (0o640, (1000, 0)), (0o604, (1000, 0)),
    (0o600, (1000, 1000))])
def test_permissions_as_reference(d, mode, owner):
    """Readable by the permission bits that apply (owner/group/other), even for root."""
    cf = btdiff.HEADER + "Kp hash @DIR@/p\nKpo hash -o @DIR@/p\n"
    inp = "/map p foo\n/map po foo\n"
    maps = [("p", "hash", [], SOURCE)]
    ref, ours = btdiff.compare(d, cf, inp, maps, setup=_chmod("p.db", mode, owner))
    btdiff.assert_same(ref, ours)


def _write(name, data):
    def setup(dd):
        p = os.path.join(dd, name)
        if data is None:
            os.mkdir(p)
        else:
            with open(p, "wb") as f:
                f.write(data)
    return setup


@pytest.mark.parametrize("what,data", [
    ("garbage", bytes(random.Random(4).randrange(256) for _ in range(5000))),
    ("empty", b""), ("text", b"foo bar\n" * 100), ("directory", None)])
def test_bad_files_as_reference(d, what, data):
    """Corrupt, empty, text and directory map files: same messages and status."""
    cf = btdiff.HEADER + "Kg hash @DIR@/g\nKgo hash -o @DIR@/g\nSx\nR$*\t$: $(g $1 $: def $)\n"
    inp = "/map g foo\n/map go foo\nx foo\n"
    ref, ours = btdiff.compare(d, cf, inp, setup=_write("g.db", data))
    btdiff.assert_same(ref, ours, stderr=False)  # Berkeley DB chatters on stderr
    assert ours[2] == ""


def test_missing_files_as_reference(d):
    cf = btdiff.HEADER + ("Ka hash @DIR@/nosuch\nKb btree @DIR@/nosuch\n"
                          "Kc hash -o @DIR@/nosuch\nKd implicit @DIR@/nosuch\n"
                          "Ke hash @DIR@/nodir/x\n")
    inp = "/map a x\n/map a y\n/map b x\n/map c x\n/map d x\n/map e x\n"
    ref, ours = btdiff.compare(d, cf, inp)
    assert "missing map file" in ref[1]
    btdiff.assert_same(ref, ours)


def test_missing_files_exit_status(d):
    """A missing map is EX_OSERR (71) at exit, as in the reference."""
    cf = btdiff.HEADER + "Ka hash @DIR@/nosuch\n"
    ref, ours = btdiff.compare(d, cf, "/map a x\n")
    assert ref[0] == 71
    btdiff.assert_same(ref, ours)


def test_berkeley_db_file_is_refused(d, work):
    """A Berkeley DB file (from the reference makemap) named by a K line."""
    btdiff.run_side("ref", d, "V10\n", "", [("old", "hash", [], SOURCE)])
    db = os.path.join(d, "old.db")
    rc, out, err = btdiff.run_bt("ours", d, btdiff.HEADER + "Kold hash %s/old\n"
                                 "Kopt hash -o %s/old\n" % (d, d),
                                 "/map old foo\n/map opt foo\n")
    assert ('hash map "old": %s is a Berkeley DB hash file from the old Sendmail; '
            "rebuild it with: makemap hash %s/old < %s/old\n" % (db, d, d)) in out
    assert "map_lookup: old (foo) no match (75)" in out
    assert 'Map named "opt" not open' in out
    assert rc == 71


def test_btree_berkeley_file_names_btree(d):
    btdiff.run_side("ref", d, "V10\n", "", [("old", "btree", [], SOURCE)])
    rc, out, err = btdiff.run_bt("ours", d, btdiff.HEADER + "Kold btree %s/old\n" % d,
                                 "/map old foo\n")
    assert "Berkeley DB btree file" in out and "makemap btree %s/old" % d in out


def test_dbm_class_reads_our_map(d):
    """dbm (absent from the Debian reference build) reads NAME.db like hash."""
    rc, out, err = btdiff.run_side("ours", d, btdiff.HEADER + "Kd dbm @DIR@/m\n",
                                   "/map d foo\n", [("m", "dbm", [], SOURCE)])
    assert "map_lookup: d (foo) returns bar (0)" in out


def test_rebuilt_100_times_while_read(d):
    """One -bt process reads a map while our makemap rebuilds it 100 times.

    Every version maps every key to "vN"; each answer must be found, and
    the versions seen never go back (a torn or half-built map would show
    as "no match" or a mix)."""
    os.makedirs(d)
    keys = ["key%d" % i for i in range(300)]

    def source(n):
        return "".join("%s\tv%d\n" % (k, n) for k in keys).encode()
    mm = os.path.join(BIN, "makemap")
    empty = os.path.join(d, "empty.cf")
    open(empty, "w").close()
    subprocess.run([mm, "-C", empty, "hash", "m"], input=source(0), cwd=d, check=True)
    cf = os.path.join(d, "x.cf")
    with open(cf, "w") as f:
        f.write(btdiff.HEADER + "Km hash %s/m\n" % d)
    p = subprocess.Popen([btdiff.WRAP, "run", btdiff.OUR_SENDMAIL, "-C", cf, "-bt"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = []
    reader = threading.Thread(target=lambda: out.append(p.stdout.read()))
    reader.start()
    done = threading.Event()
    sent = [0]

    def feed():
        rnd = random.Random(1)
        while not done.is_set() or sent[0] < 2000:
            batch = "".join("/map m %s\n" % rnd.choice(keys) for _ in range(20))
            p.stdin.write(batch.encode())
            p.stdin.flush()
            sent[0] += 20
            time.sleep(0.001)
        # answers after the last rebuild
        p.stdin.write("".join("/map m %s\n" % k for k in keys[:20]).encode())
        sent[0] += 20
        p.stdin.close()
    feeder = threading.Thread(target=feed)
    feeder.start()
    for n in range(1, 101):
        subprocess.run([mm, "-C", empty, "hash", "m"], input=source(n), cwd=d, check=True)
    done.set()
    feeder.join(60)
    p.wait(60)
    reader.join(60)
    lines = [ln for ln in out[0].decode().split("\n") if "map_lookup" in ln]
    assert len(lines) == sent[0]
    last, seen = 0, set()
    for ln in lines:
        assert ln.startswith("> map_lookup: m (key") and " returns v" in ln, ln
        v = int(ln.split(" returns v")[1].split(" ")[0])
        assert v >= last, "went back from v%d to v%d" % (last, v)
        last = v
        seen.add(v)
    assert last == 100  # the last rebuild was seen
    assert len(seen) > 5  # and several in between
    assert p.returncode == 0


def test_defer_flag_in_address_test_mode(d):
    """-D maps still answer in -bt even with DeliveryMode=defer (as the reference)."""
    cf = btdiff.HEADER + ("O DeliveryMode=defer\nKh hash -D @DIR@/m\nKt hash -D -T<TMP> @DIR@/m\n"
                          "Sa\nR$*\t$: $(h $1 $: nf $)\nSb\nR$*\t$: $(t $1 $: nf $)\n")
    ref, ours = btdiff.compare(d, cf, "a foo\nb foo\n/map h foo\n", MAPS[:1])
    assert "a                returns: bar" in ref[1]
    btdiff.assert_same(ref, ours)
