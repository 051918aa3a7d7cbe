"""The local engine's answers, rendered from context and tool results in the customer's language."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from erni_agents.domain.pricing import MIN_AREA_SQM as MIN_AREA
from erni_agents.llm.local.phrases import (
    CONSTRUCTION_NAMES,
    PHONE,
    PROJECT_TYPE_NAMES,
    PROJECT_TYPE_WITH_ARTICLE,
    SPECIALIST_NAMES,
    STAGE_NAMES,
    area_text,
    chf,
    day_text,
    join,
    t,
)

# Marks the consultation offer after an estimate, so that a plain "yes" can be understood.
OFFER_MARK = "🗓"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def menu(lang: str, *, greeting: bool) -> str:
    hello = t(lang, "Grüezi! ", "Hello! ") if greeting else ""
    return hello + t(
        lang,
        "Ich helfe Ihnen gerne bei einer ersten Kostenschätzung, einem Beratungstermin, dem Stand "
        "Ihres Projekts oder Fragen rund um den Holzbau mit ERNI. Worum geht es?",
        "I can help you with a first cost estimate, a consultation, the status of your project or "
        "questions about building in timber with ERNI. What can I do for you?",
    )


def youre_welcome(lang: str) -> str:
    return t(
        lang,
        "Gern geschehen! Kann ich sonst noch etwas für Sie tun?",
        "You're welcome! Is there anything else I can do for you?",
    )


# --- cost -------------------------------------------------------------------------------------
def ask_cost_slot(lang: str, slot: str, ctx: dict[str, str]) -> str:
    known = []
    if ctx.get("project_type"):
        known.append(PROJECT_TYPE_NAMES[lang].get(ctx["project_type"], ctx["project_type"]))
    if ctx.get("area_sqm"):
        known.append(f"{float(ctx['area_sqm']):g} m²")
    if ctx.get("construction_type"):
        known.append(CONSTRUCTION_NAMES[lang].get(ctx["construction_type"], ctx["construction_type"]))
    prefix = t(lang, "Notiert: {k}. ", "Noted: {k}. ", k=", ".join(known)) if known else ""
    if slot == "project_type":
        question = t(
            lang,
            "Gerne erstelle ich Ihnen eine erste Kostenschätzung. Um welche Art von Projekt geht es: "
            "Einfamilienhaus, Mehrfamilienhaus, Agrargebäude oder Renovation?",
            "I'd be glad to prepare a first cost estimate. What kind of project is it: a single-family "
            "house, a multi-family house, an agricultural building or a renovation?",
        )
    elif slot == "area_sqm":
        question = t(
            lang,
            "Wie gross ist die geplante Fläche ungefähr in Quadratmetern (m²)?",
            "Roughly how large is the planned floor area in square metres (m²)?",
        )
    else:
        question = t(
            lang,
            "Soll in Holzbauweise oder in Systembauweise gebaut werden?",
            "Would you like timber construction (Holzbau) or system construction (Systembau)?",
        )
    return prefix + question


_AREA_NOTE_RX = re.compile(r"area_sqm (-?[\d.]+(?:e[+-]?\d+)?)")


def resume_cost(lang: str, slot: str) -> str:
    return t(
        lang, "\n\nZurück zu Ihrer Kostenschätzung: ", "\n\nBack to your cost estimate: "
    ) + ask_cost_slot(lang, slot, {})


def invalid_area(lang: str, note: str) -> str:
    m = _AREA_NOTE_RX.search(note)
    value = float(m.group(1)) if m else None
    if value is None:
        said = ""
    elif value <= 0:
        said = t(
            lang,
            "Eine Fläche von {v} m² ist nicht möglich. ",
            "An area of {v} m² is not possible. ",
            v=area_text(value, lang),
        )
    elif value < MIN_AREA:
        said = t(
            lang,
            "{v} m² ist zu klein für eine Schätzung. ",
            "{v} m² is too small for an estimate. ",
            v=area_text(value, lang),
        )
    else:
        said = t(
            lang,
            "{v} m² ist zu gross für eine Schätzung. ",
            "{v} m² is too large for an estimate. ",
            v=area_text(value, lang),
        )
    return said + t(
        lang,
        "Ich kann nur Flächen zwischen 10 und 100'000 m² berechnen. Wie viele Quadratmeter sind geplant?",
        "I can only estimate areas between 10 and 100,000 m². How many square metres are you planning?",
    )


def estimate(lang: str, out: dict[str, Any], *, repeat: bool = False) -> str:
    if not out.get("ok"):
        if out.get("error") == "invalid_area":
            return invalid_area(lang, f"area_sqm {out.get('area_sqm')}")
        return t(
            lang,
            "Dafür kann ich leider keine Schätzung erstellen. Bitte nennen Sie Projektart, "
            "Fläche und Bauweise.",
            "I can't estimate that. Please tell me the project type, the area and the construction type.",
        )
    ptype = PROJECT_TYPE_WITH_ARTICLE[lang].get(out["project_type"], out["project_type"])
    ctype = CONSTRUCTION_NAMES[lang].get(out["construction_type"], out["construction_type"])
    area = f"{float(out['area_sqm']):g}"
    low, high, per = chf(out["min_chf"]), chf(out["max_chf"]), chf(out["price_per_sqm"])
    text = t(
        lang,
        "Vorläufige Kostenschätzung für {ptype} mit {area} m² in {ctype}: {low} bis {high} "
        "(Richtwert {per} pro m²). Das ist eine unverbindliche, vorläufige Schätzung; die effektiven "
        "Kosten hängen von Standort, Materialien und Ihren Anforderungen ab.",
        "Preliminary cost estimate for {ptype} of {area} m² in {ctype}: {low} to {high} "
        "(guide value {per} per m²). This is a preliminary, non-binding estimate; actual costs depend "
        "on location, materials and your requirements.",
        ptype=ptype,
        area=area,
        ctype=ctype,
        low=low,
        high=high,
        per=per,
    )
    offer = t(
        lang,
        " {m} Möchten Sie einen Beratungstermin mit einem Architekten vereinbaren?",
        " {m} Would you like to book a consultation with an architect?",
        m=OFFER_MARK,
    )
    return text + offer


# --- status -----------------------------------------------------------------------------------
def ask_status_data(lang: str, *, has_number: bool, has_name: bool) -> str:
    if not has_number and not has_name:
        return t(
            lang,
            "Gerne prüfe ich den Stand Ihres Projekts. Bitte nennen Sie mir Ihre Projektnummer "
            "(z. B. 2024-123) und Ihren Nachnamen.",
            "I'd be happy to check your project. Please give "
            "me your project number (e.g. 2024-123) and your last name.",
        )
    if not has_name:
        return t(
            lang,
            "Danke. Zur Sicherheit: Wie lautet Ihr Nachname?",
            "Thank you. For your security, what is your last name?",
        )
    return t(
        lang,
        "Danke. Wie lautet Ihre Projektnummer (Format JJJJ-NNN, z. B. 2024-123)?",
        "Thank you. What is your project number (format YYYY-NNN, e.g. 2024-123)?",
    )


def project_status(lang: str, out: dict[str, Any]) -> str:
    completion = _day(out.get("estimated_completion"))
    milestone_day = _day(out.get("next_milestone_date"))
    milestone = out.get("next_milestone") or ""
    if milestone_day:
        milestone = f"{milestone} ({day_text(milestone_day, lang)})"
    return t(
        lang,
        "Projekt {n} ({ptype}, {loc}): Phase {stage}, Fortschritt {p} %. Projektleiter: {m}. "
        "Nächster Meilenstein: {ms}. Voraussichtliche Fertigstellung: {done}.",
        "Project {n} ({ptype}, {loc}): stage {stage}, {p}% complete. Project manager: {m}. "
        "Next milestone: {ms}. Estimated completion: {done}.",
        n=out.get("project_number"),
        ptype=PROJECT_TYPE_NAMES[lang].get(out.get("project_type", ""), ""),
        loc=out.get("location"),
        stage=STAGE_NAMES[lang].get(str(out.get("stage")), out.get("stage")),
        p=out.get("progress_percent"),
        m=out.get("project_manager"),
        ms=milestone,
        done=day_text(completion, lang) if completion else "-",
    )


def status_check_again(lang: str) -> str:
    return t(
        lang,
        "Mit diesen Angaben kann ich leider kein Projekt bestätigen. Bitte prüfen Sie "
        "Projektnummer und Nachnamen: Wie lauten sie genau?",
        "I'm sorry, I couldn't verify a project with these details. Please check them: what are "
        "the exact project number and last name?",
    )


def status_locked(lang: str) -> str:
    return t(
        lang,
        "Aus Sicherheitsgründen kann ich keine weiteren Prüfungen durchführen. Bitte rufen "
        "Sie uns an: {p} (Mo–Fr).",
        "For security reasons I can't run any more checks. Please call us on {p} (Mon–Fri).",
        p=PHONE,
    )


def status_result(lang: str, out: dict[str, Any]) -> str:
    if out.get("ok"):
        return project_status(lang, out)
    if out.get("error") == "too_many_attempts":
        return status_locked(lang)
    return status_check_again(lang)


# --- knowledge --------------------------------------------------------------------------------
def faq(lang: str, out: dict[str, Any]) -> str:
    if not out.get("ok"):
        return t(
            lang,
            "Dazu habe ich leider keine gesicherte Information. Unser Team hilft Ihnen gerne "
            "weiter: {p} oder https://www.erni-gruppe.ch/kontakt",
            "I'm afraid I don't have reliable information on that. Our team is happy to help: "
            "{p} or https://www.erni-gruppe.ch/kontakt",
            p=PHONE,
        )
    links = list(out.get("links") or [])[:3]
    more = t(lang, "\n\nMehr dazu: {l}", "\n\nMore: {l}", l=" · ".join(links)) if links else ""
    return str(out.get("answer", "")) + more


# --- booking ----------------------------------------------------------------------------------
def ask_specialist(lang: str) -> str:
    return t(
        lang,
        "Gerne vereinbare ich einen Beratungstermin. Mit wem möchten Sie sprechen: "
        "Architekt, Holzbau-Ingenieur oder Bauleiter?",
        "I'd be glad to book a consultation. Who "
        "would you like to meet: an architect, a timber engineer or a construction manager?",
    )


def ask_date(lang: str, specialist: str) -> str:
    who = SPECIALIST_NAMES[lang].get(specialist, specialist)
    return t(
        lang,
        "Gerne, ein Termin mit {w}. An welchem Tag passt es Ihnen? Beratungen finden "
        "Montag bis Freitag um 09:00, 14:00 oder 16:00 Uhr statt.",
        "Sure, a meeting with {w}. "
        "Which day suits you? Consultations take place Monday to Friday at 09:00, 14:00 or 16:00.",
        w=who,
    )


def resume_booking(lang: str, ctx: dict[str, str]) -> str:
    if not ctx.get("specialist_type"):
        question = ask_specialist(lang)
    elif not ctx.get("preferred_date"):
        question = t(lang, "An welchem Tag passt es Ihnen?", "Which day suits you?")
    elif not ctx.get("preferred_time"):
        question = t(lang, "Welche Zeit passt Ihnen?", "Which time suits you?")
    else:
        question = t(
            lang,
            "Sollen wir mit der Buchung weitermachen?",
            "Shall we go on with the booking?",
        )
    return t(lang, "\n\nZurück zu Ihrem Termin: ", "\n\nBack to your appointment: ") + question


def _alternatives(lang: str, out: dict[str, Any]) -> str:
    options = []
    for alt in out.get("alternatives") or []:
        day = _day(alt.get("date"))
        if day:
            options.append(f"{day_text(day, lang)}: {', '.join(alt.get('free_slots') or [])}")
    if not options:
        return ""
    return t(
        lang,
        " Freie Termine gibt es z. B. am {o}.",
        " Free slots are available e.g. on {o}.",
        o="; ".join(options),
    )


def availability(lang: str, out: dict[str, Any], ctx: dict[str, str]) -> str:
    if not out.get("ok"):
        reason = out.get("reason")
        day = _day(out.get("date"))
        when = day_text(day, lang) if day else out.get("date", "")
        if reason == "weekend":
            why = t(
                lang,
                "{d} ist ein Wochenende; Termine gibt es Montag bis Freitag.",
                "{d} is a weekend; consultations take place Monday to Friday.",
                d=when,
            )
        elif reason == "holiday":
            why = t(
                lang,
                "{d} ist ein Feiertag ({h}).",
                "{d} is a public holiday ({h}).",
                d=when,
                h=out.get("holiday") or "",
            )
        elif reason == "past":
            why = t(lang, "{d} liegt in der Vergangenheit.", "{d} is in the past.", d=when)
        elif out.get("error") == "date_not_bookable":
            why = t(lang, "{d} liegt zu weit in der Zukunft.", "{d} is too far ahead.", d=when)
        else:
            why = t(lang, "Das Datum habe ich nicht verstanden.", "I didn't understand the date.")
        return why + _alternatives(lang, out) + t(lang, " Welcher Tag passt Ihnen?", " Which day suits you?")
    day = _day(out.get("date"))
    when = day_text(day, lang) if day else str(out.get("date"))
    free = list(out.get("free_slots") or [])
    if not free:
        return (
            t(
                lang,
                "Am {d} ist leider kein Termin mehr frei.",
                "Unfortunately there is no free slot on {d}.",
                d=when,
            )
            + _alternatives(lang, out)
            + t(lang, " Welcher Tag passt Ihnen?", " Which day suits you?")
        )
    slots = join(free, lang)
    wanted = ctx.get("preferred_time")
    if wanted and wanted not in free:
        return t(
            lang,
            "Um {w} Uhr ist am {d} leider nichts mehr frei. Freie Zeiten: {s}. Welche Zeit passt Ihnen?",
            "{w} is already taken on {d}. Free times: {s}. Which time suits you?",
            w=wanted,
            d=when,
            s=slots,
        )
    return t(
        lang,
        "Am {d} sind folgende Zeiten frei: {s} (je 1 Stunde, Guggibadstrasse 8, Schongau). "
        "Welche Zeit passt Ihnen?",
        "On {d} these times are free: {s} (one hour each, at "
        "Guggibadstrasse 8, Schongau). Which time suits you?",
        d=when,
        s=slots,
    )


_FIELD_NAMES = {
    "de": {
        "customer_name": "Ihren Namen",
        "customer_email": "Ihre E-Mail-Adresse",
        "customer_phone": "Ihre Telefonnummer",
    },
    "en": {
        "customer_name": "your name",
        "customer_email": "your e-mail address",
        "customer_phone": "your phone number",
    },
}


def ask_contact(lang: str, missing: list[str], notes: list[str], ctx: dict[str, str]) -> str:
    day = _day(ctx.get("preferred_date"))
    when = f"{day_text(day, lang)}, {ctx.get('preferred_time')}" if day else ctx.get("preferred_time", "")
    invalid = [n.split(" ", 1)[0] for n in notes]
    parts = []
    if invalid:
        fields = join([_FIELD_NAMES[lang][f] for f in invalid if f in _FIELD_NAMES[lang]], lang)
        parts.append(
            t(
                lang,
                "Leider ist {f} ungültig. Bitte prüfen Sie die Angabe.",
                "Unfortunately {f} doesn't look valid. Please check it.",
                f=fields,
            )
        )
    still = [f for f in missing if f not in invalid]
    ask = [*invalid, *still]
    if not invalid:
        parts.append(t(lang, "Der Termin am {w} ist frei.", "The slot on {w} is available.", w=when))
    parts.append(
        t(
            lang,
            "Bitte nennen Sie mir {f}, damit ich den Termin verbindlich buchen kann.",
            "Please give me {f} so that I can book the appointment.",
            f=join([_FIELD_NAMES[lang][f] for f in dict.fromkeys(ask)], lang),
        )
    )
    return " ".join(parts)


def booking_result(lang: str, out: dict[str, Any], ctx: dict[str, str]) -> str:
    if out.get("ok"):
        day = _day(out.get("date"))
        return t(
            lang,
            "Ihr Termin ist gebucht: {d} um {time} Uhr mit {who} ({role}), ERNI Gruppe, {loc}. "
            "Ihre Buchungsnummer: {ref}. Wir freuen uns auf Sie, {name}!",
            "Your consultation is booked: {d} at {time} with {who} ({role}), ERNI Gruppe, {loc}. "
            "Your booking reference: {ref}. We look forward to meeting you, {name}!",
            d=day_text(day, lang) if day else out.get("date"),
            time=out.get("time"),
            who=out.get("specialist"),
            role=out.get("specialist_type"),
            loc=out.get("location"),
            ref=out.get("reference"),
            name=out.get("customer_name"),
        )
    error = out.get("error")
    if error == "invalid_contact":
        fields = [f"customer_{name}" for name in (out.get("fields") or {})]
        return ask_contact(lang, fields, [f"{f} rejected" for f in fields], ctx)
    if error == "slot_taken":
        return availability(
            lang,
            {
                "ok": True,
                "date": out.get("date"),
                "free_slots": out.get("free_slots"),
                "alternatives": out.get("alternatives"),
            },
            ctx,
        )
    return availability(lang, out, ctx)


def already_booked(lang: str, ctx: dict[str, str]) -> str:
    day = _day(ctx.get("preferred_date"))
    return t(
        lang,
        "Ihr Termin am {d} um {time} Uhr mit {who} ist gebucht (Nummer {ref}). Kann ich sonst noch helfen?",
        "Your consultation on {d} at {time} with {who} is booked (reference {ref}). "
        "Can I help with anything else?",
        d=day_text(day, lang) if day else "",
        time=ctx.get("preferred_time"),
        who=ctx.get("specialist_assigned"),
        ref=ctx.get("booking_reference"),
    )
