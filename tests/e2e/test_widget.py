"""The embeddable widget on a page of another origin: Shadow DOM, cross-origin API calls (CORS)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Servers, save_screenshot
from tests.e2e.helpers import REPLIES, send, wait_idle

pytestmark = pytest.mark.e2e


def test_widget_on_another_origin(page: Page, servers: Servers) -> None:
    api_calls: list[str] = []
    page.on("request", lambda request: api_calls.append(request.url) if "/chat" in request.url else None)
    page.goto(servers.other_origin + "/")
    launcher = page.get_by_role("button", name="Chat mit ERNI öffnen")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    # No iframe: the widget lives in a Shadow DOM on the host page.
    assert page.locator("iframe").count() == 0
    assert page.evaluate("() => !!document.querySelector('#erni-chat-widget').shadowRoot")

    launcher.click()
    widget = page.locator("#erni-widget-panel")
    expect(widget).to_be_visible()
    expect(widget.locator(REPLIES).first).to_contain_text("Grüezi", timeout=20_000)
    wait_idle(widget)
    expect(widget.locator("textarea")).to_be_focused()

    reply = send(widget, "Was kostet ein Einfamilienhaus mit 150 m2 in Holzbau?", "textarea")
    assert "450'000" in reply, reply
    assert api_calls and all(url.startswith(servers.base) for url in api_calls), api_calls
    save_screenshot(page, "widget.png", copy_to_docs=True)

    # The host page's own styles and content are untouched; Escape closes and returns focus.
    expect(page.get_by_role("heading", name="Ein anderer Webauftritt")).to_be_visible()
    page.keyboard.press("Escape")
    expect(widget).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_widget_keeps_its_conversation_across_reloads(page: Page, servers: Servers) -> None:
    page.goto(servers.other_origin + "/")
    page.get_by_role("button", name="Chat mit ERNI öffnen").click()
    widget = page.locator("#erni-widget-panel")
    expect(widget.locator(REPLIES).first).to_be_visible(timeout=20_000)
    wait_idle(widget)
    send(widget, "Wie ist der Stand meines Projekts?", "textarea")
    page.reload()
    page.get_by_role("button", name="Chat mit ERNI öffnen").click()
    expect(widget.locator(".erni-msg--user")).to_contain_text("Stand meines Projekts")
