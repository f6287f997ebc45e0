"""smrsh: allowed and refused commands, ours against the reference.

The differential tests run both smrsh binaries in a mount namespace where
/etc/mail/smrsh is a temp directory holding a test program, a symlink to
/bin/cat and a subdirectory.  Once with the real /bin/sh (what the command
does), once with /bin/sh replaced by a script that prints its argv and
environment (exactly which command smrsh hands to the shell).
"""
import os
import subprocess

import pytest

from ldtools import needs_ns, ours, ref, run_bound

SHOWARGS = """#!/bin/sh
echo "argv0=$0"
for a in "$@"; do echo "arg=[$a]"; done
"""

FAKE_SH = """#!/bin/bash
printf 'SH argc=%d' $#
for a in "$0" "$@"; do printf ' [%s]' "$a"; done
echo
env | grep -v -e '^PWD=' -e '^SHLVL=' -e '^_=' | sort
"""

CASES = [
    "showargs a b",
    '/usr/bin/showargs a  "b c"',
    "exec showargs x",
    "exec /x/y/showargs x",
    "exec   showargs  a",
    "exec\tshowargs",
    "exec exec showargs",
    "exec",
    "exec ",
    "exec    ",
    "showargs && exec ",
    "  showargs a||showargs  b &&   /x/showargs c",
    "cat </dev/null",
    "cat /dev/null",
    "nosuch a",
    "adir",
    "showargs/ a",
    '"showargs" a',
    "EXEC showargs",
    "/bin/echo hi",
    "echo hi",
    "echo",
    "exit",
    "exit 3",
    "exit 5 || showargs",
    "echo a && exit 4",
    "showargs a || exit 75",
    "showargs a && echo hi",
    "showargs a;b",
    "showargs `x`",
    "showargs a | cat",
    "showargs a & cat",
    "showargs $HOME",
    "showargs||showargs",
    "showargs a ||| showargs b",
    "showargs a &&& showargs",
    "showargs a | | b",
    "showargs a ||",
    "showargs &&   ",
    "   ",
    "",
    "nosuch ; x",
    "showargs a && nosuch ; x",
    "showargs a ; x && nosuch",
    "a|b&c",
    "x || y |",
    'showargs "a b" "||" c',
    "showargs x^y",
    "showargs x<y",
    "showargs x>y",
    "showargs (x)",
    "showargs x\ry",
    "showargs x\ny",
    "showargs x\ty",
    "showargs x\x01\x7f\xc3\xa9y",
    "showargs x\x80\xc3\xffy",
    "showargs x\xbby",
    "showargs x\xfc\xfcy",
    "showargs x\xfc|y",
    "showargs x|\xfcy",
    "showargs x\xa6&y",
    "showargs x!#%*+,-.:=?@[]_{}~\\y",
    "showargs " + "a" * 973,
    "showargs " + "a" * 974,
    "showargs && showargs " + "a" * 946,
    "showargs && showargs " + "a" * 947,
]

ARGVS = [["-c", c] for c in CASES] + [[], ["-c"], ["-x", "foo"], ["-c", "showargs", "extra"]]


@pytest.fixture(scope="module")
def progdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("smrsh")
    p = d / "showargs"
    p.write_text(SHOWARGS)
    p.chmod(0o755)
    os.symlink("/bin/cat", str(d / "cat"))
    (d / "adir").mkdir()
    fake = tmp_path_factory.mktemp("fakesh") / "sh"
    fake.write_text(FAKE_SH)
    fake.chmod(0o755)
    return str(d), str(fake)


def _run(binary, argv, progdir, fake_sh=None):
    binds = [(progdir, "/etc/mail/smrsh")]
    if fake_sh:
        binds.append((fake_sh, "/bin/sh"))
    env = {"HOME": "/nonexistent", "FOO": "bar", "PATH": "/usr/bin:/bin"}
    r = run_bound(binds, [binary] + [a.encode("latin-1") if isinstance(a, str) else a
                                     for a in argv], env=env)
    err = r.stderr.replace(binary.encode(), b"SMRSH")
    return r.stdout, err, r.returncode


@needs_ns
@pytest.mark.parametrize("fake", [False, True], ids=["realsh", "fakesh"])
def test_same_as_reference(progdir, fake):
    d, fake_sh = progdir
    mine, theirs = ours("smrsh"), ref("smrsh")
    diffs = []
    for argv in ARGVS:
        a = _run(mine, argv, d, fake_sh if fake else None)
        b = _run(theirs, argv, d, fake_sh if fake else None)
        if a != b:
            diffs.append((argv, a, b))
    assert diffs == [], "\n".join("%r:\n ours %r\n  ref %r" % x for x in diffs[:5])


def _ours_env(progdir, cmd):
    env = {"SMRSH_CMDDIR": progdir, "PATH": "/usr/bin:/bin", "SECRET": "x"}
    return subprocess.run([ours("smrsh"), "-c", cmd], capture_output=True, env=env,
                          timeout=30)


def test_allowed_program_runs_with_clean_environment(progdir):
    d, _ = progdir
    r = _ours_env(d, "exec /usr/local/bin/showargs 'a b' c")
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().splitlines() == [
        "argv0=%s/showargs" % d, "arg=[a b]", "arg=[c]"]
    r = _ours_env(d, "cat && echo done")
    assert r.stdout == b"done\n"
    r = _ours_env(d, "exit 75")
    assert r.returncode == 75


def test_environment_is_only_path(progdir, tmp_path):
    d, _ = progdir
    envdump = tmp_path / "envdump"
    envdump.write_text("#!/bin/sh\nenv\n")
    envdump.chmod(0o755)
    r = subprocess.run([ours("smrsh"), "-c", "envdump"], capture_output=True, timeout=30,
                       env={"SMRSH_CMDDIR": str(tmp_path), "SECRET": "x", "IFS": "x"})
    names = {l.split("=", 1)[0] for l in r.stdout.decode().splitlines()}
    assert "SECRET" not in names and "IFS" not in names and "SMRSH_CMDDIR" not in names
    assert "PATH=/usr/bin:/bin" in r.stdout.decode().splitlines()


@pytest.mark.parametrize("cmd,msg", [
    ("nosuch a", b'"nosuch" not available for sendmail programs (stat failed)'),
    ("adir", b'"adir" not available for sendmail programs (not a file)'),
    ("showargs a; rm -rf /", b"cannot use ; in command"),
    ("showargs a | sh", b"cannot use | in command"),
    ("showargs `id`", b"cannot use ` in command"),
    ("showargs $(id)", b"cannot use $ in command"),
    ("showargs > /etc/passwd", b"cannot use > in command"),
    ("exec ", b"missing command to exec"),
    ("/bin/sh -c id", b'"sh" not available for sendmail programs (stat failed)'),
    ("showargs " + "a" * 980, b"command too long: showargs aaa"),
])
def test_refused(progdir, cmd, msg):
    d, _ = progdir
    r = _ours_env(d, cmd)
    assert r.returncode == 69
    assert msg in r.stderr
    assert r.stdout == b""


def test_usage():
    for argv in ([], ["-c"], ["-x", "y"], ["-c", "a", "b"], ["-c", "  "]):
        r = subprocess.run([ours("smrsh")] + argv, capture_output=True, timeout=30)
        assert r.returncode == 64
        assert r.stderr.endswith(b" -c command\n") and r.stderr.startswith(b"Usage: ")
