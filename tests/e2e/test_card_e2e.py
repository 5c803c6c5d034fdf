"""The dashboard card and the Reef panel in a real browser against a real Home Assistant.

The card goes on a dashboard as a user puts it there (``lovelace/config/save``), then headless Chromium opens
the dashboard logged in, and the test reads the card's DOM through its shadow roots: the curves are the day
the server computes, the now line is drawn, the card's Feed button stops the pump and counts down, a
schedule's toggle switches its ``switch.schedules_…`` in Home Assistant, the editor creates a cron schedule (read back over the websocket) and shows the server's message
at the cron field for an invalid expression (storing nothing), a non-administrator sees no edit control, and
the Reef panel opens. Screenshots (desktop 1400 px and phone 390 px, light and dark) are saved under
``tests/e2e/artifacts/``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
import subprocess
from typing import Any

from tests.e2e import browser
from tests.e2e.support import ARTIFACTS, reef_dev, run, wait_for

DESKTOP = (1400, 1900)
PHONE = (390, 2200)
GUEST = ("Keeper's guest", "guest", "guest-card-password")

# A depth-first search through every shadow root, from a start element (the document by default).
DEEP = """
window.__deep = (selector, root = document) => {
  const found = [];
  const walk = (node) => {
    for (const element of node.querySelectorAll("*")) {
      if (element.matches(selector)) found.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(root);
  return found;
};
window.__one = (selector, root) => window.__deep(selector, root)[0] ?? null;
true
"""


async def js(page: browser.Page, expression: str) -> Any:
    await page.evaluate(DEEP)
    return await page.evaluate(expression)


async def until(page: browser.Page, expression: str, timeout: float = 60) -> Any:  # noqa: ASYNC109
    """Poll a JS expression until it is truthy; its value."""
    async with asyncio.timeout(timeout):
        while True:
            with contextlib.suppress(browser.DevToolsError):
                if value := await js(page, expression):
                    return value
            await asyncio.sleep(0.25)


async def ws(hass: Any, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Websocket commands from inside the browser's event loop."""
    return list(await hass._ws(messages, 0.0, hass.token))


async def eventually(check: Any, timeout: float = 30) -> Any:  # noqa: ASYNC109
    """Poll a blocking check (REST, websocket) off the event loop until it gives something true."""
    async with asyncio.timeout(timeout):
        while True:
            if result := await asyncio.to_thread(check):
                return result
            await asyncio.sleep(0.25)


async def set_input(page: browser.Page, selector: str, value: str) -> None:
    """Type into an input inside the card (sets its value and fires the input event, as typing does)."""
    await js(
        page,
        f"""(() => {{
        const input = window.__one({json.dumps(selector)});
        input.value = {json.dumps(value)};
        input.dispatchEvent(new Event("input", {{bubbles: true, composed: true}}));
        input.dispatchEvent(new Event("change", {{bubbles: true, composed: true}}));
        return true;
      }})()""",
    )


async def set_viewport(page: browser.Page, size: tuple[int, int], *, mobile: bool) -> None:
    await page.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": mobile},
    )


async def shot(page: browser.Page, name: str, *elements: str) -> None:
    """The viewport, as ``artifacts/<name>.png``; with ``elements``, also just the box around them, as
    ``<name>-clip.png`` (the pictures the README shows are these, copied to ``docs/images/``)."""
    await browser.settle(page, at_most=5)
    (ARTIFACTS / f"{name}.png").write_bytes(await page.screenshot())
    if elements:
        box = await js(
            page,
            f"""(() => {{
                const rs = {json.dumps(elements)}.map((s) => window.__one(s).getBoundingClientRect());
                const x = Math.max(0, Math.min(...rs.map((r) => r.left)) - 8);
                const y = Math.max(0, Math.min(...rs.map((r) => r.top)) - 8);
                const right = Math.max(...rs.map((r) => r.right)) + 8, bottom = Math.max(...rs.map((r) => r.bottom)) + 8;
                return {{x, y, width: right - x, height: bottom - y}};
            }})()""",
        )
        (ARTIFACTS / f"{name}-clip.png").write_bytes(await page.screenshot(box))


async def set_dark(page: browser.Page, *, dark: bool, element: str = "bellas-reef-card") -> None:
    """Home Assistant's theme for this browser (what the profile page's theme picker stores), then reload."""
    theme = json.dumps(json.dumps({"theme": "default", "dark": dark}))
    await page.evaluate(f"localStorage.setItem('selectedTheme', {theme}); true")
    await page.call("Page.reload")
    await until(page, f"!!(window.__one('{element}') && window.__one('bellas-reef-chart'))")


def provision(hass: Any) -> dict[str, Any]:
    """The reef scripts/develop makes, a cloudy profile of its own on White, and the card on a dashboard."""
    hass.onboard()
    reef_dev.add_simulated_reef(hass, starters=True)
    reef_dev.share_reef_day(hass)
    wait_for(lambda: hass.state("switch.return_pump"))
    reef_dev.configure_modes(hass)
    # White leaves the reef day for a light programme of its own: a smooth day with clouds (one day curve
    # per channel; the day view draws the server's sampled curve)
    day = hass.action("bellas_reef", "get_schedules", {"schedule_type": "static"}, response=True)
    reef_day = next(s for s in day["service_response"]["schedules"] if s["name"] == "Reef day")
    hass.action("bellas_reef", "update_schedule", {"schedule_id": reef_day["id"], "targets": ["light.blue"]})
    hass.action(
        "bellas_reef",
        "create_schedule",
        {
            "name": "White day with clouds",
            "schedule_type": "static",
            "preset": "profile",
            "targets": ["light.white"],
            "preset_params": {
                "points": [
                    {"time": "08:30", "level": 0},
                    {"time": "10:30", "level": 60},
                    {"time": "12:30", "level": 90},
                    {"time": "16:00", "level": 90},
                    {"time": "18:30", "level": 20},
                    {"time": "20:00", "level": 0},
                ],
                "interpolation": "smooth",
                "clouds": {"start": "12:00", "end": "15:00", "per_hour": 2, "depth": 40},
            },
        },
    )
    # a dashboard of its own (Home Assistant's default one is a generated overview since 2026.10)
    made = hass.ws(
        [
            {
                "type": "lovelace/dashboards/create",
                "url_path": "reef-card",
                "title": "Reef card",
                "mode": "storage",
                "show_in_sidebar": True,
                "require_admin": False,
            }
        ]
    )[-1]
    assert made["success"], made
    card = {"type": "custom:bellas-reef-card", "title": "Bella's Reef"}
    config = {"title": "Reef", "views": [{"title": "Reef", "cards": [card]}]}
    saved = hass.ws([{"type": "lovelace/config/save", "url_path": "reef-card", "config": config}])[-1]
    assert saved["success"], saved
    issues = hass.ws([{"type": "repairs/list_issues"}])[-1]["result"]["issues"]
    assert [i["issue_id"] for i in issues if i["domain"] == "bellas_reef"] == []
    day = hass.ws([{"type": "bellas_reef/day"}])[-1]
    assert day["success"], day
    return dict(day["result"])


async def the_card(
    process: subprocess.Popen[bytes], profile: Path, hass: Any, day: dict[str, Any], guest: dict[str, Any]
) -> None:
    async with asyncio.timeout(400), browser.first_page(process, profile, DESKTOP) as page:
        try:
            await browser.open_logged_in(page, hass.base, hass.tokens, reef_dev.CLIENT_ID, "/reef-card/0")
            await until(page, "window.__deep('bellas-reef-chart').length >= 3", timeout=120)

            # the day view: every channel's curve is the server's day, point for point; the now line is there
            charts = await js(
                page,
                """window.__deep('bellas-reef-chart').map((chart) => ({
                    kind: chart.getAttribute('kind'),
                    points: (chart.points || []).map((p) => [p.t, Math.round(p.level * 100) / 100]),
                    now: !!window.__one('.now', chart.shadowRoot),
                    line: !!window.__one('path.line', chart.shadowRoot),
                }))""",
            )
            expected = {
                channel["entity_id"]: [
                    [_ms(point["time"]), round(point["level"], 2)] for point in channel["points"]
                ]
                for channel in day["channels"]
            }
            curves = [chart for chart in charts if chart["kind"] == "curve"]
            assert len(curves) == 2, charts  # Blue and White
            assert [chart["points"] for chart in curves] == [expected["light.blue"], expected["light.white"]]
            assert all(chart["now"] and chart["line"] for chart in curves), curves
            bands = [chart for chart in charts if chart["kind"] == "band"]
            assert [chart["points"] for chart in bands] == [expected["switch.return_pump"]]
            await shot(page, "card-day-desktop-light", "ha-card")

            # the schedules view: a toggle switches the schedule's entity in Home Assistant
            await js(page, "window.__deep('button.tab')[1].click(), true")
            await until(page, "window.__deep('li.sched[data-id]').length >= 4")
            moon = next(
                s
                for s in hass.action("bellas_reef", "get_schedules", {}, response=True)["service_response"][
                    "schedules"
                ]
                if s["name"] == "Blue moonlight"
            )
            assert hass.state("switch.schedules_blue_moonlight")["state"] == "on"
            await js(page, f"window.__one('li.sched[data-id=\"{moon['id']}\"] input.switch').click(), true")
            await eventually(lambda: hass.state("switch.schedules_blue_moonlight")["state"] == "off")
            await until(page, f"!window.__one('li.sched[data-id=\"{moon['id']}\"] input.switch').checked")
            await shot(page, "card-schedules-desktop-light", "ha-card")

            # the editor: an invalid cron shows the server's message at the cron field, stores nothing
            before = {
                s["id"] for s in (await ws(hass, [{"type": "bellas_reef/schedules/list"}]))[-1]["result"]
            }
            await js(page, "window.__one('button.new-schedule').click(), true")
            await until(page, "!!window.__one('#f-name')")
            await set_input(page, "#f-name", "Wave pump pulse")
            await set_input(page, "#f-schedule_type", "cron")
            await until(page, "!!window.__one('#f-cron_expression')")
            await set_input(page, "#f-cron_expression", "61 * * * *")
            await js(
                page,
                """(() => { const pick = window.__deep('label.pick').find((l) => l.textContent.includes('Return pump'));
                    const box = pick.querySelector('input'); box.checked = true;
                    box.dispatchEvent(new Event('change', {bubbles: true, composed: true})); return true; })()""",
            )
            message = await until(page, "window.__one('#p-cron_expression')?.textContent.trim() || ''")
            assert "61 * * * *" in message, message
            assert "cron" in message
            await js(page, "window.__one('button.save').click(), true")
            await asyncio.sleep(2)
            assert {
                s["id"] for s in (await ws(hass, [{"type": "bellas_reef/schedules/list"}]))[-1]["result"]
            } == before
            await shot(page, "card-editor-problem-desktop-light", "dialog.editor")

            # ... and a valid one is stored, as the form says it
            await set_input(page, "#f-cron_expression", "*/30 9-17 * * *")
            await until(page, "!window.__one('#p-cron_expression')")
            await js(page, "window.__one('button.save').click(), true")
            made = await eventually(
                lambda: next(
                    (
                        s
                        for s in hass.ws([{"type": "bellas_reef/schedules/list"}])[-1]["result"]
                        if s["name"] == "Wave pump pulse"
                    ),
                    None,
                )
            )
            assert made["schedule_type"] == "cron"
            assert made["cron_expression"] == "*/30 9-17 * * *"
            assert made["targets"] == ["switch.return_pump"]
            await until(page, f"!!window.__one('li.sched[data-id=\"{made['id']}\"]')")

            # run now: its device action is done, and the history view shows it
            await js(
                page, f"window.__one('li.sched[data-id=\"{made['id']}\"] .s-actions button').click(), true"
            )
            ran = await eventually(
                lambda: hass.ws([{"type": "bellas_reef/actions/list", "schedule_id": made["id"]}])[-1][
                    "result"
                ]
            )
            assert [(a["action_type"], a["status"]) for a in ran] == [("on", "success")]

            # Feed, pressed on the card (the day view): the pump stops, the card counts down and marks the
            # pump held by it
            await js(page, "window.__deep('button.tab')[0].click(), true")
            await until(page, "window.__deep('bellas-reef-chart').length >= 3")
            await until(page, "window.__deep('.modes button.mode').length === 2")  # Feed, Maintenance
            await until(page, "!window.__one('.toast')", timeout=15)  # run now's toast has gone
            await js(page, "window.__deep('.modes button.mode')[0].click(), true")
            await eventually(lambda: hass.state("switch.return_pump")["attributes"].get("held_by") == "feed")
            assert hass.state("switch.return_pump")["state"] == "off"
            await until(page, "!!window.__one('.mode-on .left') && window.__deep('.chip.held').length >= 1")
            left = await js(page, "window.__one('.mode-on .left').textContent.trim()")
            assert left.startswith(("10:", "9:")), left
            await shot(page, "card-feed-desktop-light", "ha-card")

            # the history view, the dark theme, a phone
            await js(page, "window.__deep('button.tab')[2].click(), true")
            await until(page, "window.__deep('li.act:not(.head)').length >= 1")
            await shot(page, "card-history-desktop-light", "ha-card")
            await set_dark(page, dark=True)
            await shot(page, "card-day-desktop-dark", "ha-card")
            await set_viewport(page, PHONE, mobile=True)
            await page.call("Page.reload")
            await until(page, "window.__deep('bellas-reef-chart').length >= 3")
            await shot(page, "card-day-phone-dark", "ha-card")
            await set_dark(page, dark=False)
            await shot(page, "card-day-phone-light")
            await js(page, "window.__deep('button.tab')[1].click(), true")
            await until(page, "window.__deep('li.sched[data-id]').length >= 4")
            await shot(page, "card-schedules-phone-light")

            # the Reef panel, for administrators
            await set_viewport(page, DESKTOP, mobile=False)
            await page.navigate(hass.base + "/bellas-reef")
            await until(
                page,
                "!!window.__one('bellas-reef-panel') && window.__deep('bellas-reef-chart').length >= 3",
                timeout=90,
            )
            await shot(page, "panel-day-desktop-light")
            await set_dark(page, dark=True, element="bellas-reef-panel")
            await shot(page, "panel-day-desktop-dark", "header.app-bar", "main.body .surface")

            # a user who is not an administrator sees the same views, without a control that would change anything
            await page.evaluate("localStorage.clear(); true")
            await browser.open_logged_in(page, hass.base, guest, reef_dev.CLIENT_ID, "/reef-card/0")
            await until(page, "window.__deep('bellas-reef-chart').length >= 3", timeout=120)
            await js(page, "window.__deep('button.tab')[1].click(), true")
            await until(page, "window.__deep('li.sched[data-id]').length >= 4")
            controls = await js(
                page,
                "window.__deep('li.sched input.switch, li.sched .s-actions button, button.new-schedule').length",
            )
            assert controls == 0
            # Feed is for everyone (it ends by itself); ending it and Maintenance are not
            modes = await js(
                page,
                "[window.__deep('.modes button.mode').length, window.__deep('.mode-on .end, .icon-btn.resume').length]",
            )
            assert modes == [1, 0], modes
            await shot(page, "card-schedules-desktop-guest")
        except BaseException:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(15):
                    (ARTIFACTS / "card-failure.png").write_bytes(await page.screenshot())
            raise
        finally:
            (ARTIFACTS / "card-console.log").write_text("".join(f"{line}\n" for line in page.console()))


def _ms(iso: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(iso).timestamp() * 1000)


def test_the_card_and_the_panel_in_a_browser(
    chromium_binary: str, hass_instance: Any, tmp_path: Path
) -> None:
    hass = hass_instance
    day = provision(hass)
    guest = hass.add_user(*GUEST)
    ARTIFACTS.mkdir(exist_ok=True)
    profile = tmp_path / "chromium-profile"
    with browser.launched(chromium_binary, profile, ARTIFACTS / "chromium-card.log") as process:
        run(the_card(process, profile, hass, day, guest))
