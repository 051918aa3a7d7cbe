"""Static files and page templates, loaded and fingerprinted once at start-up (no build step).

All static files are served under `/static/<version>/…`, where `version` is a content hash of the
whole static tree. A per-directory fingerprint (rather than one per file) keeps the ES modules'
relative `import './x.js'` statements valid without rewriting them, and without an import map,
which would have to be an inline script that the Content-Security-Policy forbids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
PAGES_DIR = WEB_DIR / "pages"

_MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".json": "application/json",
}
_TEXT = "text/plain; charset=utf-8"


def media_type(name: str) -> str:
    return _MEDIA_TYPES.get(Path(name).suffix, _TEXT)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison: compression middleware may have marked our ETag weak (W/)."""
    if not if_none_match:
        return False
    candidates = [part.strip().removeprefix("W/") for part in if_none_match.split(",")]
    return "*" in candidates or etag in candidates


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, name: str) -> Asset:
        return cls(body, media_type(name), etag_of(body))


@dataclass(frozen=True)
class WebAssets:
    version: str
    files: dict[str, Asset]
    templates: dict[str, str]

    @classmethod
    def load(cls, static_dir: Path = STATIC_DIR, pages_dir: Path = PAGES_DIR) -> WebAssets:
        files: dict[str, Asset] = {}
        tree = hashlib.sha256()
        for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
            name = path.relative_to(static_dir).as_posix()
            if any(part.startswith(".") for part in name.split("/")):
                continue
            body = path.read_bytes()
            files[name] = Asset.of(body, name)
            tree.update(name.encode() + b"\0" + hashlib.sha256(body).digest())
        pages = sorted(p for p in pages_dir.iterdir() if p.is_file())
        templates = {p.name: p.read_text(encoding="utf-8") for p in pages}
        return cls(tree.hexdigest()[:12], files, templates)

    def static_url(self, root_path: str = "") -> str:
        return f"{root_path}/static/{self.version}"

    def page(self, name: str, root_path: str = "") -> Asset:
        """A page template with the fingerprinted static prefix filled in."""
        text = (
            self.templates[name]
            .replace("{{static}}", self.static_url(root_path))
            .replace("{{version}}", self.version)
        )
        return Asset.of(text.encode("utf-8"), name)
