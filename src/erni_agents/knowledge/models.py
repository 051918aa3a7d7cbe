"""Knowledge-base records and the loader for the bundled bilingual data.

The same JSON seeds the database table the app reads at runtime, so a record must survive a
round trip through plain dicts (`to_dict` / `from_dict`) without losing anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, cast

EntryKind = Literal["entry", "page"]
_KINDS: frozenset[str] = frozenset({"entry", "page"})
_PACKAGE = "erni_agents.knowledge"
# Pages get a prefix so their ids can never collide with hand-written entry ids in one table.
PAGE_ID_PREFIX = "page:"


def normalize_lang(lang: str) -> Literal["de", "en"]:
    """Map "de", "de-CH", Language.DE, ... to "de"; everything else answers in English.

    English is the fallback because it is the lingua franca for non-German speakers who reach us.
    """
    return "de" if str(lang).strip().lower().startswith("de") else "en"


@dataclass(frozen=True, slots=True)
class KnowledgeEntry:
    """One searchable document: a hand-written answer ("entry") or a website page ("page")."""

    id: str
    topic: str
    title_de: str
    title_en: str
    text_de: str
    text_en: str
    keywords: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    kind: EntryKind = "entry"

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown knowledge entry kind {self.kind!r}")
        # Callers (DB rows, JSON) hand in lists; freezing them keeps the dataclass hashable.
        object.__setattr__(self, "keywords", tuple(self.keywords))
        object.__setattr__(self, "urls", tuple(self.urls))

    def title(self, lang: str) -> str:
        return self.title_de if normalize_lang(lang) == "de" else self.title_en

    def text(self, lang: str) -> str:
        return self.text_de if normalize_lang(lang) == "de" else self.text_en

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KnowledgeEntry:
        kind = str(data.get("kind", "entry"))
        if kind not in _KINDS:
            raise ValueError(f"unknown knowledge entry kind {kind!r}")
        return cls(
            id=str(data["id"]),
            topic=str(data.get("topic", "")),
            title_de=str(data["title_de"]),
            title_en=str(data["title_en"]),
            text_de=str(data["text_de"]),
            text_en=str(data["text_en"]),
            keywords=tuple(str(k) for k in data.get("keywords") or ()),
            urls=tuple(str(u) for u in data.get("urls") or ()),
            kind=cast(EntryKind, kind),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic": self.topic,
            "title_de": self.title_de,
            "title_en": self.title_en,
            "text_de": self.text_de,
            "text_en": self.text_en,
            "keywords": list(self.keywords),
            "urls": list(self.urls),
            "kind": self.kind,
        }


def page_to_entry(page: Mapping[str, Any]) -> KnowledgeEntry:
    """Turn one sitemap page into a searchable document whose only link is the page itself."""
    return KnowledgeEntry(
        id=PAGE_ID_PREFIX + str(page["id"]),
        topic=str(page.get("category", "page")),
        title_de=str(page["title_de"]),
        title_en=str(page["title_en"]),
        text_de=str(page.get("description_de", "")),
        text_en=str(page.get("description_en", "")),
        keywords=tuple(str(t) for t in page.get("tags") or ()),
        urls=(str(page["url"]),),
        kind="page",
    )


def _read_json(name: str) -> Any:
    # data/ has no __init__.py, so it is addressed through its parent package.
    data = resources.files(_PACKAGE).joinpath("data", name)
    return json.loads(data.read_text(encoding="utf-8"))


def load_entry_dicts() -> list[dict[str, Any]]:
    """The hand-written entries as plain dicts (what a DB seeder wants)."""
    return [dict(item, kind="entry") for item in _read_json("entries.json")]


def load_sitemap_pages() -> list[dict[str, Any]]:
    """The website pages (id, url, titles, descriptions, category, tags) as plain dicts."""
    return list(_read_json("sitemap.json")["pages"])


def load_default_entries() -> list[KnowledgeEntry]:
    """All bundled documents: hand-written entries first, then the website pages."""
    entries = [KnowledgeEntry.from_dict(item) for item in load_entry_dicts()]
    pages = [page_to_entry(page) for page in load_sitemap_pages()]
    _check_unique_ids([*entries, *pages])
    return [*entries, *pages]


def _check_unique_ids(entries: Iterable[KnowledgeEntry]) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"duplicate knowledge entry id {entry.id!r}")
        seen.add(entry.id)
