"""Worker processes that never outlive the command that started them, even when it is killed with
SIGKILL (which runs no clean-up): the kernel is asked to kill each worker when its parent dies."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """A pool's initializer (`initargs=(os.getpid(),)`): on Linux, this worker gets SIGKILL when its
    parent dies; a parent already gone before that (its pid no longer ours) ends the worker now."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
