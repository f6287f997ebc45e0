#!/usr/bin/python3
"""gen_smuggle: write the SMTP smuggling dialogues test/smtp/golden/smuggle_*.in.

One dialogue per (sequence, srv_features) pair.  Each sends one message
whose body holds the fake end-of-data sequence followed by a complete
second transaction; a correct server sees at most one message, with the
sequence as content.  The expected body (for !expect body=) is computed
here from the rules in sendmail/smtp/server_data.c: lines end only at
CRLF, a leading dot is removed, bare CR/LF are kept (G/U) or become a
space (g2/u2); with the defaults (g, u) a bare CR or LF drops the session.
Run it again after changing the list; then capture the .ref files with
refcapture.py -w (all but the 'O' variants, which are ours: the reference
lets 'O' end the message at LF.LF).
"""
import os

SEQS = [
    ("lf_dot_lf", b"\n.\n"), ("lf_dot_cr", b"\n.\r"), ("cr_dot_lf", b"\r.\n"),
    ("cr_dot_cr", b"\r.\r"), ("lf_dot_crlf", b"\n.\r\n"), ("cr_dot_crlf", b"\r.\r\n"),
    ("crlf_dot_lf", b"\r\n.\n"), ("crlf_nul_dot_crlf", b"\r\n\0.\r\n"),
    ("crlf_dot_crcrlf", b"\r\n.\r\r\n"), ("crcrlf_dot_crcrlf", b"\r\r\n.\r\r\n"),
]
HEAD = b"Subject: smuggle\r\n\r\nbody"
TAIL = (b"MAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@vm.example.com>\r\nDATA\r\n"
        b"Subject: smuggled\r\n\r\nevil\r\n.\r\n")
MODES = [("default", "", False), ("GU", "G U", False), ("g2u2", "g2 u2", False),
         ("OGU", "O G U", True)]


def esc(b):
    out = []
    for c in b:
        if c == 13:
            out.append("\\r")
        elif c == 10:
            out.append("\\n")
        elif c == 0:
            out.append("\\0")
        elif c == 0x5C:
            out.append("\\\\")
        elif c < 32 or c > 126:
            out.append("\\x%02x" % c)
        else:
            out.append(chr(c))
    return "".join(out)


def has_bare(b):
    for i, c in enumerate(b):
        if c == 10 and (i == 0 or b[i - 1] != 13):
            return True
        if c == 13 and (i + 1 >= len(b) or b[i + 1] != 10):
            return True
    return False


def expected_body(data, space):
    """The body the sink should store: split at CRLF, unstuff, stop at '.'."""
    if space:
        fixed = bytearray()
        for i, c in enumerate(data):
            if c == 10 and (i == 0 or data[i - 1] != 13):
                fixed += b" "
            elif c == 13 and (i + 1 >= len(data) or data[i + 1] != 10):
                fixed += b" "
            else:
                fixed.append(c)
        data = bytes(fixed)
    out = b""
    for line in data.split(b"\r\n")[:-1]:
        if line == b".":
            return out
        if line.startswith(b"."):
            line = line[1:]
        out += line + b"\r\n"
    raise ValueError("no end")


def main():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
    for name, seq in SEQS:
        data = HEAD + seq + TAIL
        for mode, letters, ours in MODES:
            lines = ["# SMTP smuggling: %s with srv_features '%s'." % (name, letters or "(defaults)")]
            if ours:
                lines.append("# Ours: the reference ends the message at the fake end with 'O';")
                lines.append("# we keep CRLF.CRLF as the only end (see server_data.c).")
                lines.append("!ours")
            if letters:
                lines.append("!set features=%s" % letters)
            lines += ["EHLO client.example.org", "MAIL FROM:<alice@example.org>",
                      "RCPT TO:<bob@vm.example.com>", "DATA", "!raw " + esc(data), "QUIT"]
            if mode == "default" and has_bare(seq):
                lines.append("!expect messages=0")
            else:
                lines.append("!expect messages=1")
                lines.append("!expect body=" + esc(expected_body(data, mode == "g2u2")))
            with open(os.path.join(here, "smuggle_%s_%s.in" % (name, mode)), "w") as f:
                f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
