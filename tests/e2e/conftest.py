"""The real Home Assistant process and the browser the end-to-end tests share."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import os
from typing import Any

import pytest

from tests.e2e import browser
from tests.e2e.support import REPO, reef_dev


@pytest.fixture(autouse=True)
def enable_event_loop_debug() -> Iterator[None]:
    """A loop of the test's own for the plugin's fixtures to find, in debug mode as the plugin's would set.

    These tests are synchronous (Home Assistant runs in a process of its own). The plugin's fixture of this
    name, and ``verify_cleanup`` after it, look up the thread's loop; on Python 3.13 between such tests
    there is none, and the lookup fails.
    """
    loop = asyncio.new_event_loop()
    loop.set_debug(True)
    asyncio.set_event_loop(loop)
    yield
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture
def chromium_binary() -> str:
    """A Chromium to drive; skipped without one, unless the environment promised one (a Debian root)."""
    if (binary := browser.find_chromium()) is not None:
        return binary
    if os.environ.get("BELLAS_REEF_BROWSER") == "required":
        pytest.fail("no chromium on PATH, although scripts/test installed one")
    pytest.skip("no Chromium on PATH: install chromium (or set BELLAS_REEF_CHROMIUM) for the browser test")


@pytest.fixture
def hass_instance(tmp_path_factory: pytest.TempPathFactory, socket_enabled: None) -> Iterator[Any]:
    """A Home Assistant process on a free loopback port (the one place the tests open sockets)."""
    config_dir = tmp_path_factory.mktemp("e2e-config")
    port = reef_dev.free_port()
    (config_dir / "configuration.yaml").write_text(reef_dev.MINIMAL_CONFIG.format(port=port, time_zone="UTC"))
    hass = reef_dev.HassProcess(config_dir, port, REPO)
    try:
        hass.start()
        yield hass
    finally:
        hass.stop()
