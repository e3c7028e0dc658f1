"""A parse-ahead worker process (see malbas.etl.load.ahead): reads requests (path, source name, hints) pickled on
its stdin and answers each, in order, with the file's parse pickled on its stdout, until its stdin ends.

Ctrl-C at a terminal reaches the whole process group: the loading process stops its workers itself, so a worker
ignores it. A worker also dies with the loading process, even when that is killed (Linux), and leaves when its
stdin closes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys

from malbas.etl.load.ahead import parse_file


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # whatever else is printed goes to stderr, not the answers
    while True:
        try:
            path, kalla, hints = pickle.load(requests)  # noqa: S301 - the loading process's own requests
        except EOFError:
            return
        pickle.dump(parse_file(path, kalla, hints), answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()


if __name__ == "__main__":
    main()
