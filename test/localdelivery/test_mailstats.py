"""mailstats: byte-identical output with the reference mailstats.

Statistics files are written here with Python's struct module in the
layout of Sendmail 8.17's struct statistics (x86-64: 1448 bytes), then
both programs print them with the same flags.  The current time appears
in two places (the -p/-P first line, and "Statistics from" for an empty
file); it is masked when both sides agree within a few seconds.
"""
import re
import struct
import subprocess

import pytest

from ldtools import needs_ref, ours, ref

MAXMAILERS = 25

CF = """V10/Berkeley
# a comment line
O StatusFile={stats}
Mlocal,		P=/usr/lib/sm.bin/mail.local, F=lsDFMAw5:/|@qPn9S, S=EnvFromL/HdrFromL,
		T=DNS/RFC822/X-Unix,
		A=mail.local -l
Mprog,		P=/usr/lib/sm.bin/smrsh, F=lsDFMoqeu9, A=smrsh -c $u
Msmtp,		P=[IPC], F=mDFMuX, E=\\r\\n, L=990, A=TCP $h
Mesmtp,		P=[IPC], F=mDFMuXa, A=TCP $h
Mrelay,		P=[IPC], F=mDFMuXa8, A=TCP $h
"""


def stats_bytes(itime=1700000000, conn=(0, 0, 0), rows=None, magic=0x1B1DE, version=4,
                size=1448):
    """rows: {index: (nf, bf, nt, bt, nr, nd, nq)}"""
    arrs = [[0] * MAXMAILERS for _ in range(7)]
    for i, vals in (rows or {}).items():
        for k in range(7):
            arrs[k][i] = vals[k]
    data = struct.pack("<iiqh6x", magic, version, itime, size) + struct.pack("<3q", *conn)
    for a in arrs:
        data += struct.pack("<%dq" % MAXMAILERS, *a)
    assert len(data) == 1448
    return data


def full_rows():
    return {i: (i + 1, i * 1000, i + 2, i * 3, i, i % 3, i % 2) for i in range(MAXMAILERS)}


FILES = {
    "full": lambda: stats_bytes(conn=(5, 6, 7), rows=full_rows()),
    "sparse": lambda: stats_bytes(rows={3: (1, 2, 0, 0, 0, 0, 0), 7: (0, 0, 0, 0, 1, 0, 0),
                                        9: (0, 0, 0, 0, 0, 0, 1), 11: (0, 5, 0, 0, 0, 0, 0),
                                        12: (0, 0, 0, 3, 0, 0, 0)}),
    "big": lambda: stats_bytes(conn=(123456789012, 2, 3),
                               rows={3: (12345678901, 1, 1, 1, 1, 1, 1),
                                     4: (1, 12345678901234, 1, 1, 1, 1, 12345678)}),
    "negative": lambda: stats_bytes(conn=(-1, 2, 3), rows={3: (-5, 1, 1, 1, 1, 1, 1)}),
    "zero_itime": lambda: stats_bytes(itime=0, rows={0: (1, 1, 1, 1, 1, 1, 1)}),
    "empty": lambda: b"",
    "long": lambda: stats_bytes(rows={3: (1, 2, 0, 0, 0, 0, 0)}) + b"tail",
    "short": lambda: stats_bytes()[:100],
    "tiny": lambda: stats_bytes()[:3],
    "badmagic": lambda: stats_bytes(magic=0x1B1DF),
    "badversion": lambda: stats_bytes(version=3),
    "badsize": lambda: stats_bytes(size=1000),
}

FLAGS = [[], ["-o"], ["-P"], ["-P", "-o"]]


@pytest.fixture
def work(tmp_path):
    return tmp_path


def write_cf(work, stats, text=CF):
    cf = work / "sendmail.cf"
    cf.write_text(text.format(stats=stats))
    return str(cf)


def run(binary, args, cwd):
    r = subprocess.run([binary] + args, capture_output=True, cwd=cwd, timeout=30,
                       env={"TZ": "UTC", "PATH": "/usr/bin:/bin"})
    err = r.stderr.replace(binary.encode(), b"MAILSTATS")
    return r.stdout, err, r.returncode


NOW_P = re.compile(rb"^(-?\d+) (\d+)\n")
NOW_H = re.compile(rb"^Statistics from (.*)\n")


def same_modulo_now(a, b):
    """Equal, except that the current time may differ by a few seconds."""
    if a == b:
        return True
    (oa, ea, ra), (ob, eb, rb) = a, b
    if (ea, ra) != (eb, rb):
        return False
    ma, mb = NOW_P.match(oa), NOW_P.match(ob)
    if ma and mb and all(abs(int(ma.group(i)) - int(mb.group(i))) < 5 for i in (1, 2)):
        return oa[ma.end():] == ob[mb.end():]
    ha, hb = NOW_H.match(oa), NOW_H.match(ob)
    return bool(ha and hb and oa[ha.end():] == ob[hb.end():])


