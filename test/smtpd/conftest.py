"""Fixtures for the SMTP daemon tests: a private instance on a free port.

An Instance is a temporary directory with a sendmail.cf generated from
cf/cf/localhost.mc by our m4 tree (extra m4 lines can be inserted before
the MAILER lines, extra O lines appended), aliases, a hosts file (used
through the service switch for the host map, and, when the tests run as
root, bind-mounted over /etc/hosts in the daemon's own mount namespace so
the client names 127.0.0.x resolve as listed: the daemon, like
Sendmail, asks the C library who the client is), a queue, and a spool that our
mail.local delivers into (-p).  start() runs `sendmail -bD` and waits for
the port; stop() sends SIGTERM and waits.  Everything runs as the
invoking user; the mail log goes to log (SENDMAIL_LOG_FILE).
"""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest

TOP = os.environ.get("SM_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
SENDMAIL = os.path.join(TOP, "build", "bin", "sendmail")
MAIL_LOCAL = os.path.join(TOP, "build", "bin", "mail.local")
USER = pwd.getpwuid(os.getuid()).pw_name

HOSTS = """127.0.0.1 localhost
127.0.0.2 client.example.org
127.0.0.3 friend.example.net
127.0.0.4 forged.example.org
10.1.1.1 sender.example
10.1.1.2 example.com
10.1.1.3 relay.example
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Instance:
    def __init__(self, base, mc_lines="", cf_lines="", access=None, daemon_opts=""):
        self.daemon_opts = daemon_opts
        self.dir = base
        self.port = free_port()
        self.proc = None
        for d in ("etc", "mqueue", "clientmqueue", "spool"):
            os.makedirs(os.path.join(base, d), exist_ok=True)
        os.chmod(os.path.join(base, "mqueue"), 0o700)
        self.cf = os.path.join(base, "sendmail.cf")
        self.log = os.path.join(base, "log")
        self.write("etc/aliases", "postmaster: %s\nalice: %s\nMAILER-DAEMON: postmaster\n"
                   % (USER, USER))
        self.write("etc/hosts", HOSTS)
        self.write("etc/service.switch", "hosts files\naliases files\n")
        self.write("etc/statistics", "")
        shutil.copy(os.path.join(TOP, "test/smtp/golden/helpfile"),
                    os.path.join(base, "etc/helpfile"))
        self.make_cf(mc_lines.replace("{dir}", base), cf_lines.replace("{dir}", base))
        if access is not None:
            self.write("etc/access", access)
            subprocess.run([os.path.join(TOP, "build/bin/makemap"), "-C", self.cf, "hash",
                            os.path.join(base, "etc/access")], input=access.encode(),
                           check=True)
        subprocess.run([SENDMAIL, "-C", self.cf, "-bi"], capture_output=True)

    def write(self, rel, text):
        with open(os.path.join(self.dir, rel), "w") as f:
            f.write(text)

    def make_cf(self, mc_lines="", cf_lines=""):
        with open(os.path.join(TOP, "cf/cf/localhost.mc")) as f:
            mc = f.read()
        mc = mc.replace("MAILER(`local')", mc_lines + "MAILER(`local')", 1)
        mcpath = os.path.join(self.dir, "test.mc")
        with open(mcpath, "w") as f:
            f.write(mc)
        out = subprocess.run(
            ["m4", "-D_CF_DIR_=" + os.path.join(TOP, "cf") + "/", "-DINSTANCE_DIR=" + self.dir,
             "-DINSTANCE_PORT=%d" % self.port, "-DINSTANCE_USER=" + USER,
             "-DMAIL_LOCAL=" + MAIL_LOCAL,
             "-DMAIL_LOCAL_ARGS=mail.local -l -p " + os.path.join(self.dir, "spool"), mcpath],
            cwd=os.path.join(TOP, "cf/cf"), capture_output=True, check=True)
        extra = ("O ServiceSwitchFile=%s/etc/service.switch\nO HostsFile=%s/etc/hosts\n"
                 % (self.dir, self.dir)) + cf_lines
        text = out.stdout
        if self.daemon_opts:
            text = text.replace(b"Name=MTA\n", b"Name=MTA, " + self.daemon_opts.encode() + b"\n")
        with open(self.cf, "wb") as f:
            f.write(text + extra.encode())

    def start(self, *args, env_extra=None):
        # QueueLA/RefuseLA would follow the busy test machine's real load
        # (200 sessions raise it): the daemon sees 0 unless a test says
        env = dict(os.environ, SENDMAIL_LOG_FILE=self.log, SM_TEST_LOADAVG="0")
        env.update(env_extra or {})
        argv = [SENDMAIL, "-C", self.cf, "-bD"] + list(args)
        if os.getuid() == 0 and shutil.which("unshare"):
            # the client's name comes from the C library, as Sendmail's: give
            # the daemon our hosts file as /etc/hosts in a mount namespace
            argv = ["unshare", "--mount", "sh", "-c",
                    'mount --bind "$0" /etc/hosts && exec "$@"',
                    os.path.join(self.dir, "etc/hosts")] + argv
        self.proc = subprocess.Popen(argv, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                # that probe was a connection: let its child finish
                time.sleep(0.1)
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("daemon died: %s" % self.proc.stderr.read().decode())
                time.sleep(0.05)
        raise RuntimeError("daemon did not listen")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def connect(self, source="127.0.0.1", timeout=10):
        s = socket.socket()
        s.settimeout(timeout)
        s.bind((source, 0))
        s.connect(("127.0.0.1", self.port))
        return s

    def mailbox(self, user=USER):
        p = os.path.join(self.dir, "spool", user)
        if not os.path.exists(p):
            return ""
        with open(p, errors="replace") as f:
            return f.read()

    def wait_mailbox(self, pred, timeout=15, user=USER):
        deadline = time.time() + timeout
        while time.time() < deadline:
            box = self.mailbox(user)
            if pred(box):
                return box
            time.sleep(0.1)
        return self.mailbox(user)

    def queue_files(self, prefix="qf"):
        return sorted(f for f in os.listdir(os.path.join(self.dir, "mqueue"))
                      if f.startswith(prefix))

    def logtext(self):
        if not os.path.exists(self.log):
            return ""
        with open(self.log, errors="replace") as f:
            return f.read()


class Client:
    """A line-oriented SMTP client over a raw socket (exact bytes, replies as text)."""

    def __init__(self, sock):
        self.s = sock
        self.buf = b""

    def reply(self):
        """One complete (possibly multi-line) reply, as a list of lines."""
        lines = []
        while True:
            while b"\r\n" not in self.buf:
                chunk = self.s.recv(65536)
                if not chunk:
                    return lines
                self.buf += chunk
            line, self.buf = self.buf.split(b"\r\n", 1)
            lines.append(line.decode("latin-1"))
            if len(line) < 4 or line[3:4] != b"-":
                return lines

    def code(self):
        r = self.reply()
        return int(r[-1][:3]) if r else 0

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.s.sendall(data)

    def cmd(self, line):
        self.send(line + "\r\n")
        return self.reply()

    def close(self):
        self.s.close()


@pytest.fixture
def inst_factory():
    made = []
    base = tempfile.mkdtemp(prefix="smtpd.", dir="/tmp")

    def make(**kw):
        i = Instance(os.path.join(base, "i%d" % len(made)), **kw)
        made.append(i)
        return i

    yield make
    for i in made:
        i.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def inst(inst_factory):
    return inst_factory().start()
