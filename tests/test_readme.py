"""The README's examples work as written: every schedule example and every create_schedule example."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
import re
import textwrap

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import yaml

from custom_components.bellas_reef.scheduling.keeper import ModeName

from .conftest import engine_of, light_subentry, make_board_entry, setup_entry, switch_subentry

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README, flags=re.DOTALL)


def documents(block: str) -> list[dict]:
    """Blocks hold several examples separated by a blank line and a comment."""
    parts = re.split(r"\n\n(?=#|action:)", block)
    return [doc for part in parts if (doc := yaml.safe_load(part))]


async def test_readme_examples(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to(datetime.fromisoformat("2027-01-01T00:00:00+00:00"))
    entry = make_board_entry(
        light_subentry(0, "Blue"),
        light_subentry(1, "White"),
        switch_subentry(4, "Return pump"),
        switch_subentry(5, "Wave pump"),
        switch_subentry(6, "Doser"),
    )
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    created = 0
    blocks = yaml_blocks()
    schedule_examples = documents(next(b for b in blocks if b.startswith("# one_off")))
    assert len(schedule_examples) == 5
    for example in schedule_examples:
        await hass.services.async_call(
            "bellas_reef", "create_schedule", example, blocking=True, return_response=True
        )
        created += 1
    service_block = next(b for b in blocks if "Morning Light Ramp" in b and "action: bellas_reef" in b)
    for doc in documents(service_block):
        if doc.get("action") == "bellas_reef.create_schedule":
            await hass.services.async_call(
                "bellas_reef", "create_schedule", doc["data"], blocking=True, return_response=True
            )
            created += 1
    programmes = documents(next(b for b in blocks if b.startswith("# profile")))
    assert [doc["preset"] for doc in programmes] == ["profile", "moonlight", "diurnal"]
    for example in programmes:
        answer = await hass.services.async_call(
            "bellas_reef", "create_schedule", example, blocking=True, return_response=True
        )
        assert answer is not None
        created += 1
    assert len(engine_of(hass).schedules) == created == 11
    day = next(s for s in engine_of(hass).schedules.values() if s.name == "Reef day" and s.acclimation)
    assert day.acclimation["start_date"] == "2026-12-31"  # today in the zone (US/Pacific), not UTC
    scheduler = next(e for e in hass.config_entries.async_entries("bellas_reef") if e.data.get("entry_kind"))
    hass.config_entries.async_update_entry(
        scheduler,
        options={"modes": {"feed": {"off": ["sub-return-pump", "sub-wave-pump"]}}},
    )
    await hass.async_block_till_done()
    keeper_block = next(b for b in blocks if "action: bellas_reef.start_mode" in b)
    answers = []
    for doc in documents(keeper_block):
        domain, service = doc["action"].split(".")
        answers.append(
            await hass.services.async_call(domain, service, doc["data"], blocking=True, return_response=True)
        )
    assert answers[0]["modes"]["feed"]["active"] is True
    assert answers[1]["modes"]["feed"]["active"] is False
    assert [a["action_type"] for a in answers[2]["actions"]] == ["resume", "resume"]
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": ["switch.wave_pump", "switch.return_pump"]}, blocking=True
    )
    automation = next(b for b in blocks if "Feed mode" in b and "automation:" in b)
    actions = yaml.safe_load(automation)["automation"]
    for rule in actions:
        for step in rule["actions"]:
            domain, service = step["action"].split(".")
            await hass.services.async_call(domain, service, step["data"], blocking=True, return_response=True)
    await hass.async_block_till_done()
    assert hass.states.get("switch.wave_pump").state == "off"  # the feed mode, by the automation
    assert hass.states.get("switch.return_pump").state == "off"
    assert hass.states.get("light.blue").attributes["brightness"] == 13  # the storm ramp, heading to 5 %
    assert engine_of(hass).keeper.state.modes[ModeName.FEED].ends is not None


ROOT = Path(__file__).resolve().parent.parent


def test_the_card_example_uses_the_cards_options() -> None:
    block = next(b for b in yaml_blocks() if "custom:bellas-reef-card" in b)
    config = yaml.safe_load(textwrap.dedent(block))
    source = (ROOT / "frontend" / "src" / "config.ts").read_text()
    known = re.search(r"const KNOWN = new Set\(\[(.*?)\]\)", source)
    assert known is not None
    assert set(config) <= set(re.findall(r'"(\w+)"', known.group(1)))
    assert config["type"] == "custom:bellas-reef-card"
    assert set(config["views"]) <= {"day", "schedules", "history"}
    assert config["default_view"] in config["views"]


def test_the_pictures_it_shows_exist() -> None:
    pictures = re.findall(r'src="([^"]+)"', README)
    assert len(pictures) >= 5
    for picture in pictures:
        assert (ROOT / picture).is_file(), picture
