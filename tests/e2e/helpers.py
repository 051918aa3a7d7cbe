"""Driving the chat UI like a customer does."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, expect

INPUT = "#erni-chat-input"
REPLIES = ".erni-msg--assistant:not(.erni-msg--streaming)"
TURN_TIMEOUT = 30_000


def wait_idle(scope: Page | Locator) -> None:
    expect(scope.locator(".erni-chat__typing")).to_be_hidden(timeout=TURN_TIMEOUT)
    expect(scope.locator(".erni-chat__send")).to_be_enabled(timeout=TURN_TIMEOUT)


def open_chat(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(REPLIES).first).to_be_visible(timeout=TURN_TIMEOUT)
    wait_idle(page)


def send(scope: Page | Locator, text: str, input_selector: str = INPUT) -> str:
    """Type a message and press Enter; returns the text of the assistant's reply."""
    replies = scope.locator(REPLIES)
    before = replies.count()
    box = scope.locator(input_selector)
    box.fill(text)
    box.press("Enter")
    return _reply(scope, before)


def click_chip(scope: Page | Locator, label: str) -> str:
    replies = scope.locator(REPLIES)
    before = replies.count()
    scope.locator(".erni-chip:not(.erni-chip--lang)", has_text=label).first.click()
    return _reply(scope, before)


def _reply(scope: Page | Locator, before: int) -> str:
    replies = scope.locator(REPLIES)
    expect(replies.nth(before)).to_be_visible(timeout=TURN_TIMEOUT)
    wait_idle(scope)
    return str(replies.last.inner_text())


def chips(scope: Page | Locator) -> list[str]:
    return [str(text).strip() for text in scope.locator(".erni-chat__chips .erni-chip").all_inner_texts()]


def book_in_german(scope: Any, day: str, name: str, email: str, phone: str) -> str:
    """Cost estimate → booking through the UI; returns the booking reference shown in the card."""
    reply = send(scope, "Was kostet ein Einfamilienhaus mit 150 m2 in Holzbau?")
    assert "450'000" in reply and "562'500" in reply, reply
    reply = click_chip(scope, "Ja, Termin vereinbaren")
    assert "Architekt" in reply, reply
    reply = send(scope, day)
    slot_chips = [label for label in chips(scope) if label.endswith("Uhr")]
    assert slot_chips, f"no time-slot chips offered after: {reply}"
    reply = click_chip(scope, slot_chips[0])
    assert "E-Mail" in reply, reply
    reply = send(scope, f"{name}, {email}, {phone}")
    card = scope.locator(".erni-booking")
    expect(card).to_be_visible()
    reference = str(card.locator("dd").first.inner_text()).strip()
    assert reference and reference in reply, (reference, reply)
    return reference
