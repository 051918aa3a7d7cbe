"""The part of a long message that carries its request.

A long message is mostly context ("we inherited my parents' farm last spring, the barn is
empty…") and ends with what the writer wants. Judged as a whole, a building backstory makes any
final question look on-topic ("…what should I name the twins?"). The Relevance Guardrail
therefore also scores the final question on its own (`final_request`) and takes the higher of
the two off-topic logits, with the part's logit lowered by `FINAL_REQUEST_OFFSET` so that a short
question that only makes sense with its story ("Is that possible?") does not trip on its own.

Training calibrates the relevance threshold with the same rule (`train.relevance_scores`), so
the dev set's false-positive budget already includes it, and records both constants in the
artifact's meta.json; inference reads them from there, so a changed constant takes effect only
with the rebuilt artifact whose threshold was calibrated for it.
"""

from __future__ import annotations

import re

# Below this many words a message is judged whole: there is no separate story to discount.
MIN_WORDS = 15
# Logits subtracted from the final part's off-topic logit before it competes with the whole
# message's. Chosen on the leave-one-author-out stand-in (docs/GUARDRAILS.md, round 6).
FINAL_REQUEST_OFFSET = 2.0

# Sentence ends: . ! ? … followed by space, or line breaks.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")


def final_request(text: str, min_words: int = MIN_WORDS) -> str | None:
    """The last sentence with a question mark, else the last sentence, of a message of at least
    `min_words` words and two sentences; None for shorter or single-sentence messages."""
    if len(text.split()) < min_words:
        return None
    parts = [p for p in (s.strip() for s in _SENTENCE_END.split(text.strip())) if p]
    if len(parts) < 2:
        return None
    questions = [p for p in parts if "?" in p]
    return questions[-1] if questions else parts[-1]


def combine(whole: float, part: float | None, offset: float = FINAL_REQUEST_OFFSET) -> float:
    """Off-topic logit of a message from its whole-message and final-part logits."""
    return whole if part is None else max(whole, part - offset)
