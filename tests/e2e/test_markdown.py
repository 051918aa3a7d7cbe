"""The Markdown renderer and sanitiser in the browser, fed with hostile model output."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import Servers

pytestmark = pytest.mark.e2e

HOSTILE = (
    "**Fett** und _kursiv_\n\n"
    "- eins\n- zwei\n\n"
    '<img src=x onerror="window.__xss=1">\n\n'
    "<script>window.__xss=2</script>\n\n"
    "[klick](javascript:window.__xss=3) [mail](mailto:info@erni-gruppe.ch) "
    '<a href="https://evil.example" onclick="window.__xss=4">roh</a>\n\n'
    "![bild](https://evil.example/pixel.png)\n\n"
    "Mehr: https://www.erni-gruppe.ch/holzbau"
)


def test_hostile_markdown_is_rendered_safely(page: Page, servers: Servers) -> None:
    page.goto(servers.base + "/")
    module = page.evaluate(
        "() => document.querySelector('link[rel=modulepreload][href*=\"markdown.js\"]').href"
    )
    found = page.evaluate(
        """async ([url, text]) => {
            const { renderMarkdown } = await import(url);
            const box = document.createElement('div');
            box.id = 'md-test';
            box.append(renderMarkdown(text));
            document.body.append(box);
            const handlers = [...box.querySelectorAll('*')].flatMap(
                (el) => [...el.attributes].map((attr) => attr.name).filter((name) => name.startsWith('on')));
            const hrefs = [...box.querySelectorAll('[href]')].map((el) => el.getAttribute('href'));
            return { handlers, hrefs };
        }""",
        [module, HOSTILE],
    )
    box = page.locator("#md-test")
    assert box.locator("strong").inner_text() == "Fett"
    assert box.locator("li").count() == 2
    assert box.locator("img, script, iframe").count() == 0
    assert found["handlers"] == []
    assert not any(href.lower().startswith("javascript:") for href in found["hrefs"]), found["hrefs"]
    # Raw HTML in model text is shown as text, not dropped silently.
    assert '<img src=x onerror="window.__xss=1">' in box.inner_text()
    links = box.locator("a[href^='https://']")
    assert links.count() == 1
    assert links.first.get_attribute("href") == "https://www.erni-gruppe.ch/holzbau"
    assert links.first.get_attribute("target") == "_blank"
    assert links.first.get_attribute("rel") == "noopener noreferrer"
    assert box.locator("a[href^='mailto:']").count() == 1
    assert page.evaluate("() => window.__xss") is None
