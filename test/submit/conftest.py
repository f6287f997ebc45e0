"""Fixtures of the submission tests: one instance per session (see
submittools.py)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import submittools  # noqa: E402


@pytest.fixture(scope="session")
def inst():
    why = submittools.reference_problem()
    if why:
        pytest.skip(why)
    i = submittools.Instance(submittools.WORK)
    i.build()
    return i
