"""editmap: the same command sequences against ours and Sendmail 8.17's
editmap must print the same, exit the same and leave the same map."""
import os

import pytest

from maptools import dump, side_dir

SEQUENCES = {
    "query": [["-q", "hash", "m", "a"], ["-q", "hash", "m", "A"], ["-f", "-q", "hash", "m", "A"],
              ["-q", "hash", "m", "zz"], ["-q", "hash", "m", "c"]],
    "update": [["-u", "hash", "m", "zz", "v w"], ["-q", "hash", "m", "zz"],
               ["-u", "hash", "m", "a", "new", "ignored"], ["-q", "hash", "m", "a"],
               ["-u", "hash", "m", "Mixed", "Value"], ["-f", "-u", "hash", "m", "Mixed", "V2"]],
    "delete": [["-x", "hash", "m", "a"], ["-x", "hash", "m", "a"], ["-q", "hash", "m", "a"]],
    "nul": [["-N", "-u", "hash", "m", "n", "v"], ["-q", "hash", "m", "n"],
            ["-N", "-q", "hash", "m", "n"], ["-N", "-q", "hash", "m", "a"]],
    "usage": [[], ["-q", "hash", "m"], ["-q", "-u", "hash", "m", "a", "b"],
              ["-u", "hash", "m", "a"], ["-q", "hash", "m", "a", "extra"], ["-z", "hash", "m"]],
    "errors": [["-q", "foo", "m", "a"], ["-q", "hash", "missing", "a"],
               ["-u", "hash", "created", "k", "v"], ["-q", "hash", "created", "k"],
               ["-x", "hash", "created2", "k"]],
}


@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_same_as_reference(ours, ref, work, name):
    results = []
    for side in (ours, ref):
        d = side_dir(work, side.name)
        r = side.run("makemap", ["-C", "../empty.cf", "hash", "m"], stdin=b"a b\nc d e\n", cwd=d)
        assert r.returncode == 0
        out = []
        for args in SEQUENCES[name]:
            r = side.run("editmap", ["-C", "../empty.cf"] + args, cwd=d)
            err = r.stderr.replace(side.path("editmap").encode(), b"editmap")
            out.append((args, r.returncode, r.stdout, err))
        results.append((out, dump(side, d)))
    assert results[0] == results[1]


def test_missing_cf(ours, ref, work):
    res = []
    for side in (ours, ref):
        r = side.run("editmap", ["-C", os.path.join(work, "nope.cf"), "-q", "hash", "m", "a"])
        res.append((r.returncode, r.stderr))
    assert res[0] == res[1]


def test_update_is_atomic_copy(ours, work):
    d = side_dir(work, "ours")
    ours.run("makemap", ["-C", "../empty.cf", "hash", "m"], stdin=b"a b\n", cwd=d)
    ino = os.stat(os.path.join(d, "m.db")).st_ino
    os.chmod(os.path.join(d, "m.db"), 0o604)
    r = ours.run("editmap", ["-C", "../empty.cf", "-u", "hash", "m", "k", "v"], cwd=d)
    assert r.returncode == 0
    st = os.stat(os.path.join(d, "m.db"))
    assert st.st_ino != ino          # replaced, not written in place
    assert st.st_mode & 0o777 == 0o604  # mode kept
    assert sorted(os.listdir(d)) == ["m.db"]
    assert dump(ours, d) == [b"", b"a\tb", b"k\tv"]
