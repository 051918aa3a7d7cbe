"""PII Guardrail (output): redact personal data that is not the current customer's own.

Redacts e-mail addresses and phone numbers that are neither in ``allowed`` nor company
contacts, Swiss AHV numbers, IBANs (mod-97 checksum), payment card numbers (Luhn) and the
names of other customers passed in ``forbidden_names``. Staff names are not touched: they are
simply not in ``forbidden_names``. ``findings`` lists one kind per redaction, never a value,
so it is safe to log.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

REDACTED = "[redacted]"

COMPANY_EMAIL_DOMAINS = ("erni-gruppe.ch", "holzbau-erni.ch")
# Company numbers: 041 570 70 xx, in E.164 digits.
COMPANY_PHONE_PREFIX = "+414157070"


@dataclass(frozen=True, slots=True)
class Redaction:
    text: str
    findings: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.findings)


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?[1-9]\d{0,2}(?:[\s./-]?\(?\d{1,4}\)?){2,6}"  # international
    r"|0[1-9]\d(?:[\s./-]?\d){7})(?![\w])"  # Swiss national 0XX XXX XX XX
)
_AHV = re.compile(r"(?<!\d)756[.\s]?\d{4}[.\s]?\d{4}[.\s]?\d{2}(?!\d)")
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[\sA-Za-z0-9])")
_CARD = re.compile(r"(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)")


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def normalize_phone(value: str) -> str:
    """E.164-style digits: "079 123 45 67", "+41 79 123 45 67" and "0041791234567" agree."""
    raw = value.strip()
    digits = _digits(raw)
    if raw.startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return "+41" + digits[1:]
    return digits


def _alnum_upper(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum()).upper()


def _iban_valid(candidate: str) -> bool:
    if not 15 <= len(candidate) <= 34 or not candidate[:2].isalpha() or not candidate[2:4].isdigit():
        return False
    rearranged = candidate[4:] + candidate[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def _luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iter_ibans(text: str) -> Iterator[tuple[int, int]]:
    """IBANs may be written in groups of four; try the longest checksum-valid prefix."""
    for m in _IBAN_START.finditer(text):
        start = m.start()
        end_positions: list[int] = []
        n_alnum = 0
        pos = start
        while pos < len(text) and n_alnum < 34:
            ch = text[pos]
            if ch.isalnum():
                n_alnum += 1
                end_positions.append(pos + 1)
            elif ch != " ":
                break
            pos += 1
        for end in reversed(end_positions):
            if end - start < 15:
                break
            if _iban_valid(_alnum_upper(text[start:end])):
                yield start, end
                break


@dataclass(frozen=True, slots=True)
class _Allowed:
    emails: frozenset[str]
    phones: frozenset[str]
    tokens: frozenset[str]  # alnum-upper forms, for IBAN/card/AHV the customer gave themselves
    names: frozenset[str]


def _build_allowed(allowed: Collection[str]) -> _Allowed:
    emails = {a.strip().lower() for a in allowed if "@" in a}
    phones = {normalize_phone(a) for a in allowed if len(_digits(a)) >= 6 and "@" not in a}
    tokens = {_alnum_upper(a) for a in allowed}
    names = {a.strip().casefold() for a in allowed if a.strip() and not any(ch.isdigit() for ch in a)}
    return _Allowed(frozenset(emails), frozenset(phones), frozenset(tokens), frozenset(names))


def _email_allowed(value: str, ok: _Allowed) -> bool:
    lowered = value.lower()
    domain = lowered.rsplit("@", 1)[-1]
    company = any(domain == d or domain.endswith("." + d) for d in COMPANY_EMAIL_DOMAINS)
    return company or lowered in ok.emails


def _phone_allowed(value: str, ok: _Allowed) -> bool:
    normalized = normalize_phone(value)
    return normalized.startswith(COMPANY_PHONE_PREFIX) or normalized in ok.phones


def _name_pattern(name: str) -> re.Pattern[str]:
    variants = {name}
    folded = name.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")
    variants.add(folded)
    alternation = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    # Case-sensitive on purpose: "Frei" is a customer, "frei" (available) is not.
    return re.compile(rf"(?<![\w-])(?:{alternation})(?:s|'s|’s)?(?![\w-])")


def _spans(text: str, ok: _Allowed, forbidden_names: Collection[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    protected: list[tuple[int, int]] = []

    def overlaps(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e, _ in spans) or any(
            s < end and start < e for s, e in protected
        )

    def collect(kind: str, found: Iterator[tuple[int, int]], keep: Callable[[str], bool]) -> None:
        for start, end in found:
            if overlaps(start, end):
                continue
            value = text[start:end]
            if keep(value):
                protected.append((start, end))
            else:
                spans.append((start, end, kind))

    def matches(pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
        return ((m.start(), m.end()) for m in pattern.finditer(text))

    def token_allowed(value: str) -> bool:
        return _alnum_upper(value) in ok.tokens

    # Order matters: e-mails first (they contain names and digits), then the structured
    # numbers from most to least specific, so a phone number is never taken for a card.
    collect("email", matches(_EMAIL), lambda v: _email_allowed(v, ok))
    collect("ahv", matches(_AHV), token_allowed)
    collect("iban", _iter_ibans(text), token_allowed)
    collect(
        "phone",
        ((s, e) for s, e in matches(_PHONE) if 9 <= len(_digits(text[s:e])) <= 15),
        lambda v: _phone_allowed(v, ok),
    )
    collect(
        "card",
        ((s, e) for s, e in matches(_CARD) if _luhn_valid(_digits(text[s:e]))),
        token_allowed,
    )
    for name in forbidden_names:
        if not name.strip() or name.strip().casefold() in ok.names:
            continue
        collect("name", matches(_name_pattern(name.strip())), lambda _v: False)

    return sorted(spans)


def find_pii(text: str) -> list[tuple[str, str]]:
    """(kind, value) of the personal data in ``text`` (company contacts excluded), e.g. to allow
    a customer's own values, given in their message, in the answer."""
    return [(kind, text[start:end]) for start, end, kind in _spans(text, _build_allowed(()), ())]


def redact_pii(text: str, *, allowed: Collection[str], forbidden_names: Collection[str] = ()) -> Redaction:
    """Replace personal data that is not allowed with "[redacted]"."""
    spans = _spans(text, _build_allowed(allowed), forbidden_names)
    if not spans:
        return Redaction(text, ())
    out: list[str] = []
    cursor = 0
    for start, end, _kind in spans:
        out.append(text[cursor:start])
        out.append(REDACTED)
        cursor = end
    out.append(text[cursor:])
    return Redaction("".join(out), tuple(kind for _s, _e, kind in spans))
