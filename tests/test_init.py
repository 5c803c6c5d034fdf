"""The integration loads in Home Assistant, and its packaging files say what HACS and hassfest require."""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.bellas_reef.const import DOMAIN
from custom_components.bellas_reef.scheduling import ALL_PROBLEM_CODES
from custom_components.bellas_reef.scheduling.problems import MESSAGES

from .conftest import setup_entry, sim_chip

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / DOMAIN


async def test_component_sets_up(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    assert DOMAIN in hass.config.components


async def test_board_entry_sets_up_and_unloads(hass: HomeAssistant, board_entry: MockConfigEntry) -> None:
    await setup_entry(hass, board_entry)
    assert board_entry.state is ConfigEntryState.LOADED
    chip = sim_chip(hass)
    assert chip.prescale == 5  # round(25 MHz / (4096 * 1000 Hz)) - 1
    assert chip.running
    assert hass.states.get("light.blue") is not None
    assert hass.states.get("light.white") is not None
    assert hass.states.get("switch.return_pump") is not None
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), board_entry.entry_id)
    names = sorted(device.name or "" for device in devices)
    assert names == ["Blue", "Return pump", "Simulated PCA9685 0x40", "White"]
    board = next(d for d in devices if d.name == "Simulated PCA9685 0x40")
    assert all(d.via_device_id == board.id for d in devices if d is not board)
    assert await hass.config_entries.async_unload(board_entry.entry_id)
    assert board_entry.state is ConfigEntryState.NOT_LOADED


def test_manifest() -> None:
    manifest = json.loads((INTEGRATION / "manifest.json").read_text())
    for key in ("domain", "name", "version", "documentation", "issue_tracker", "codeowners"):
        assert manifest[key], key
    assert manifest["domain"] == DOMAIN
    assert manifest["name"] == "Bella's Reef"
    keys = list(manifest)  # hassfest: domain, name, then alphabetical order
    assert keys == ["domain", "name", *sorted(keys[2:])]
    assert manifest["config_flow"] is True
    assert manifest["integration_type"] == "hub"
    assert manifest["iot_class"] == "local_polling"
    assert all("==" in requirement for requirement in manifest["requirements"])
    pinned = {line.split("==")[0]: line for line in manifest["requirements"]}
    common = (ROOT / "requirements" / "common.txt").read_text().splitlines()
    for name, line in pinned.items():
        assert line in common, f"{name} is pinned differently in requirements/common.txt"


def test_hacs_json() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text())
    assert set(hacs) <= {
        "name",
        "content_in_root",
        "zip_release",
        "filename",
        "hide_default_branch",
        "country",
        "homeassistant",
        "persistent_directory",
        "hacs",
    }
    assert hacs["name"] == "Bella's Reef"
    minimum = (ROOT / "requirements" / "minimum.txt").read_text()
    assert f"HA {hacs['homeassistant']}" in minimum


def _keys(tree: dict, prefix: str = "") -> set[str]:
    found = set()
    for key, value in tree.items():
        path = f"{prefix}{key}"
        found.add(path)
        if isinstance(value, dict):
            found |= _keys(value, f"{path}.")
    return found


def test_translations_cover_flows_and_exceptions() -> None:
    strings = json.loads((INTEGRATION / "translations" / "en.json").read_text())
    keys = _keys(strings)
    for step in ("user", "i2c", "simulated", "reconfigure"):
        assert f"config.step.{step}.title" in keys
    for step in ("i2c", "simulated", "reconfigure"):
        data = strings["config"]["step"][step]["data"]
        assert set(data) == set(strings["config"]["step"][step]["data_description"])
    for step in ("user", "reconfigure", "light", "switch"):
        sub = strings["config_subentries"]["channel"]["step"][step]
        assert set(sub["data"]) == set(sub["data_description"])
    source = "".join(p.read_text() for p in INTEGRATION.rglob("*.py"))
    codes = {f"problem_{code.value}" for code in ALL_PROBLEM_CODES}
    assert codes <= set(strings["exceptions"]), "every validation problem has a translation"
    for key in set(strings["exceptions"]) - codes:
        assert f'"{key}"' in source, f"exception translation {key} is never used"
    icons = json.loads((INTEGRATION / "icons.json").read_text())
    assert icons["entity"]["light"]["channel"]["default"].startswith("mdi:")


def test_problem_texts_have_one_source() -> None:
    """The English problem texts are the scheduling core's, word for word (scripts/sync_translations.py)."""
    strings = json.loads((INTEGRATION / "translations" / "en.json").read_text())["exceptions"]
    translated = {key: value["message"] for key, value in strings.items() if key.startswith("problem_")}
    assert translated == {f"problem_{code.value}": text for code, text in MESSAGES.items()}
    assert set(MESSAGES) == set(ALL_PROBLEM_CODES)


def test_every_service_field_is_described() -> None:
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text())
    strings = json.loads((INTEGRATION / "translations" / "en.json").read_text())["services"]
    icons = json.loads((INTEGRATION / "icons.json").read_text())["services"]
    assert set(services) == set(strings) == set(icons)
    for name, spec in services.items():
        assert strings[name]["name"]
        assert strings[name]["description"]
        fields = (spec or {}).get("fields", {})
        assert set(fields) == set(strings[name].get("fields", {})), name
        for field in fields:
            assert strings[name]["fields"][field]["name"]
            assert strings[name]["fields"][field]["description"]


def test_brand_images() -> None:
    for name, size in (("icon.png", (256, 256)), ("icon@2x.png", (512, 512))):
        data = (INTEGRATION / "brand" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(data[16:20], "big")
        height = int.from_bytes(data[20:24], "big")
        assert (width, height) == size
    logo = (INTEGRATION / "brand" / "logo.png").read_bytes()
    assert int.from_bytes(logo[20:24], "big") == 256


# Modules named after a Home Assistant integration that Home Assistant takes as that integration's platform,
# and why each is meant to be one (or is not looked at).
PLATFORMS_MEANT = {
    "binary_sensor": "entity platform",
    "button": "entity platform",
    "light": "entity platform",
    "sensor": "entity platform",
    "switch": "entity platform",
    "diagnostics": "diagnostics for every entry",
    "logbook": "how device actions read in the logbook",
    "websocket_api": "the websocket component looks for no platforms",
}


def test_no_module_is_taken_for_another_integrations_platform() -> None:
    """A module or package named like an integration is loaded as its platform: `hardware/` once was."""
    from homeassistant import components

    domains = {
        path.name for path in Path(components.__path__[0]).iterdir() if (path / "manifest.json").exists()
    }
    ours = {
        path.stem for path in INTEGRATION.iterdir() if path.suffix == ".py" or (path / "__init__.py").exists()
    }
    assert "hardware" in domains  # the check sees Home Assistant's integrations
    assert sorted(ours & domains) == sorted(PLATFORMS_MEANT)
