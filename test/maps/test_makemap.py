"""makemap: differential tests against Sendmail 8.17's makemap, and the
robustness tests (overlong lines, disk full, torn reads, old Berkeley DB
files).  See conftest.py for how the two sides are run."""
import os
import resource
import signal
import subprocess
import threading

import pytest

from maptools import dump, side_dir


def build(side, work, data, flags=(), mtype="hash", mapname="m"):
    d = side_dir(work, side.name)
    r = side.run("makemap", ["-C", os.path.join(work, "empty.cf")] + list(flags) +
                 [mtype, mapname], stdin=data, cwd=d)
    return r, d


def same_build(ours, ref, work, data, flags=(), mtype="hash"):
    """Build on both sides; stdout, stderr, exit code and dump must agree."""
    o, od = build(ours, work, data, flags, mtype)
    r, rd = build(ref, work, data, flags, mtype)
    assert o.stderr.decode() == r.stderr.decode()
    assert o.stdout == r.stdout
    assert o.returncode == r.returncode
    if r.returncode in (0, 65):
        assert dump(ours, od, mtype=mtype) == dump(ref, rd, mtype=mtype)
    return o


CASES = {
    "basic": (b"Foo bar\nfoo baz\n#c\n\nBaz   qux  quux\n", ()),
    "tabs_cr": (b"a\tb\tc\r\nk\t \tv w \n", ()),
    "leading_space": (b" lead x\nk v\n\tx y\n", ()),
    "no_rhs": (b"key\nkey2   \nk v\n", ()),
    "no_rhs_e": (b"key\nkey2   \nk v\n", ("-e",)),
    "no_continuation": (b"a b\\\n c\nd e\n", ()),
    "delim": (b"a:b c\nb::c d\n:empty key\nA:B\n", ("-t", ":")),
    "delim_space_ok": (b" lead:x\n", ("-t", ":")),
    "comment_char": (b"#x y\n;c d\nk v\n", ("-D", ";")),
    "dups": (b"a 1\nA 2\na 3\nb 4\n", ()),
    "dups_r": (b"a 1\nA 2\na 3\nb 4\n", ("-r",)),
    "nul": (b"Ab cd\ne f g\n", ("-N",)),
    "nofold": (b"Ab cd\nab ef\nAB gh\n", ("-f",)),
    "fold_ascii_only": ("ÄB c\nÉé d\n".encode(), ()),
    "percent": (b"%%a %1b%%\nk %0\n", ()),
    "verbose": (b"a b\nc d e\n", ("-v",)),
    "no_final_newline": (b"a b\nc d", ()),
    "len_1022": (b"k " + b"v" * 1020 + b"\nz y\n", ()),
    "len_1023": (b"k " + b"v" * 1021 + b"\nz y\n", ()),
    "empty_input": (b"", ()),
    "only_comments": (b"# a\n#b c\n\n", ()),
    "btree_dups_r": (b"x 1\ny 2\nx 3\n", ("-r",)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_as_reference(ours, ref, work, name):
    data, flags = CASES[name]
    mtype = "btree" if name.startswith("btree") else "hash"
    same_build(ours, ref, work, data, flags, mtype)


def test_implicit_and_db_suffix(ours, ref, work):
    for side in (ours, ref):
        d = side_dir(work, side.name)
        for mtype, name in (("implicit", "imp"), ("hash", "sfx.db"), ("hash", "t.txt")):
            r = side.run("makemap", ["-C", "../empty.cf", mtype, name], stdin=b"a b\n", cwd=d)
            assert r.returncode == 0
    assert sorted(os.listdir(side_dir(work, "ours"))) == sorted(os.listdir(side_dir(work, "ref")))


def test_append(ours, ref, work):
    same_build(ours, ref, work, b"a 1\nb 2\n")
    same_build(ours, ref, work, b"c 3\na 9\n", ("-o",))
    same_build(ours, ref, work, b"c 4\nd 5\n", ("-o", "-r"))


@pytest.mark.parametrize("args", [
    [],
    ["hash"],
    ["-q", "hash", "m"],
    ["foo", "m"],
    ["cdb", "m"],
    ["-o", "hash", "missing"],
    ["-u", "hash", "missing"],
    ["-u", "hash", "/nonexistent/dir/m"],
    ["hash", "/nonexistent/dir/m"],
    ["cf", "m"],
    ["-t", "", "hash", "m"],
])
def test_errors_same_as_reference(ours, ref, work, args):
    res = []
    for side in (ours, ref):
        d = side_dir(work, side.name)
        r = side.run("makemap", ["-C", "../empty.cf"] + args, stdin=b"a b\n", cwd=d)
        res.append((r.returncode, r.stdout, r.stderr.replace(side.path("makemap").encode(),
                                                             b"makemap")))
    assert res[0] == res[1]


def test_missing_cf_as_root(ours, ref, work):
    res = []
    for side in (ours, ref):
        r = side.run("makemap", ["-C", os.path.join(work, "nope.cf"), "hash", "m"],
                     stdin=b"a b\n", cwd=side_dir(work, side.name))
        res.append((r.returncode, r.stderr))
    assert res[0] == res[1]
    if os.geteuid() == 0:
        assert res[0][0] == 66


def test_cf_type_from_k_line(ours, ref, work):
    cf = os.path.join(work, "k.cf")
    with open(cf, "w") as f:
        f.write("Kmymap btree -o %s/ours/mymap\nKother hash /x/other\n" % work)
    for side in (ours, ref):
        d = side_dir(work, side.name)
        r = side.run("makemap", ["-C", cf, "CF", "mymap"], stdin=b"a b\n", cwd=d)
        assert r.returncode == 0, r.stderr
        r = side.run("makemap", ["-C", cf, "-v", "-i", "hash", "cf", "nomap"], stdin=b"a b\n",
                     cwd=d)
        assert r.returncode == 0
        assert b"not found in" in r.stderr
    assert dump(ours, side_dir(work, "ours"), "mymap", "btree") == [b"", b"a\tb"]


def test_symlink_refused(ours, ref, work):
    res = []
    for side in (ours, ref):
        d = side_dir(work, side.name)
        side.run("makemap", ["-C", "../empty.cf", "hash", "t"], stdin=b"a b\n", cwd=d)
        os.symlink("t.db", os.path.join(d, "l.db"))
        r1 = side.run("makemap", ["-C", "../empty.cf", "hash", "l"], stdin=b"c d\n", cwd=d)
        r2 = side.run("makemap", ["-C", "../empty.cf", "-s", "hash", "l"], stdin=b"c d\n", cwd=d)
        res.append((r1.returncode, r1.stderr, r2.returncode, os.path.islink(
            os.path.join(d, "l.db"))))
        assert dump(side, d, "t") == [b"", b"c\td"]
    assert res[0] == res[1]


def test_list_types(ours):
    r = ours.run("makemap", ["-l"])
    assert r.returncode == 0
    assert r.stdout.split() == [b"hash", b"btree", b"dbm", b"implicit"]
    assert ours.run("makemap", ["-L"]).stdout.split()[:2] == [b"cf", b"CF"]


def test_dup_d_keeps_first(ours, work):
    r, d = build(ours, work, b"a 1\na 2\nb 3\n", ("-d",))
    assert r.returncode == 0 and r.stderr == b""
    assert dump(ours, d) == [b"", b"a\t1", b"b\t3"]


def test_dump_delimiter(ours, ref, work):
    out = []
    for side in (ours, ref):
        r, d = build(side, work, b"a b c\n")
        r = side.run("makemap", ["-C", "../empty.cf", "-u", "-t", ":", "hash", "m"], cwd=d)
        out.append(r.stdout)
    assert out[0] == out[1] == b"a:b c\n"


def test_overlong_100k(ours, ref, work):
    data = b"big " + b"v" * 100000 + b"\nk v\n" + b"K" * 100000 + b" x\nafter y\n"
    o, od = build(ours, work, data)
    r, rd = build(ref, work, data)
    assert o.returncode == r.returncode == 65
    msg = b"makemap: m: line 1: line too long (1024 bytes max)\n"
    assert o.stderr.startswith(msg) and r.stderr.startswith(msg)
    # ours: one message per overlong line, nothing of it stored
    assert o.stderr == msg + b"makemap: m: line 3: line too long (1024 bytes max)\n"
    assert dump(ours, od) == [b"", b"after\ty", b"k\tv"]


def test_berkeley_db_refused(ours, ref, work):
    d = side_dir(work, "ref")
    for mtype in ("hash", "btree"):
        r = ref.run("makemap", ["-C", "../empty.cf", mtype, "old" + mtype], stdin=b"a b\n", cwd=d)
        assert r.returncode == 0
        path = os.path.join(d, "old" + mtype)
        hint = ("makemap %s %s < %s" % (mtype, path, path)).encode()
        r = ours.run("makemap", ["-C", "../empty.cf", "-u", "hash", path], cwd=d)
        assert r.returncode == 73
        assert path.encode() + b".db is a Berkeley DB" in r.stderr
        assert hint in r.stderr
        r = ours.run("makemap", ["-C", "../empty.cf", "-o", "hash", path], stdin=b"c d\n", cwd=d)
        assert r.returncode == 73 and hint in r.stderr
        r = ours.run("editmap", ["-C", "../empty.cf", "-q", "hash", path, "a"], cwd=d)
        assert r.returncode == 73 and hint in r.stderr
        # rebuilding (without -o) replaces it with our format
        r = ours.run("makemap", ["-C", "../empty.cf", mtype, path], stdin=b"c d\n", cwd=d)
        assert r.returncode == 0
        assert ours.run("editmap", ["-C", "../empty.cf", "-q", mtype, path, "c"],
                        cwd=d).stdout == b"d\n"


def _limit_fsize(limit):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


def test_disk_full_keeps_old_map(ours, work):
    d = side_dir(work, "ours")
    old = b"".join(b"key%d value%d\n" % (i, i) for i in range(2000))
    r = ours.run("makemap", ["-C", "../empty.cf", "hash", "m"], stdin=old, cwd=d)
    assert r.returncode == 0
    before = dump(ours, d)
    big = b"".join(b"k%d %s\n" % (i, b"x" * 900) for i in range(5000))
    r = ours.run("makemap", ["-C", "../empty.cf", "hash", "m"], stdin=big, cwd=d,
                 preexec_fn=_limit_fsize(256 * 1024))
    assert r.returncode == 74
    assert b"makemap: m: " in r.stderr and b"old map is unchanged" in r.stderr
    assert dump(ours, d) == before
    assert sorted(os.listdir(d)) == ["m.db"]  # no temporary file left
    # editmap under the same limit, on a map already past it
    r = ours.run("editmap", ["-C", "../empty.cf", "-u", "hash", "m", "new", "v"], cwd=d,
                 preexec_fn=_limit_fsize(16 * 1024))
    assert r.returncode != 0
    assert dump(ours, d) == before
    assert sorted(os.listdir(d)) == ["m.db"]


def test_no_torn_reads(ours, tool, work):
    d = side_dir(work, "ours")
    n = 3000
    versions = [b"".join(b"k%d %s%d\n" % (i, tag * 40, i) for i in range(n)) for tag in (b"A",
                                                                                      b"B")]
    r = ours.run("makemap", ["-C", "../empty.cf", "hash", "m"], stdin=versions[0], cwd=d)
    assert r.returncode == 0
    path = os.path.join(d, "m.db")
    reader = subprocess.Popen([tool("tool_lookup"), "-l", "200000", path, "k%d" % (n - 1)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    failures = []

    def rebuild():
        for i in range(100):
            r = ours.run("makemap", ["-C", "../empty.cf", "hash", "m"],
                         stdin=versions[i % 2], cwd=d)
            if r.returncode != 0:
                failures.append(r.stderr)

    t = threading.Thread(target=rebuild)
    t.start()
    t.join()
    reader.terminate()
    out, err = reader.communicate()
    assert not failures
    assert err == b"", err[:500]
    seen = set(out.split())
    assert seen <= {b"A" * 40 + b"%d" % (n - 1), b"B" * 40 + b"%d" % (n - 1)}
    assert seen


@pytest.mark.skipif(os.geteuid() != 0, reason="TrustedUser applies to root only")
def test_trusted_user_owns_map(ours, ref, work):
    cf = os.path.join(work, "tu.cf")
    with open(cf, "w") as f:
        f.write("O TrustedUser=65534\n")
    bad = os.path.join(work, "tu2.cf")
    with open(bad, "w") as f:
        f.write("O TrustedUser=nosuchuserx\n")
    res = []
    for side in (ours, ref):
        d = side_dir(work, side.name)
        r = side.run("makemap", ["-C", cf, "hash", "m"], stdin=b"a b\n", cwd=d)
        st = os.stat(os.path.join(d, "m.db"))
        e = side.run("editmap", ["-C", cf, "-u", "hash", "e", "k", "v"], cwd=d)
        st2 = os.stat(os.path.join(d, "e.db"))
        u = side.run("makemap", ["-C", bad, "hash", "n"], stdin=b"a b\n", cwd=d)
        res.append((r.returncode, st.st_uid, oct(st.st_mode), e.returncode, st2.st_uid,
                    u.returncode, u.stderr))
    assert res[0] == res[1]
    assert res[0][1] == 65534
