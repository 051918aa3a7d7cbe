"""Which language a customer message is written in: German or English, or "can't tell".

A vote of function words is enough for the two languages the assistant speaks and takes a few
microseconds. Short answers ("14:00", "ok", "Müller", an e-mail address) carry no signal, so the
caller's default (the conversation's language so far) is returned for them.
"""

from __future__ import annotations

import re
from itertools import pairwise

from erni_agents.domain.types import Language


def word_set(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Words that are (almost) only ever German or English. Words common to both or to Swiss German
# chat ("in", "am", "so", "also", "was", "will", "hi", "ok", "super", "merci", "sorry") are left
# out on purpose: they would push short mixed messages the wrong way.
GERMAN_WORDS = word_set(
    """
ich du er wir ihr sie mich mir dich dir uns euch ihnen mein meine meinen meinem meiner meines dein unser
unsere unseren unserem unserer ihre ihren ihrem sein seine der die das den dem des ein eine einen einem
einer eines und oder aber nicht kein keine keinen ist sind bin bist seid war waren hat habe haben hast
hatte hätte hätten wäre wären wird werden würde würden kann können könnte könnten muss müssen möchte
möchten möchtest mochte will wollen soll sollen darf dürfen mit für fuer von vom zu zum zur bei beim auf
aus nach über ueber unter vor hinter neben zwischen durch gegen ohne um wie wo wann warum weshalb wieso
welche welcher welches welchen was wer wen wem wieviel wieviele bitte danke dankeschön gerne gern ja
nein doch auch noch schon nur sehr mehr viel viele etwas nichts alles hier dort heute morgen übermorgen
gestern jetzt dann dass weil wenn ob als sich es man ihm gibt geht gut guten tag hallo grüezi gruezi
grüss gruss tschüss tschüs auf wiedersehen freundliche grüsse kosten kostet preis preise termin termine
beratung vereinbaren buchen haus häuser projekt projekts projektes stand quadratmeter nächsten nächste
nächster kommenden uhr montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz
mai juni juli oktober dezember ungefähr etwa circa rund genau stimmt richtig passt klar einverstanden
leider eigentlich sondern statt lieber bauen gebaut neubau sanieren sanierung umbau frau herr heisse
heiße nachname offerte schätzung geöffnet öffnungszeiten zertifizierungen firma
"""
)
ENGLISH_WORDS = word_set(
    """
i i'd i'm i've i'll me my mine you your yours we our us they their them he she his her it its it's the a
and or but not no yes yeah yep nope is are were be been being do does did don't doesn't have has had
would could should can can't won't shall may might must what which who whom whose when where why how
much many of to for with from by about at on into onto than then this that these those there here please
thanks thank hello hey good morning afternoon evening bye goodbye like want need would book booking
appointment meeting consultation cost costs price quote estimate house home building project status
progress next tomorrow today week monday tuesday wednesday thursday friday saturday sunday january
february march june july october december square meters metres feet size area timber wood wooden new my
last sure okay great perfect correct right exactly actually meant sorry instead rather just also too any
some all every know tell show let make get go going well
"""
)
# "am" is German in "am Freitag" but English in "I am": only counted after a pronoun.
_WORD = re.compile(r"[a-zäöüß']+")
# Addresses, and "name at domain" attempts in a contact list, are language-neutral.
_EMAIL_OR_URL = re.compile(
    r"\S+@\S+|https?://\S+|www\.\S+|(?:^|(?<=,))\s*[\w.-]+\s+(?:at|\(at\)|\[at\])\s+[\w.-]+\s*(?=,|$)"
)
_UMLAUT = re.compile(r"[äöüß]")


def detect_language(text: str, default: Language | str = Language.EN) -> Language:
    """``Language.DE`` or ``Language.EN`` when the vote is clear, otherwise ``default``."""
    fallback = Language(default) if default in ("de", "en") else Language.EN
    words = _WORD.findall(_EMAIL_OR_URL.sub(" ", text.lower()))
    if not words:
        return fallback
    de: float = sum(1 for w in words if w in GERMAN_WORDS)
    en = sum(1 for w in words if w in ENGLISH_WORDS)
    # "I am" is English; "am Freitag" is German and already won by the weekday.
    en += sum(1 for a, b in pairwise(words) if a == "i" and b == "am")
    # Umlauts only tip a sentence, never a lone word: "Müller" is a name, not a language.
    if len(words) >= 3 and _UMLAUT.search(text.lower()):
        de += 0.5
    if de == en or max(de, en) < 1:
        return fallback
    # A single stray word in a longer message of the other language must not flip it.
    if de > en:
        return Language.DE if de - en >= 1 or en == 0 else fallback
    return Language.EN if en - de >= 1 or de == 0 else fallback


__all__ = ["ENGLISH_WORDS", "GERMAN_WORDS", "detect_language"]
