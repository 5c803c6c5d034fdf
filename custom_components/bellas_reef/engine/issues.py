"""Repair issues of the scheduler: schedules whose channels are gone, and stored schedules that do not load.

Not named ``repairs.py``: Home Assistant would load that as a repairs platform, which must offer fix flows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.helpers import issue_registry as ir

from ..const import DOMAIN, SUBENTRY_CHANNEL

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import HomeAssistant

    from ..scheduling import Schedule


def known_channels(hass: HomeAssistant) -> set[str]:
    """The channel ids (subentry ids) of every board, loaded or not."""
    return {
        subentry_id
        for entry in hass.config_entries.async_entries(DOMAIN)
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_CHANNEL
    }


def missing_target_issue_id(schedule_id: str) -> str:
    """The repair issue of one schedule with missing channels."""
    return f"missing_target_{schedule_id}"


def async_update_missing_targets(
    hass: HomeAssistant,
    schedules: Mapping[str, Schedule],
    before: Mapping[str, list[str]],
    after: Mapping[str, list[str]],
) -> set[str]:
    """Raise, change or clear the issues that differ between ``before`` and ``after``; return those ids."""
    changed = {
        schedule_id for schedule_id in {*before, *after} if before.get(schedule_id) != after.get(schedule_id)
    }
    for schedule_id in changed:
        missing = after.get(schedule_id)
        if missing is None:
            ir.async_delete_issue(hass, DOMAIN, missing_target_issue_id(schedule_id))
            continue
        ir.async_create_issue(
            hass,
            DOMAIN,
            missing_target_issue_id(schedule_id),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="missing_target",
            translation_placeholders={"schedule": schedules[schedule_id].name, "targets": ", ".join(missing)},
        )
    return changed


def async_update_unreadable(hass: HomeAssistant, invalid: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Raise (or clear) the issue for stored schedules that no longer validate; list them."""
    unreadable = [{"id": str(raw.get("id")), "name": str(raw.get("name"))} for raw in invalid]
    if unreadable:
        ir.async_create_issue(
            hass,
            DOMAIN,
            "unreadable_schedules",
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key="unreadable_schedules",
            translation_placeholders={"names": ", ".join(item["name"] for item in unreadable)},
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, "unreadable_schedules")
    return unreadable


def async_update_storage_issue(hass: HomeAssistant, store_key: str, failure: str | None) -> None:
    """Raise (or clear) the issue of a store that could not be written."""
    issue_id = f"storage_failed_{store_key}"
    if failure is None:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="storage_failed",
        translation_placeholders={"store": store_key, "error": failure[:200]},
    )
