"""Jobs for the worker-pool tests, in a module of their own: worker processes import it by name to run
them, so it imports nothing but the standard library (not pytest, not the test module)."""

from __future__ import annotations

import os
from typing import Any


def add(a: int, b: int) -> int:
    return a + b


def block(started: Any, release: Any) -> int:
    """Tell the test which process runs the job (`started`, a queue), then wait until it says go
    (`release`, an event): the test decides when the job ends, never a timer."""
    started.put(os.getpid())
    release.wait()
    return os.getpid()
