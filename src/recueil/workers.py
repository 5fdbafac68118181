"""Worker processes that never outlive the command that started them, even when it is killed with
SIGKILL (which runs no clean-up): the kernel is asked to kill each worker when its parent dies; and
the forked pool that renders PDFs (publishing, the séance's documents) with them."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """A pool's initializer (`initargs=(os.getpid(),)`): on Linux, this worker gets SIGKILL when its
    parent dies; a parent already gone before that (its pid no longer ours) ends the worker now."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


# The tasks of `forked_map`, as a forked worker finds them in its copy of this module.
_FORKED: Sequence[Callable[[], bytes]] = ()


def _run_forked(index: int) -> bytes:
    return _FORKED[index]()


def forked_map(tasks: Sequence[Callable[[], bytes]], workers: int | None = None) -> Iterator[bytes]:
    """Each task's bytes, in order, as each is ready, computed on `workers` forked processes
    (default: all cores). A task is a closure over records, which a forked worker shares without
    pickling them; only the bytes come back. One worker, or no fork: here, in turn."""
    global _FORKED
    workers = min(workers or os.cpu_count() or 1, len(tasks))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (task() for task in tasks)
        return
    _FORKED = tasks
    try:
        with multiprocessing.get_context("fork").Pool(workers, die_with_parent, (os.getpid(),)) as pool:
            yield from pool.imap(_run_forked, range(len(tasks)))
    finally:
        _FORKED = ()
