"""Helpers for the local delivery tests (mail.local, smrsh, mailstats); not
named conftest.py, so that it cannot clash with other suites' helpers.

Our programs are build/bin/{mail.local,smrsh,mailstats}.  The reference
Sendmail 8.17 programs come from `test/lib/refsendmail root`.

- mail.local runs unprivileged against a spool directory in a temp dir
  (MAIL_LOCAL_SPOOL) and delivers to the invoking user.
- The reference mail.local and smrsh have their directories compiled in
  (/var/mail, /etc/mail/smrsh), so differential tests run both sides in a
  private mount namespace (unshare, root only) with a temp dir bound over
  that path; they are skipped when that is not possible.
- mailstats needs nothing special: both sides read the same files.
"""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import smtest  # noqa: E402  (test/lib: the reference's root)

TOP = smtest.TOP
BIN = os.path.join(TOP, "build", "bin")

REF_ROOT = smtest.ref_root("mailstats")
REF_BIN = os.path.join(REF_ROOT, smtest.REF_SBIN) if REF_ROOT else None


def _can_unshare():
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    r = subprocess.run(["unshare", "--mount", "--uts", "true"], capture_output=True)
    return r.returncode == 0


CAN_UNSHARE = _can_unshare()

needs_ref = pytest.mark.skipif(REF_BIN is None, reason="reference Sendmail not available")
needs_ns = pytest.mark.skipif(REF_BIN is None or not CAN_UNSHARE,
                              reason="needs root, unshare and the reference Sendmail")


def ours(name):
    path = os.path.join(BIN, name)
    if not os.access(path, os.X_OK):
        pytest.skip("%s not built" % path)
    return path


def ref(name):
    return os.path.join(REF_BIN, name)


def me():
    return pwd.getpwuid(os.getuid()).pw_name


def run_bound(binds, argv, stdin=b"", env=None, hostname=None, timeout=30, preexec_fn=None):
    """Run argv in a private mount (and UTS) namespace where each
    (source, target) in binds is bind-mounted.  A missing target (such as
    /etc/mail/smrsh) is made inside the namespace only: its nearest
    existing ancestor gets a private overlay, so the host is not touched."""
    scratch = tempfile.mkdtemp(prefix="ld-ns-")
    script = ["set -e"]
    if hostname:
        script.append("hostname %s" % hostname)
    for i, (src, dst) in enumerate(binds):
        if not os.path.exists(dst):
            anc = os.path.dirname(dst)
            while not os.path.isdir(anc):
                anc = os.path.dirname(anc)
            up, wk = os.path.join(scratch, "u%d" % i), os.path.join(scratch, "w%d" % i)
            os.makedirs(up)
            os.makedirs(wk)
            script.append("mount -t overlay overlay -o lowerdir=%s,upperdir=%s,workdir=%s %s"
                          % (anc, up, wk, anc))
            script.append('mkdir -p "%s"' % dst)
        script.append('mount --bind "%s" "%s"' % (src, dst))
    script.append('exec "$@"')
    cmd = ["unshare", "--mount", "--uts", "sh", "-c", "\n".join(script), "sh"] + list(argv)
    try:
        return subprocess.run(cmd, input=stdin, capture_output=True, env=env, timeout=timeout,
                              preexec_fn=preexec_fn)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
