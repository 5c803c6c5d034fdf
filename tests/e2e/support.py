"""What the end-to-end tests share: the repository, the process driver, waiting for a condition."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
import importlib.util
from pathlib import Path
import time
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "e2e" / "artifacts"
_spec = importlib.util.spec_from_file_location("reef_dev", REPO / "scripts" / "reef_dev.py")
assert _spec is not None
assert _spec.loader is not None
reef_dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reef_dev)


def wait_for(check: Any, timeout: float = 20.0) -> Any:
    """Poll ``check`` until it gives something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def run[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on a loop of its own, leaving the thread's event loop alone.

    ``asyncio.run`` clears the thread's loop when it ends; on Python 3.13 the next test's
    ``enable_event_loop_debug`` fixture then finds none and errors.
    """
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()
