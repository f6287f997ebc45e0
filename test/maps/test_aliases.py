"""Aliases: our alias builder (sendmail/alias, run through the tool_alias
helper until sendmail -bi is wired) against the reference's sendmail -bi,
and our praliases against the reference's praliases, each on its own
side's database."""
import os
import subprocess

import pytest

from maptools import refsendmail_run, side_dir

CF = """V10/Berkeley
O DontBlameSendmail=TrustStickyBit
O AliasFile={files}
O QueueDirectory={q}
Djvm.example.com
Mlocal, P=/bin/true, F=lsDFMAw5:/|@qPn9S, S=0, R=0, A=true
Mprog, P=/bin/sh, F=lsDFMoqeu9, S=0, R=0, A=sh -c $u
S0
R$+\t$#local $: $1
"""

BIG = """# comment
Postmaster: root
MAILER-DAEMON:\tpostmaster
list: a, b,
\tc, "|/bin/prog arg",
  /tmp/file
owner-list: admin
list-request: admin
"Quoted Name": x
dup: one
dup: two
bad line here
inc: :include:/etc/mail/inc
cont: x\\
y
Upper: \\\\root
empty:
 leading: z
  #indented comment
trail: a   \n startspace: x
 second: y

foo   bar: x
user@vm.example.com: y
empty2:    \na.b: c
"q\\"x": y
Mixed: A, B
pa(comment)ren: q
Dup: 2
DUP: 3
#c
\tindented after comment
ok: fine\r
"a:b": y
x: y\\
\tz
w: \\
  v
last: final
noeol: x"""

FILES = {
    "big": BIG,
    "empty": "",
    "comments": "# only\n\n# comments\n",
    "leading_space": " first: x\n second: y\n\n third: z\nok: v\n",
    "dups": "a: 1\nA: 2\nb: 3\n",
    "missing_value": "x:\ny:   \nz: ok\n",
    "long": "big: " + "x" * 9000 + "\n\tmore\nafter: y\nbig2: " + "y" * 5000 + "\n\t" +
            "z" * 5000 + "\nafter2: y\n",
    "exactly_fits": "k: " + "v" * 8187 + "\nnext: x\n",
    "just_too_long": "k: " + "v" * 8188 + "\nnext: x\n",
    "crlf_and_tabs": "a:\tb\r\nc: d,\r\n\te\r\n",
}


def ref_newaliases(work, d, files):
    os.makedirs(os.path.join(d, "q"), exist_ok=True)
    cf = os.path.join(d, "al.cf")
    with open(cf, "w") as f:
        f.write(CF.format(files=",".join(os.path.join(d, x) for x in files),
                          q=os.path.join(d, "q")))
    return refsendmail_run(["-C", cf, "-bi"])


def write(d, name, text):
    with open(os.path.join(d, name), "w", newline="") as f:
        f.write(text)


def norm(data, d):
    # The reference's praliases warns about a world-writable /tmp above a
    # checkout that lives there (ours does not check parents: a known
    # difference); that line says nothing about the map.
    data = b"".join(l for l in data.splitlines(True)
                    if not l.startswith(b"WARNING: World writable directory"))
    return data.replace(d.encode() + b"/", b"DIR/")


@pytest.mark.parametrize("name", sorted(FILES))
def test_build_same_as_reference(ours, ref, tool, work, name):
    od, rd = side_dir(work, "ours"), side_dir(work, "ref")
    for d in (od, rd):
        write(d, "aliases", FILES[name])
    r = ref_newaliases(work, rd, ["aliases"])
    o = ours_newaliases(tool, od, ["aliases"])
    assert b" aliases, longest " in r.stdout  # the reference really ran
    assert norm(o.stdout, od) == norm(r.stdout + r.stderr, rd)
    assert o.returncode == r.returncode
    po = ours.run("praliases", ["-f", os.path.join(od, "aliases")])
    pr = ref.run("praliases", ["-f", os.path.join(rd, "aliases")])
    assert sorted(po.stdout.split(b"\n")) == sorted(pr.stdout.split(b"\n"))
    assert po.returncode == pr.returncode == 0


def ours_newaliases(tool, d, files):
    return subprocess.run([tool("tool_alias")] + [os.path.join(d, x) for x in files],
                          capture_output=True, timeout=60)


