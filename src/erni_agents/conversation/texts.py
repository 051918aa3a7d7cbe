"""Fixed texts the service itself says (greeting, refusals), in both languages."""

from __future__ import annotations

_GREETING = {
    "de": "Grüezi! Ich bin der digitale Assistent der ERNI Gruppe. Ich kann Ihnen eine erste "
    "Kostenschätzung geben, einen Beratungstermin buchen, den Stand Ihres Projekts nennen oder "
    "Fragen rund um den Holzbau beantworten. Wie kann ich helfen?",
    "en": "Hello! I am the digital assistant of ERNI Gruppe. I can give you a first cost estimate, "
    "book a consultation, tell you the status of your project or answer questions about timber "
    "construction. How can I help?",
}

_REFUSAL = {
    ("Relevance Guardrail", "de"): "Dabei kann ich leider nicht helfen. Ich bin für Fragen rund um "
    "ERNI und Ihr Bauprojekt da: Kostenschätzungen, Beratungstermine, Projektstatus und Fragen zum Holzbau.",
    ("Relevance Guardrail", "en"): "Sorry, I can't help with that. I'm here for questions about ERNI "
    "and your building project: cost estimates, consultations, project status and timber construction.",
    ("Jailbreak Guardrail", "de"): "Diese Anfrage kann ich nicht bearbeiten. Gerne helfe ich Ihnen "
    "mit Kostenschätzungen, Beratungsterminen, Ihrem Projektstatus oder Fragen zum Holzbau.",
    ("Jailbreak Guardrail", "en"): "I can't process that request. I'm happy to help with cost "
    "estimates, consultations, your project status or questions about timber construction.",
}


def greeting(language: str) -> str:
    return _GREETING.get(language, _GREETING["de"])


def refusal(guardrail: str, language: str) -> str:
    lang = language if language in ("de", "en") else "de"
    return _REFUSAL.get((guardrail, lang), _REFUSAL[("Relevance Guardrail", lang)])
