"""smtest: what the Python suites and benchmarks share about the reference.

This file owns the one copy of:
- TOP (SM_TOP, or the tree this file is in) and REFSM, the path of
  test/lib/refsendmail, which fetches and runs the reference Sendmail 8.17;
- ref_lookup() / ref_root(): the unpacked reference's root, or why it is
  unavailable (no root, refsendmail failing or timing out, a program missing);
- ref_root_printed(): what `refsendmail root` prints, for callers that fail
  or skip on their own terms;
- ref_root_or_skip(): the root, or a pytest skip with the caller's reason;
- ref_run(): a program run by `refsendmail run` (its namespaces, host name
  vm.example.com);
- mc_head() and m4_cf(): the .mc preamble every reference-comparing suite
  starts with (host name, files under one directory, no interface probing)
  and the m4 run that turns an .mc into a .cf with a given cf tree.

test/lib is not a package: each suite's helper puts this directory on
sys.path (relative to its own __file__) and imports smtest.  Nothing here
starts the reference unless asked, and nothing here asserts: callers decide
what a missing reference means (skip, fail, or run ours only).
"""
import os
import subprocess

TOP = os.environ.get("SM_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
REFSM = os.path.join(TOP, "test", "lib", "refsendmail")
REF_SBIN = "usr/libexec/sendmail"  # the reference's programs, under its root
REF_CF = "usr/share/sendmail/cf"   # the reference's m4 tree, under its root


# (root, None) when the reference answers; (None, why) when it does not.
def ref_lookup(need="sendmail", timeout=300, as_root=False):
    """need: a program that must exist under REF_SBIN (None: no check);
    as_root: the caller runs the reference in namespaces, so needs root."""
    if as_root and os.geteuid() != 0:
        return None, "needs root"
    try:
        out = subprocess.run([REFSM, "root"], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "reference unavailable: %s" % e
    root = out.stdout.strip()
    if out.returncode != 0:
        return None, "reference unavailable"
    if need is not None and not os.path.isfile(os.path.join(root, REF_SBIN, need)):
        return None, "reference unavailable: no %s" % need
    return root, None


# The reference's root, or None when it is unavailable (see ref_lookup).
def ref_root(need="sendmail", timeout=300, as_root=False):
    return ref_lookup(need, timeout, as_root)[0]


# What `refsendmail root` prints, stripped: "" or an exception on failure.
def ref_root_printed(timeout=None, check=False):
    return subprocess.run([REFSM, "root"], capture_output=True, text=True, timeout=timeout,
                          check=check).stdout.strip()


# The reference's root for a pytest test or fixture; skips it with reason if none.
def ref_root_or_skip(reason="reference not available", need="sendmail", timeout=300,
                     as_root=False):
    root = ref_root(need, timeout, as_root)
    if root is None:
        import pytest  # only here: the benchmarks import this file without pytest
        pytest.skip(reason)
    return root


# One program (a reference program's name, or any path) under `refsendmail run`.
def ref_run(prog, args, **kw):
    return subprocess.run([REFSM, "run", prog] + list(args), **kw)


# The common .mc preamble; etc is the directory (or a format field naming it)
# holding service.switch, hosts and local-host-names.
def mc_head(etc, version=None, generic=False, first=""):
    """version: a VERSIONID; generic: DOMAIN(`generic'); first: lines that
    must come before OSTYPE (which defines defaults such as mailer paths)."""
    return ("divert(0)dnl\n" + first +
            ("VERSIONID(`%s')dnl\n" % version if version is not None else "") +
            "OSTYPE(`linux')dnl\n" +
            ("DOMAIN(`generic')dnl\n" if generic else "") +
            "define(`confDOMAIN_NAME', `vm.example.com')dnl\n"
            "define(`confSERVICE_SWITCH_FILE', `" + etc + "/service.switch')dnl\n"
            "define(`confHOSTS_FILE', `" + etc + "/hosts')dnl\n"
            "define(`confCW_FILE', `" + etc + "/local-host-names')dnl\n"
            "define(`confDONT_PROBE_INTERFACES', `True')dnl\n"
            "define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit')dnl\n")


# m4 run over mcpath with the cf tree cfdir (ours: TOP/cf; the reference's:
# root/REF_CF); the CompletedProcess, output in bytes.
def m4_cf(cfdir, mcpath, **kw):
    return subprocess.run(["m4", "-D_CF_DIR_=" + cfdir + "/", os.path.join(cfdir, "m4/cf.m4"),
                           mcpath], capture_output=True, **kw)