def test_praliases_keys_and_cf(ours, ref, tool, work):
    od, rd = side_dir(work, "ours"), side_dir(work, "ref")
    for d in (od, rd):
        write(d, "a1", "Root: admin\nlist: x, y\n")
        write(d, "a2", "other: z\n")
    r = ref_newaliases(work, rd, ["a1", "a2"])
    assert r.returncode == 0, r.stdout
    o = ours_newaliases(tool, od, ["a1", "a2"])
    assert o.returncode == 0
    for side, d in ((ours, od), (ref, rd)):
        with open(os.path.join(d, "pr.cf"), "w") as f:
            f.write("O AliasFile=%s/a1, nis:mail.aliases,hash:-N %s/a2, %s/missing\n" % (d, d, d))
    res = []
    for side, d in ((ours, od), (ref, rd)):
        a = side.run("praliases", ["-f", os.path.join(d, "a1"), "root", "ROOT", "nosuch", "@"])
        b = side.run("praliases", ["-C", os.path.join(d, "pr.cf")])
        c = side.run("praliases", ["-C", os.path.join(d, "pr.cf"), "other", "list"])
        e = side.run("praliases", ["-C", os.path.join(d, "nope.cf")])
        f = side.run("praliases", ["-x"])
        res.append([(a.returncode, norm(a.stdout, d), norm(a.stderr, d)),
                    (b.returncode, sorted(norm(b.stdout, d).split(b"\n")), norm(b.stderr, d)),
                    (c.returncode, norm(c.stdout, d), norm(c.stderr, d)),
                    (e.returncode, norm(e.stderr, d)),
                    (f.returncode, f.stderr.split(b"\n")[-2])])
    assert res[0] == res[1]


def test_missing_and_unreadable_files(tool, work):
    d = side_dir(work, "ours")
    o = ours_newaliases(tool, d, ["nope"])
    assert o.returncode == 66
    assert o.stdout == ("newaliases: cannot open %s/nope: No such file or directory\n" % d).encode()
    os.mkdir(os.path.join(d, "adir"))  # opens, but cannot be read
    o = ours_newaliases(tool, d, ["adir"])
    assert o.returncode == 74
    assert b"read error" in o.stdout
    assert not os.path.exists(os.path.join(d, "adir.db"))


def test_rebuild_keeps_readers_safe(ours, tool, work):
    """The database is replaced, never rewritten: old readers keep the old file."""
    d = side_dir(work, "ours")
    write(d, "aliases", "a: 1\n")
    assert ours_newaliases(tool, d, ["aliases"]).returncode == 0
    ino = os.stat(os.path.join(d, "aliases.db")).st_ino
    write(d, "aliases", "a: 2\n")
    assert ours_newaliases(tool, d, ["aliases"]).returncode == 0
    assert os.stat(os.path.join(d, "aliases.db")).st_ino != ino
    r = ours.run("praliases", ["-f", os.path.join(d, "aliases"), "a"])
    assert r.stdout == b"a:2\n"


def test_berkeley_aliases_refused(ours, ref, work):
    rd = side_dir(work, "ref")
    write(rd, "aliases", "a: b\n")
    assert ref_newaliases(work, rd, ["aliases"]).returncode == 0
    r = ours.run("praliases", ["-f", os.path.join(rd, "aliases")])
    assert r.returncode == 0
    assert b"aliases.db is a Berkeley DB file" in r.stderr
    assert b"rebuild it with: newaliases" in r.stderr


def test_append_flag_same_as_reference(ours, ref, tool, work):
    od, rd = side_dir(work, "ours"), side_dir(work, "ref")
    text = "a: 1\nA: 2\nb: x\na: 3\n"
    for d in (od, rd):
        write(d, "aliases", text)
    os.makedirs(os.path.join(rd, "q"), exist_ok=True)
    cf = os.path.join(rd, "al.cf")
    with open(cf, "w") as f:
        f.write(CF.format(files="hash:-A " + os.path.join(rd, "aliases"),
                          q=os.path.join(rd, "q")))
    r = refsendmail_run(["-C", cf, "-bi"])
    o = subprocess.run([tool("tool_alias"), "hash:-A " + os.path.join(od, "aliases")],
                       capture_output=True, timeout=60)
    assert norm(o.stdout, od) == norm(r.stdout + r.stderr, rd)
    assert o.returncode == r.returncode
    po = ours.run("praliases", ["-f", os.path.join(od, "aliases"), "a"])
    pr = ref.run("praliases", ["-f", os.path.join(rd, "aliases"), "a"])
    assert po.stdout == pr.stdout == b"a:3,2,1\n"
