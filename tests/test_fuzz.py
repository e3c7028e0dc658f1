"""Property-based tests: any text, and mutated real reports, either parse or raise ReportError — nothing else."""

from __future__ import annotations

import signal
from contextlib import contextmanager

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from malbas.etl.errors import ReportError
from malbas.etl.parse.parser import parse_text
from malbas.etl.read.source import decode
from tests.conftest import ALL_SAMPLES

SAMPLE_LINES = [p.read_text(encoding="utf-8").split("\n") for p in ALL_SAMPLES]
# No shrinking: a failure report shows the generated input as is, and CI time stays bounded.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]
FUZZ = settings(max_examples=40, deadline=None, phases=PHASES, suppress_health_check=HEALTH)


@contextmanager
def time_limit(seconds: int):
    """A hang is a failure: the real samples parse in well under a second."""

    def on_alarm(signum, frame):  # noqa: ARG001
        raise TimeoutError(f"parser ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def parses_or_refuses(text: str) -> None:
    with time_limit(5):
        try:
            rapport = parse_text(text)
        except ReportError as exc:
            assert str(exc) and "\n" not in str(exc)
            return
    assert rapport.mal  # a parse that succeeds has found goals


@FUZZ
@given(st.text())
def test_arbitrary_text(text):
    parses_or_refuses(text)


@FUZZ
@given(st.binary())
def test_arbitrary_bytes_decode_or_refuse(data):
    try:
        text = decode(data)
    except ReportError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(text, str) and "\x00" not in text and text.strip()


@st.composite
def mutated_report(draw) -> str:
    lines = list(draw(st.sampled_from(SAMPLE_LINES)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["drop", "dup", "shuffle", "truncate", "space", "strip", "tabs"]))
        i = draw(st.integers(0, len(lines) - 1))
        j = min(len(lines), i + draw(st.integers(1, 200)))
        if op == "drop":
            del lines[i:j]
        elif op == "dup":
            lines[i:i] = lines[i:j]
        elif op == "shuffle":
            block = lines[i:j]
            draw(st.randoms(use_true_random=False)).shuffle(block)
            lines[i:j] = block
        elif op == "truncate":
            lines = lines[:i]
        elif op == "space":
            lines[i:j] = ["  " + line.replace(" ", "   ") for line in lines[i:j]]
        elif op == "strip":
            lines[i:j] = [line.strip() for line in lines[i:j]]
        else:
            lines[i:j] = [line.replace("\t", " ").replace(" ", "\t", 2) for line in lines[i:j]]
        if not lines:
            break
    return "\n".join(lines)


@settings(max_examples=100, deadline=None, phases=PHASES, suppress_health_check=HEALTH)
@given(mutated_report())
def test_mutated_reports(text):
    parses_or_refuses(text)
