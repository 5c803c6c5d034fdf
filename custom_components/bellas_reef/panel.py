"""The dashboard card and the Reef panel: an ES module and its chunks in ``frontend/``, served by HA.

Once per Home Assistant run (from ``async_setup``) the folder is served under ``URL_BASE`` and the module is
loaded on every dashboard (``frontend.add_extra_js_url``), so the card is in the card picker with no
resource to add by hand. The module's URL carries its content hash (``?v=<sha256>``): an update is a new
URL, never a stale copy in a browser's cache, so the files may be cached for long (the chunks it imports,
the schedule editor's among them, are named by their content hash). The Reef panel (the same
views, full page) is in the sidebar for administrators while the Schedules entry is set up
(``panel_custom``); it is taken out with ``frontend.async_remove_panel`` when that entry unloads.

Nothing touches ``hass.data["lovelace"]``: it changed shape in 2026.2 and broke integrations that did.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Final

from homeassistant.components import frontend, panel_custom
from homeassistant.util.hass_dict import HassKey

from .compat import StaticPathConfig
from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

URL_BASE: Final = "/bellas_reef_frontend"
MODULE: Final = "bellas-reef-card.js"
FOLDER: Final = Path(__file__).parent / "frontend"
PANEL_PATH: Final = "bellas-reef"
PANEL_ELEMENT: Final = "bellas-reef-panel"
PANEL_TITLE: Final = "Reef"
PANEL_ICON: Final = "mdi:fishbowl-outline"
MODULE_URL: HassKey[str] = HassKey(f"{DOMAIN}_module_url")


def module_hash(path: Path) -> str:
    """The first 16 hex digits of the module's SHA-256 (read from disk: run it in the executor)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


async def async_setup_frontend(hass: HomeAssistant) -> str:
    """Serve the folder and load the module on every dashboard, once per run; return the module's URL."""
    if (url := hass.data.get(MODULE_URL)) is not None:
        return url  # registering a static path twice fails, and the URL is already loaded
    digest = await hass.async_add_executor_job(module_hash, FOLDER / MODULE)
    url = f"{URL_BASE}/{MODULE}?v={digest}"
    await hass.http.async_register_static_paths([StaticPathConfig(URL_BASE, str(FOLDER), cache_headers=True)])
    frontend.add_extra_js_url(hass, url)
    hass.data[MODULE_URL] = url
    return url


async def async_register_panel(hass: HomeAssistant) -> None:
    """The Reef panel in the sidebar, for administrators."""
    await panel_custom.async_register_panel(
        hass,
        frontend_url_path=PANEL_PATH,
        webcomponent_name=PANEL_ELEMENT,
        sidebar_title=PANEL_TITLE,
        sidebar_icon=PANEL_ICON,
        module_url=await async_setup_frontend(hass),
        require_admin=True,
        config_panel_domain=DOMAIN,
    )


def async_remove_panel(hass: HomeAssistant) -> None:
    """Take the Reef panel out of the sidebar."""
    frontend.async_remove_panel(hass, PANEL_PATH, warn_if_unknown=False)
