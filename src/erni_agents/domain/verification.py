"""Rules for verifying a customer before disclosing a project's status.

The customer proves ownership with project number + last name. Matching is forgiving about
spelling *conventions* (case, spaces, umlauts, accents) but never about the letters themselves,
otherwise a guessed similar name ("Meyer" for "Meier") would unlock someone else's project.
"""

from __future__ import annotations

import re
import unicodedata

MAX_STATUS_ATTEMPTS = 5

# Year 19xx/20xx plus a three-digit sequence, separated by "-", "/", "–", "." or spaces; the
# look-arounds stop e.g. a phone number or "2024-1567" from yielding a truncated match.
_PROJECT_NUMBER = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/–.\s]\s*(\d{3})(?!\d)", re.ASCII)

_GERMAN_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


def normalise_project_number(text: str) -> str | None:
    """The project number in canonical "YYYY-NNN" form, or None if there is none or more than one."""
    found = {f"{year}-{seq}" for year, seq in _PROJECT_NUMBER.findall(text)}
    # Two different numbers in one message are ambiguous; asking again beats guessing.
    return found.pop() if len(found) == 1 else None


def last_name_matches(given: str, stored: str) -> bool:
    given_forms = _name_forms(given)
    stored_forms = _name_forms(stored)
    if not given_forms or not stored_forms:
        return False
    # "Müller" must match both "Mueller" (transliterated) and "Muller" (accent stripped).
    return bool(given_forms & stored_forms)


def attempts_exhausted(failed_attempts: int) -> bool:
    return failed_attempts >= MAX_STATUS_ATTEMPTS


def remaining_attempts(failed_attempts: int) -> int:
    return max(0, MAX_STATUS_ATTEMPTS - failed_attempts)


def _name_forms(name: str) -> set[str]:
    base = "".join(unicodedata.normalize("NFC", name).casefold().split()).translate(_APOSTROPHES)
    if not base:
        return set()
    return {_strip_accents(base.translate(_GERMAN_TRANSLITERATION)), _strip_accents(base)}


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
