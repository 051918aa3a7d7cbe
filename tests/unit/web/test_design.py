"""Colour contrast of the palette (WCAG AA) and the integrity of the vendored libraries."""

from __future__ import annotations

import hashlib
import re

import pytest

from erni_agents.web.assets import STATIC_DIR

TOKENS = dict(re.findall(r"--(erni-[\w-]+):\s*(#[0-9a-fA-F]{6})", (STATIC_DIR / "css/chat.css").read_text()))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# (text, background) pairs the stylesheets actually use for text.
PAIRS = [
    ("erni-ink", "erni-white"),
    ("erni-ink", "erni-sand-50"),
    ("erni-muted", "erni-white"),
    ("erni-muted", "erni-sand-50"),
    ("erni-white", "erni-wood-700"),
    ("erni-wood-100", "erni-wood-700"),
    ("erni-wood-700", "erni-white"),
    ("erni-wood-700", "erni-wood-100"),
    ("erni-wood-900", "erni-wood-100"),
    ("erni-danger", "erni-danger-bg"),
    ("erni-ok", "erni-ok-bg"),
    ("erni-muted", "erni-ok-bg"),
]


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_colours_meet_wcag_aa(text: str, background: str) -> None:
    assert contrast(TOKENS[text], TOKENS[background]) >= 4.5


def test_focus_ring_is_visible_on_white_and_wood() -> None:
    # Non-text contrast (WCAG 1.4.11) for the focus outline.
    assert contrast(TOKENS["erni-focus"], TOKENS["erni-white"]) >= 3
    assert contrast(TOKENS["erni-focus"], TOKENS["erni-sand-50"]) >= 3


def test_vendored_files_match_their_recorded_checksums() -> None:
    vendor = STATIC_DIR / "vendor"
    note = (vendor / "VERSIONS").read_text()
    recorded = dict(re.findall(r"->\s*(\S+).*?file sha256 ([0-9a-f]{64})", note, re.S))
    assert set(recorded) == {"marked.esm.js", "purify.es.mjs"}
    for name, digest in recorded.items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
    assert (vendor / "LICENSE.marked").is_file() and (vendor / "LICENSE.dompurify").is_file()
