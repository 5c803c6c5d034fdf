"""The selectors the flows share: numbers typed in a box, translated drop-downs."""

from __future__ import annotations

from homeassistant.helpers import selector


def number(minimum: float, maximum: float, step: float, unit: str | None = None) -> selector.NumberSelector:
    """A number typed in a box, with its unit."""
    config = selector.NumberSelectorConfig(
        min=minimum, max=maximum, step=step, mode=selector.NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return selector.NumberSelector(config)


def select(options: list[str], key: str) -> selector.SelectSelector:
    """A drop-down whose options are translated under ``selector.<key>``."""
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=options, translation_key=key, mode=selector.SelectSelectorMode.DROPDOWN
        )
    )