def compare(work, args, prepare=None):
    """Run both sides on fresh copies of the same files; return both results
    and the statistics files' contents afterwards."""
    results = []
    for side, binary in (("ours", ours("mailstats")), ("ref", ref("mailstats"))):
        d = work / side
        d.mkdir()
        if prepare:
            prepare(d)
        results.append((run(binary, args, str(d)), {p.name: p.read_bytes() for p in d.iterdir()
                                                    if p.is_file()}))
    return results


@needs_ref
@pytest.mark.parametrize("name", sorted(FILES))
def test_files_and_flags(work, name):
    def prepare(d):
        (d / "stats").write_bytes(FILES[name]())
        write_cf(d, "stats")

    for flags in FLAGS:
        sub = work / ("f" + "".join(flags).replace("-", "_"))
        sub.mkdir()
        (a, fa), (b, fb) = compare(sub, ["-C", "sendmail.cf"] + flags, prepare)
        assert same_modulo_now(a, b), (flags, a, b)
        assert fa == fb


@needs_ref
@pytest.mark.parametrize("name", ["full", "sparse", "empty"])
def test_clear_with_p(work, name):
    def prepare(d):
        (d / "stats").write_bytes(FILES[name]())
        write_cf(d, "stats")

    (a, fa), (b, fb) = compare(work, ["-C", "sendmail.cf", "-p"], prepare)
    assert same_modulo_now(a, b), (a, b)
    assert fa == fb
    assert fa["stats"] == b""


CF_VARIANTS = {
    "short_option": "OSstats\nMlocal, P=x\n",
    "spaces_around_equals": "O StatusFile  =   stats  # comment\nMlocal, P=x\n",
    "lower_case_name": "O statusfile=stats\nMa,\nMb\tx\nM\tc,\nMa,\n",
    "two_spaces_no_option": "O  StatusFile=stats\nMlocal, P=x\n",
    "last_wins_missing": "O StatusFile=stats\nO StatusFile=nonexistent\n",
    "last_wins_present": "O StatusFile=nonexistent\nO StatusFile=stats\n",
    "empty_value": "O StatusFile=\n",
    "value_with_space": "O StatusFile=stats x\n",
    "short_with_space": "OS stats\n",
    "builtin_names_fixed": "Msmtp,\nMprog,\nM*file*,\nMlocal,\nM*include*,\nMfoo P=x\n"
                           "O StatusFile=stats\n",
    "continuation_ignored": " O StatusFile=stats\n\tMx,\nO StatusFile=stats\n",
    "25_mailers": "O StatusFile=stats\n" + "".join("Mm%d,\n" % i for i in range(22)),
    "26_mailers": "O StatusFile=stats\n" + "".join("Mm%d,\n" % i for i in range(23)),
    "25_mailers_and_a_duplicate": "O StatusFile=stats\n" + "".join(
        "Mm%d,\n" % i for i in range(22)) + "Mm1,\n",
    "no_status_file": "Mlocal, P=x\n",
}


@needs_ref
@pytest.mark.parametrize("name", sorted(CF_VARIANTS))
def test_cf_variants(work, name):
    def prepare(d):
        (d / "stats").write_bytes(FILES["full"]())
        (d / "sendmail.cf").write_text(CF_VARIANTS[name])

    (a, fa), (b, fb) = compare(work, ["-C", "sendmail.cf"], prepare)
    assert same_modulo_now(a, b), (a, b)


@needs_ref
@pytest.mark.parametrize("args", [
    ["-C", "nonexistent.cf"],
    ["-C", "sendmail.cf", "-f", "nonexistent"],
    ["-C", "sendmail.cf", "-f", ""],
    ["-C", "sendmail.cf", "-f", "adir"],
    ["-C", "sendmail.cf", "extra"],
    ["-q"],
    ["-C", "sendmail.cf", "-f", "other", "-o", "-P"],
    ["-C", "/dev/null", "-f", "other"],
])
def test_errors_and_options(work, args):
    def prepare(d):
        (d / "stats").write_bytes(FILES["full"]())
        (d / "other").write_bytes(FILES["sparse"]())
        (d / "adir").mkdir()
        write_cf(d, "stats")

    (a, fa), (b, fb) = compare(work, args, prepare)
    assert same_modulo_now(a, b), (a, b)


def test_program_readable_rows_without_reference(work):
    """Runs without the reference: rows, names and totals of -P for a
    sparse file (bytes alone neither show a row nor count in T)."""
    (work / "stats").write_bytes(FILES["sparse"]())
    cf = write_cf(work, "stats")
    out, err, rc = run(ours("mailstats"), ["-C", cf, "-P"], str(work))
    assert rc == 0, err
    lines = out.decode().splitlines()
    assert lines[1].split() == ["3", "1", "2", "0", "0", "0", "0", "0", "local"]
    assert lines[-2].split() == ["T", "1", "2", "0", "0", "1", "0", "1"]
