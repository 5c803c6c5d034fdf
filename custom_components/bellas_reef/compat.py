"""What differs between the Home Assistant releases we support (2026.2.3 up to the latest).

* The schema library: Home Assistant replaced voluptuous with probatio, a drop-in with the same API, in
  2026.9; schemas handed to flows and services must be of the library Home Assistant itself uses.
* Binary sensor device classes moved to ``binary_sensor.const`` in 2026.9.
* Devices name their parent with ``via_device_id`` from 2026.8 on; ``via_device`` before.
* ``StaticPathConfig`` moved from the http package into ``http.server`` (it is still re-exported there).

The type checker follows the branch of the Python version: the latest track runs on 3.14 with probatio,
the minimum on 3.13 with voluptuous.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from homeassistant.const import MAJOR_VERSION, MINOR_VERSION

if TYPE_CHECKING:
    import sys

    from homeassistant.helpers.device_registry import DeviceInfo

    if sys.version_info >= (3, 14):
        from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
        from homeassistant.components.http.server import StaticPathConfig
        import probatio as vol
    else:
        from homeassistant.components.binary_sensor import BinarySensorDeviceClass
        from homeassistant.components.http import StaticPathConfig
        import voluptuous as vol
else:
    try:
        import probatio as vol
    except ImportError:  # Home Assistant before 2026.9
        import voluptuous as vol
    try:
        from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
    except ImportError:  # Home Assistant before 2026.9 kept it in the package itself
        from homeassistant.components.binary_sensor import BinarySensorDeviceClass
    try:
        from homeassistant.components.http.server import StaticPathConfig
    except ImportError:  # Home Assistant before it moved
        from homeassistant.components.http import StaticPathConfig

VIA_DEVICE_ID = (MAJOR_VERSION, MINOR_VERSION) >= (2026, 8)

__all__ = ["BinarySensorDeviceClass", "StaticPathConfig", "device_info", "vol"]


def device_info(via_identifier: tuple[str, str], via_device_id: str, **fields: Any) -> DeviceInfo:
    """A ``DeviceInfo`` naming its parent the way this Home Assistant release expects."""
    if VIA_DEVICE_ID:
        fields["via_device_id"] = via_device_id
    else:
        fields["via_device"] = via_identifier
    return cast("DeviceInfo", fields)
