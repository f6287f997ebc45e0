"""Differential test: our `sendmail -bt` must match Sendmail 8.17 byte for byte.

Runs every corpus file in test/compat/corpus through the reference and
through build/bin/sendmail (or $OURS_SENDMAIL) against every .cf generated
from test/compat/mc, and requires >= 99% of the comparison units (one per
input line, plus stderr and exit status per run) to be identical. Details of
every difference go to build/compat-report.txt. See test/compat/README.
"""

import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import btcompat  # noqa: E402

PASS_RATE = 99.0


@pytest.fixture(scope="module")
def ours():
    path = btcompat.default_ours()
    if not os.access(path, os.X_OK):
        pytest.skip("%s does not exist yet (build it with ./Build, or set "
                    "OURS_SENDMAIL)" % path)
    return path


@pytest.fixture(scope="module")
def reference():
    try:
        return btcompat.ref_root()
    except (OSError, subprocess.CalledProcessError) as e:
        pytest.skip("reference Sendmail unavailable: %s" % e)


def test_split_output_frames_prompts():
    out = (btcompat.BANNER + b"> > a > b\nc\n> x> " +
           b"> ")
    banner, chunks = btcompat.split_output(out)
    assert banner == btcompat.BANNER
    assert chunks == [b"", b"a > b\nc\n", b"x> > "]


def test_input_reads_split_long_lines():
    reads = [r for _, r in btcompat.input_reads(
        [b"a" * 2046, b"b" * 2047, b"c" * 2048])]
    assert reads == [b"a" * 2046, b"b" * 2047, b"",
                     b"c" * 2047, b"c"]


def test_compare_pair_counts_differences():
    ref = (0, btcompat.BANNER + b"> one\n> two\n> ", b"")
    ours = (0, btcompat.BANNER + b"> one\n> TWO\n> ", b"")
    res = btcompat.compare_pair("f.txt", "cf", [b"l1", b"l2"], ref, ours,
                                set())
    assert (res.units, res.same) == (6, 5)
    assert res.diffs[0][1] == b"l2"


def test_bt_matches_reference(ours, reference):
    s = btcompat.run_all(ours)
    sys.stdout.write(btcompat.summary_text(s))
    print("report: %s" % btcompat.DEFAULT_REPORT)
    assert not s["framing"], s["framing"]
    assert s["units"] >= 1500
    assert s["rate"] >= PASS_RATE, (
        "%.2f%% of -bt output units identical (need %.0f%%); see %s"
        % (s["rate"], PASS_RATE, btcompat.DEFAULT_REPORT))
