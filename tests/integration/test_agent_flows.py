"""Each agent's flow in German and English, driven through the conversation service with the local
engine, on SQLite and PostgreSQL. The phrasings are how customers write (typos, Swiss spellings,
lower case, "m2"/"qm"/"m²"), deliberately different from the shared evaluation dialogues.

Assertions are on effects: the agent that holds the conversation, handoffs and tool calls with
their arguments, the persisted context, database rows, the reply language and the numbers in the
reply. Today is Wednesday 25 November 2026, 10:00 Europe/Zurich (FIXED_NOW).
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from erni_agents.api.state import AppState
from erni_agents.conversation.service import TurnResult
from erni_agents.store.repositories import NewBooking

TRIAGE = "Triage Agent"
INFO = "Project Information Agent"
COST = "Cost Estimation Agent"
STATUS = "Project Status Agent"
BOOKING = "Appointment Booking Agent"
FAQ = "FAQ Agent"

ROOT = Path(__file__).resolve().parents[2]
PRICES = json.loads((ROOT / "src/erni_agents/data/pricing.json").read_text(encoding="utf-8"))["pricing"]
_spec = importlib.util.spec_from_file_location("run_dialogues", ROOT / "tests/data/run_dialogues.py")
assert _spec and _spec.loader
checker: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checker)

PHONE = "041 570 70 70"
NEXT_TUESDAY = date(2026, 12, 1)
NEXT_WEDNESDAY = date(2026, 12, 2)
FRIDAY = date(2026, 11, 27)  # "übermorgen"


def chf_range(project_type: str, construction_type: str, area: float) -> tuple[int, int]:
    """The range the business rule gives, computed here from pricing.json, not by the app."""
    low = area * PRICES[project_type][construction_type]
    return round(low), round(low * 1.25)


def digits(text: str) -> str:
    """Reply text with thousands separators removed ("CHF 450'000" -> "chf 450000")."""
    return str(checker.norm(text))


@dataclass
class Chat:
    state: AppState
    conversation_id: str = ""
    results: list[TurnResult] = field(default_factory=list)

    async def start(self) -> Chat:
        self.conversation_id = (await self.state.service.start()).conversation_id
        return self

    async def say(self, message: str) -> Turn:
        result = await self.state.service.turn(self.conversation_id, message)
        self.results.append(result)
        return Turn(result)


@dataclass
class Turn:
    result: TurnResult

    @property
    def agent(self) -> str:
        return self.result.current_agent

    @property
    def context(self) -> dict[str, Any]:
        return self.result.context

    @property
    def reply(self) -> str:
        return "\n".join(m["content"] for m in self.result.messages)

    @property
    def language(self) -> str:
        return str(checker.lang_of(self.reply))

    def calls(self, tool: str) -> list[dict[str, Any]]:
        return [
            e["metadata"]["tool_args"]
            for e in self.result.events
            if e["type"] == "tool_call" and e["content"] == tool
        ]

    def outputs(self) -> list[dict[str, Any]]:
        return [e["metadata"]["tool_result"] for e in self.result.events if e["type"] == "tool_output"]

    @property
    def handoffs(self) -> list[tuple[str, str]]:
        return [
            (e["metadata"]["source_agent"], e["metadata"]["target_agent"])
            for e in self.result.events
            if e["type"] == "handoff"
        ]

    @property
    def tripped(self) -> list[str]:
        return [g["name"] for g in self.result.guardrails if not g["passed"]]


async def chat(state: AppState) -> Chat:
    return await Chat(state).start()


def assert_estimate(turn: Turn, ptype: str, ctype: str, area: float) -> None:
    """One estimate call with these arguments, the range in the reply, the context filled."""
    assert turn.calls("estimate_project_cost") == [
        {"project_type": ptype, "area_sqm": area, "construction_type": ctype}
    ]
    low, high = chf_range(ptype, ctype, area)
    assert str(low) in digits(turn.reply) and str(high) in digits(turn.reply), turn.reply
    assert turn.context["project_type"] == ptype
    assert turn.context["construction_type"] == ctype
    assert turn.context["area_sqm"] == area
    assert turn.context["inquiry_id"] is not None


async def active_bookings(state: AppState) -> list[tuple[Any, str]]:
    return await state.repos.bookings(status="active")


async def occupy(state: AppState, specialist_type: str, day: date, hour: int) -> None:
    """Book every specialist of a type at one slot, as other customers would have."""
    start = datetime(day.year, day.month, day.day, hour - 1, tzinfo=UTC)  # winter: Zurich = UTC+1
    for i, specialist in enumerate(await state.repos.specialists(specialist_type)):
        booked = await state.repos.try_book(
            NewBooking(
                specialist_name=specialist.name,
                specialist_type=specialist_type,
                slot_start=start,
                slot_end=start + timedelta(hours=1),
                customer_name=f"Andere Kundin {i}",
                customer_email=f"andere{i}@example.ch",
                customer_phone="+41791112233",
                conversation_id=None,
            )
        )
        assert booked is not None


# --- Triage --------------------------------------------------------------------------------------


async def test_triage_greeting_de_stays_with_triage_and_offers_the_menu(state: AppState) -> None:
    c = await chat(state)
    turn = await c.say("Grüezi mitenand")
    assert turn.agent == TRIAGE
    assert not turn.handoffs
    assert turn.language == "de"
    assert "Kostenschätzung" in turn.reply and "Beratungstermin" in turn.reply


async def test_triage_greeting_en_replies_in_english(state: AppState) -> None:
    c = await chat(state)
    turn = await c.say("hey there, good morning")
    assert turn.agent == TRIAGE
    assert turn.language == "en"
    assert "cost estimate" in turn.reply


@pytest.mark.parametrize(
    ("message", "target"),
    [
        ("Was würde uns ein Holzhaus ungefähr kosten?", COST),
        ("i need an appointment with someone from ERNI", BOOKING),
        ("Wie weit ist unser Bau? Projektnummer 2024-201", STATUS),
        ("Do you have any apprenticeships for next summer?", FAQ),
        ("Wie läuft so ein Bauprojekt bei euch ab?", INFO),
    ],
)
async def test_triage_routes_each_task_to_its_agent(state: AppState, message: str, target: str) -> None:
    c = await chat(state)
    turn = await c.say(message)
    assert turn.handoffs[0] == (TRIAGE, target)
    assert turn.agent == target


async def test_the_next_message_goes_to_the_agent_that_last_spoke(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("how much is a new barn?")
    assert first.agent == COST
    second = await c.say("around 650 m2")
    assert second.agent == COST
    assert not second.handoffs  # no detour through triage
    assert second.context["area_sqm"] == 650.0


# --- Cost Estimation -------------------------------------------------------------------------------


async def test_cost_one_shot_de(state: AppState) -> None:
    c = await chat(state)
    turn = await c.say("Was kostet ein EFH mit 150 m2 in Holzbau?")
    assert turn.handoffs == [(TRIAGE, COST)]
    assert turn.agent == COST
    assert_estimate(turn, "Einfamilienhaus", "Holzbau", 150.0)
    assert "450'000" in turn.reply and "562'500" in turn.reply
    assert turn.language == "de"
    assert "vorläufig" in turn.reply.lower()


async def test_cost_one_shot_en_with_typos(state: AppState) -> None:
    c = await chat(state)
    turn = await c.say("waht would a singel famly house cost? 150 sqm, timbr")
    assert_estimate(turn, "Einfamilienhaus", "Holzbau", 150.0)
    assert turn.language == "en"
    assert "preliminary" in turn.reply.lower()


async def test_cost_estimate_is_stored_as_an_inquiry(state: AppState) -> None:
    c = await chat(state)
    turn = await c.say("Offerte für ein Mehrfamilienhaus, ca. 1'200 Quadratmeter, Systembauweise")
    assert_estimate(turn, "Mehrfamilienhaus", "Systembau", 1200.0)
    inquiries = await state.repos.inquiries()
    assert len(inquiries) == 1
    row = inquiries[0]
    assert row.id == turn.context["inquiry_id"]
    assert row.conversation_id == c.conversation_id
    assert (row.project_type, row.construction_type, row.area_sqm) == (
        "Mehrfamilienhaus",
        "Systembau",
        1200.0,
    )
    assert (row.min_chf, row.max_chf) == chf_range("Mehrfamilienhaus", "Systembau", 1200.0)


async def test_cost_slot_by_slot_en(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("hi, I'd like a price for a new building")
    assert first.agent == COST
    assert not first.calls("estimate_project_cost")
    assert "single-family" in first.reply  # asks for the project type
    second = await c.say("a barn for our cows")
    assert second.context["project_type"] == "Agrar"
    assert "square metres" in second.reply
    third = await c.say("about 800 square meters")
    assert third.context["area_sqm"] == 800.0
    assert not third.calls("estimate_project_cost")
    assert "timber" in third.reply.lower()
    fourth = await c.say("timber please")
    assert_estimate(fourth, "Agrar", "Holzbau", 800.0)
    assert fourth.language == "en"


async def test_cost_slot_by_slot_de_lowercase_and_qm(state: AppState) -> None:
    c = await chat(state)
    await c.say("ich hätte gerne eine kostenschätzung")
    await c.say("einfamilienhaus")
    turn = await c.say("ca. 120 qm")
    assert turn.context["area_sqm"] == 120.0
    assert "Holzbauweise" in turn.reply
    final = await c.say("systembau")
    assert_estimate(final, "Einfamilienhaus", "Systembau", 120.0)
    assert final.language == "de"


async def test_cost_bare_number_answers_the_area_question(state: AppState) -> None:
    c = await chat(state)
    await c.say("Kostenschätzung für eine Sanierung in Holzbau bitte")
    turn = await c.say("95")
    assert_estimate(turn, "Renovation", "Holzbau", 95.0)


async def test_cost_several_facts_in_one_message_with_budget_and_place(state: AppState) -> None:
    c = await chat(state)
    turn = await c.say(
        "Hi! We're planning a single-family home in Zug, around 180m2, timber frame, "
        "CHF 500k budget. What would it cost?"
    )
    assert_estimate(turn, "Einfamilienhaus", "Holzbau", 180.0)
    assert turn.context["budget_chf"] == 500_000
    assert turn.context["location"] == "Zug"


async def test_cost_correction_of_the_area_en(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("how much for a 160 m² single family house in timber?")
    assert_estimate(first, "Einfamilienhaus", "Holzbau", 160.0)
    second = await c.say("sorry, I meant 180 m²")
    assert_estimate(second, "Einfamilienhaus", "Holzbau", 180.0)
    assert "540'000" in second.reply and "675'000" in second.reply
    assert len(await state.repos.inquiries()) == 2


async def test_cost_correction_of_the_construction_type_de(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("Was kostet ein Mehrfamilienhaus mit 600 m² in Holzbau?")
    assert_estimate(first, "Mehrfamilienhaus", "Holzbau", 600.0)
    second = await c.say("nein, Systembau")
    assert_estimate(second, "Mehrfamilienhaus", "Systembau", 600.0)
    assert second.agent == COST


async def test_cost_correction_with_a_bare_number_before_the_estimate(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("cost for multi family home, 900 m2")
    assert first.context["area_sqm"] == 900.0
    second = await c.say("no wait, I meant 950")
    assert second.context["area_sqm"] == 950.0
    assert "950" in second.reply
    final = await c.say("system construction")
    assert_estimate(final, "Mehrfamilienhaus", "Systembau", 950.0)


async def test_cost_follow_up_with_another_area_de(state: AppState) -> None:
    c = await chat(state)
    await c.say("Was kostet ein Agrargebäude mit 400 m2 in Systembau?")
    turn = await c.say("Und mit 500 qm?")
    assert_estimate(turn, "Agrar", "Systembau", 500.0)


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("how much would a 5 m2 single family house in timber cost", "5 m²"),
        ("price for 200000 m2 agricultural building in timber", "200,000 m²"),
    ],
)
async def test_cost_area_out_of_range_en_is_explained_without_an_estimate(
    state: AppState, message: str, shown: str
) -> None:
    c = await chat(state)
    turn = await c.say(message)
    assert turn.agent == COST
    assert not turn.calls("estimate_project_cost")
    assert "CHF" not in turn.reply
    assert shown in turn.reply
    assert "10" in turn.reply and "100,000" in turn.reply
    assert turn.context["area_sqm"] is None
    assert turn.context["inquiry_id"] is None
    assert await state.repos.inquiries() == []


async def test_cost_area_out_of_range_de_then_a_valid_area(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("Was kostet eine Renovation von 200'000 Quadratmeter in Holzbau?")
    assert not first.calls("estimate_project_cost")
    assert "200'000 m²" in first.reply and "100'000" in first.reply
    assert first.language == "de"
    second = await c.say("oh, ich meinte 200 m2")
    assert_estimate(second, "Renovation", "Holzbau", 200.0)


async def test_cost_accepting_the_offer_hands_over_to_booking_for_an_architect(state: AppState) -> None:
    c = await chat(state)
    await c.say("Sanierung von einem alten Bauernhaus, 220 Quadratmeter, Systembau - was kostet das?")
    turn = await c.say("ja gerne")
    assert turn.handoffs == [(COST, BOOKING)]
    assert turn.agent == BOOKING
    assert turn.context["specialist_type"] == "Architekt"
    assert "Architekten" in turn.reply and "Tag" in turn.reply
    follow = await c.say("nächsten Mittwoch um 16 Uhr")
    assert follow.calls("check_specialist_availability") == [
        {"specialist_type": "Architekt", "preferred_date": NEXT_WEDNESDAY.isoformat()}
    ]
    assert follow.context["preferred_time"] == "16:00"


# --- Project Status --------------------------------------------------------------------------------


async def test_status_number_then_name_de(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("Wie ist der Stand von meinem Projekt 2024-156?")
    assert first.agent == STATUS
    assert not first.calls("get_project_status")
    assert "Nachname" in first.reply
    second = await c.say("Meier")
    assert second.calls("get_project_status") == [
        {"project_number": "2024-156", "customer_last_name": "Meier"}
    ]
    assert "75" in second.reply and "Tobias Wili" in second.reply
    assert "Produktion" in second.reply
    assert second.language == "de"


async def test_status_number_and_name_in_one_lowercase_message_de(state: AppState) -> None:
    c = await chat(state)
    turn = await c.say("wie weit ist unser haus? projektnr 2024-178, name frei")
    assert turn.calls("get_project_status") == [{"project_number": "2024-178", "customer_last_name": "frei"}]
    assert "85" in turn.reply and "Marco Kaiser" in turn.reply


async def test_status_en_name_first_then_number(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("Hi, this is Mrs Steiner, how is our renovation progressing?")
    assert first.agent == STATUS
    assert "project number" in first.reply
    second = await c.say("It's 2024-201")
    assert second.calls("get_project_status") == [
        {"project_number": "2024-201", "customer_last_name": "Steiner"}
    ]
    assert "60" in second.reply and "Wolfgang Reinsch" in second.reply
    assert second.language == "en"


async def test_status_wrong_name_reveals_nothing(state: AppState) -> None:
    c = await chat(state)
    wrong_name = await c.say("status of project 2024-089 please, my last name is Smith")
    unknown = await c.say("then try 2024-999, Smith")
    for turn in (wrong_name, unknown):
        assert turn.calls("get_project_status")
        assert turn.outputs()[-1]["ok"] is False
        # The answer must not tell whether the number exists, nor leak project data.
        for secret in ("Schongau", "Huber", "Planning", "40", "André Arnold", "exist"):
            assert secret not in turn.reply
    assert wrong_name.reply == unknown.reply
    assert unknown.context["status_failed_attempts"] == 2


async def test_status_five_failed_attempts_lock_and_give_the_phone_number(state: AppState) -> None:
    c = await chat(state)
    await c.say("Ich möchte den Stand von Projekt 2024-089 wissen")
    attempts = ["Müller", "Mueller", "2024-098, Huber", "nachname ist Hubert", "2024-089 Hueber"]
    turns = [await c.say(text) for text in attempts]
    assert all(t.calls("get_project_status") for t in turns), [t.reply for t in turns]
    assert turns[-1].context["status_failed_attempts"] == 5
    assert PHONE in turns[-1].reply
    assert all(PHONE not in t.reply for t in turns[:-1])
    # Even the right data is no longer checked.
    after = await c.say("2024-089, Huber")
    assert not after.calls("get_project_status")
    assert PHONE in after.reply
    assert "40" not in after.reply


async def test_status_verified_project_then_asks_about_the_building_process(state: AppState) -> None:
    c = await chat(state)
    await c.say("Project status 2023-234, surname Bucher")
    turn = await c.say("How long does the assembly on site take?")
    assert (STATUS, INFO) in turn.handoffs
    assert turn.agent == INFO
    assert turn.calls("faq_lookup")
    assert "erni-gruppe.ch" in turn.reply


# --- Appointment Booking -----------------------------------------------------------------------------


async def test_booking_en_next_tuesday_at_2pm_end_to_end(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("I'd like to book a meeting with an architect next Tuesday at 2pm")
    assert first.agent == BOOKING
    assert first.calls("check_specialist_availability") == [
        {"specialist_type": "Architekt", "preferred_date": NEXT_TUESDAY.isoformat()}
    ]
    assert first.context["preferred_time"] == "14:00"
    assert "Tuesday, 1 December 2026" in first.reply
    assert not await active_bookings(state)
    second = await c.say("John Smith, john.smith@example.com, 079 123 45 67")
    [args] = second.calls("book_consultation")
    assert args == {
        "specialist_type": "Architekt",
        "date": NEXT_TUESDAY.isoformat(),
        "time": "14:00",
        "customer_name": "John Smith",
        "customer_email": "john.smith@example.com",
        "customer_phone": "+41791234567",
    }
    assert second.context["consultation_booked"] is True
    reference = second.context["booking_reference"]
    assert reference and reference in second.reply
    [(booking, name)] = await active_bookings(state)
    assert booking.reference == reference
    assert name == second.context["specialist_assigned"]
    assert booking.customer_email == "john.smith@example.com"
    assert booking.slot_start.astimezone(UTC) == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    assert second.language == "en"


async def test_booking_de_naechsten_mittwoch_um_16_uhr_contact_one_by_one(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("Ich möchte einen Termin mit einem Holzbau-Ingenieur, nächsten Mittwoch um 16 Uhr")
    assert first.calls("check_specialist_availability") == [
        {"specialist_type": "Holzbau-Ingenieur", "preferred_date": NEXT_WEDNESDAY.isoformat()}
    ]
    assert first.context["preferred_time"] == "16:00"
    await c.say("Anna Müller")
    await c.say("anna.mueller@bluewin.ch")
    last = await c.say("078 555 12 34")
    [args] = last.calls("book_consultation")
    assert args["customer_name"] == "Anna Müller"
    assert args["customer_phone"] == "+41785551234"
    assert last.context["booking_reference"] in last.reply
    assert "Mittwoch, 2. Dezember 2026" in last.reply and "16:00" in last.reply
    assert last.language == "de"
    assert len(await active_bookings(state)) == 1


async def test_booking_uebermorgen_with_a_site_manager(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("termin mit dem bauleiter übermorgen")
    assert first.calls("check_specialist_availability") == [
        {"specialist_type": "Bauleiter", "preferred_date": FRIDAY.isoformat()}
    ]
    assert "09:00" in first.reply and "14:00" in first.reply and "16:00" in first.reply
    second = await c.say("9 uhr passt")
    assert second.context["preferred_time"] == "09:00"
    assert "E-Mail" in second.reply


async def test_booking_weekend_is_refused_with_alternatives_en(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("can I meet an architect on saturday?")
    [out] = first.outputs()
    assert out["ok"] is False and out["reason"] == "weekend"
    assert "weekend" in first.reply and "Monday, 30 November 2026" in first.reply
    assert not first.calls("book_consultation")
    second = await c.say("ok monday then, 14:00")
    assert second.calls("check_specialist_availability") == [
        {"specialist_type": "Architekt", "preferred_date": "2026-11-30"}
    ]
    assert second.context["preferred_time"] == "14:00"


async def test_booking_holiday_is_refused_in_german_with_the_german_holiday_name(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("Beratung mit Architekt am 25.12. um 9 Uhr")
    assert first.outputs()[-1]["reason"] == "holiday"
    assert "Feiertag" in first.reply and "Weihnachten" in first.reply
    assert "Montag, 28. Dezember 2026" in first.reply  # the next working day is offered
    second = await c.say("dann am 28.12.")
    assert second.calls("check_specialist_availability") == [
        {"specialist_type": "Architekt", "preferred_date": "2026-12-28"}
    ]
    assert "ist frei" in second.reply


@pytest.mark.parametrize(
    ("message", "lang", "words"),
    [
        ("book an engineer for yesterday at 9", "en", "in the past"),
        (
            "Ich hätte gern gestern einen Termin beim Architekten gehabt, geht das noch?",
            "de",
            "Vergangenheit",
        ),
    ],
)
async def test_booking_past_date_is_refused_with_an_alternative(
    state: AppState, message: str, lang: str, words: str
) -> None:
    c = await chat(state)
    turn = await c.say(message)
    assert turn.agent == BOOKING
    [args] = turn.calls("check_specialist_availability")
    assert args["preferred_date"] == "2026-11-24"
    assert turn.outputs()[-1]["reason"] == "past"
    assert words in turn.reply
    assert "2026" in turn.reply.split(words, 1)[1]  # an alternative day follows
    assert turn.language == lang
    assert not await active_bookings(state)


async def test_booking_full_slot_offers_the_other_free_slots_of_that_day(state: AppState) -> None:
    await occupy(state, "Architekt", NEXT_TUESDAY, 14)
    c = await chat(state)
    turn = await c.say("Termin mit einem Architekten am nächsten Dienstag um 14 Uhr bitte")
    [out] = turn.outputs()
    assert out["free_slots"] == ["09:00", "16:00"]
    assert "14:00" in turn.reply and "09:00" in turn.reply and "16:00" in turn.reply
    assert "E-Mail" not in turn.reply  # it does not ask for contact data for a taken slot
    pick = await c.say("dann um 16 Uhr")
    assert pick.context["preferred_time"] == "16:00"
    done = await c.say("Beat Brunner, beat.brunner@gmx.ch, 041 123 45 67")
    [args] = done.calls("book_consultation")
    assert args["time"] == "16:00"
    assert done.context["consultation_booked"] is True
    assert len(await active_bookings(state)) == 3


async def test_booking_fully_booked_day_offers_other_days_en(state: AppState) -> None:
    for hour in (9, 14, 16):
        await occupy(state, "Bauleiter", NEXT_TUESDAY, hour)
    c = await chat(state)
    turn = await c.say("Can I see a construction manager next Tuesday?")
    assert turn.outputs()[-1]["free_slots"] == []
    assert "no free slot" in turn.reply
    assert "Wednesday, 2 December 2026" in turn.reply


async def test_booking_invalid_email_and_short_phone_are_asked_again_nothing_booked(state: AppState) -> None:
    c = await chat(state)
    await c.say("I need a construction manager on the 3rd of december at 9am")
    bad = await c.say("Lisa Meyer, lisa.meyer@gmail, 12345")
    assert not bad.calls("book_consultation")
    assert "e-mail" in bad.reply and "phone" in bad.reply
    assert "valid" in bad.reply
    assert bad.context["customer_email"] is None and bad.context["customer_phone"] is None
    assert bad.context["customer_name"] == "Lisa Meyer"
    assert not await active_bookings(state)
    still_bad = await c.say("lisa.meyer@gmail.com, phone 12345")
    assert not still_bad.calls("book_consultation")
    assert still_bad.context["customer_email"] == "lisa.meyer@gmail.com"
    assert "phone" in still_bad.reply and "valid" in still_bad.reply
    assert not await active_bookings(state)
    good = await c.say("sorry, +41 79 999 88 77")
    [args] = good.calls("book_consultation")
    assert args["customer_phone"] == "+41799998877"
    assert len(await active_bookings(state)) == 1


async def test_booking_invalid_contact_de_is_asked_again(state: AppState) -> None:
    c = await chat(state)
    await c.say("Termin beim Architekt am Montag 14 Uhr")
    bad = await c.say("Max Muster, max@muster, 044 12")
    assert not bad.calls("book_consultation")
    assert "ungültig" in bad.reply and "E-Mail-Adresse" in bad.reply and "Telefonnummer" in bad.reply
    assert bad.language == "de"
    good = await c.say("max@muster.ch und 044 123 45 67")
    [args] = good.calls("book_consultation")
    assert args["customer_email"] == "max@muster.ch"
    assert args["customer_phone"] == "+41441234567"
    assert args["date"] == "2026-11-30"


async def test_booking_links_the_contact_data_to_an_earlier_estimate(state: AppState) -> None:
    c = await chat(state)
    await c.say("What does a 140 m2 timber single-family house cost?")
    await c.say("yes please")
    await c.say("Thursday next week at 9")
    done = await c.say("my name is Peter Brown, email peter@brown.co.uk, phone +44 20 7946 0958")
    assert done.context["consultation_booked"] is True
    [inquiry] = await state.repos.inquiries()
    assert inquiry.customer_email == "peter@brown.co.uk"
    assert inquiry.customer_phone == "+442079460958"


# --- FAQ and Project Information ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "lang", "facts"),
    [
        ("wie sind eure öffnungszeiten?", "de", ["07:30", "Freitag"]),
        ("what are your opening hours on friday?", "en", ["07:30", "Friday"]),
        ("Habt ihr offene Lehrstellen?", "de", ["Lernende"]),
        ("where is your office?", "en", ["Guggibadstrasse 8", "Schongau"]),
        ("Welche Zertifizierungen habt ihr?", "de", ["Minergie", "Holzbau Plus"]),
        ("what's your phone number?", "en", [PHONE]),
    ],
)
async def test_faq_answers_with_erni_links(
    state: AppState, message: str, lang: str, facts: list[str]
) -> None:
    c = await chat(state)
    turn = await c.say(message)
    assert turn.agent == FAQ
    assert turn.calls("faq_lookup") == [{"question": message}]
    links = re.findall(r"https://www\.erni-gruppe\.ch\S*", turn.reply)
    assert 1 <= len(links) <= 3
    for fact in facts:
        assert fact in turn.reply
    assert turn.language == lang


@pytest.mark.parametrize(
    ("message", "lang", "fact"),
    [
        ("Wie läuft ein Bauprojekt mit ERNI ab?", "de", "Montage"),
        ("why should I build with wood?", "en", "renewable"),
        ("how long does it take to build a house with you?", "en", "weeks"),
    ],
)
async def test_project_information_answers_with_links(
    state: AppState, message: str, lang: str, fact: str
) -> None:
    c = await chat(state)
    turn = await c.say(message)
    assert turn.agent == INFO
    assert turn.calls("faq_lookup")
    assert "https://www.erni-gruppe.ch" in turn.reply
    assert fact in turn.reply
    assert turn.language == lang


async def test_project_information_hands_over_to_cost_estimation_de(state: AppState) -> None:
    c = await chat(state)
    await c.say("Wie läuft ein Bauprojekt mit ERNI ab?")
    ask = await c.say("und was würde so ein haus kosten?")
    assert ask.handoffs == [(INFO, COST)]
    assert ask.agent == COST
    final = await c.say("Einfamilienhaus 140m2 holzbau")
    assert_estimate(final, "Einfamilienhaus", "Holzbau", 140.0)


async def test_project_information_hands_over_to_cost_estimation_en_one_shot(state: AppState) -> None:
    c = await chat(state)
    await c.say("why should I build with wood?")
    turn = await c.say("great, how much would a 200 m2 single family home in timber cost?")
    assert turn.handoffs == [(INFO, COST)]
    assert_estimate(turn, "Einfamilienhaus", "Holzbau", 200.0)


# --- Topic switches and language --------------------------------------------------------------------


async def test_topic_switch_mid_cost_flow_and_back_de(state: AppState) -> None:
    c = await chat(state)
    await c.say("Ich plane ein Einfamilienhaus und möchte wissen was das kostet")
    await c.say("ca. 160 m2")
    detour = await c.say("wie sind eure Öffnungszeiten?")
    assert detour.agent == FAQ
    assert "07:30" in detour.reply
    assert detour.context["area_sqm"] == 160.0  # nothing forgotten
    assert "Holzbauweise" in detour.reply  # and the open question is asked again
    back = await c.say("ok, dann Holzbau bitte")
    assert back.agent == COST
    assert not back.calls("faq_lookup")
    assert_estimate(back, "Einfamilienhaus", "Holzbau", 160.0)


async def test_topic_switch_mid_cost_flow_and_back_en(state: AppState) -> None:
    c = await chat(state)
    await c.say("quote for a barn please")
    detour = await c.say("btw do you guys have the minergie label?")
    assert detour.agent == FAQ
    assert "Minergie" in detour.reply
    back = await c.say("ok, back to the barn: 400 sqm, system construction")
    assert back.agent == COST
    assert_estimate(back, "Agrar", "Systembau", 400.0)


async def test_topic_switch_mid_booking_to_cost_and_back(state: AppState) -> None:
    c = await chat(state)
    await c.say("I want to meet an architect")
    await c.say("next Friday please")
    detour = await c.say("btw, how much does a 120 m2 renovation in timber cost?")
    assert detour.agent == COST
    assert_estimate(detour, "Renovation", "Holzbau", 120.0)
    back = await c.say("ok, let's do 9am on friday then")
    assert back.agent == BOOKING
    assert back.context["preferred_date"] == FRIDAY.isoformat()
    assert back.context["preferred_time"] == "09:00"
    done = await c.say("Sandra Keller, sandra.keller@sunrise.ch, 076 444 33 22")
    [args] = done.calls("book_consultation")
    assert (args["date"], args["time"], args["specialist_type"]) == (FRIDAY.isoformat(), "09:00", "Architekt")


async def test_topic_switch_mid_booking_to_faq_and_back_de(state: AppState) -> None:
    c = await chat(state)
    await c.say("Ich brauche einen Termin mit einem Bauleiter")
    detour = await c.say("Wo seid ihr eigentlich genau?")
    assert detour.agent == FAQ
    assert "Guggibadstrasse" in detour.reply
    back = await c.say("Donnerstag, 3.12. um 14 Uhr")
    assert back.agent == BOOKING
    assert back.calls("check_specialist_availability") == [
        {"specialist_type": "Bauleiter", "preferred_date": "2026-12-03"}
    ]
    assert back.context["preferred_time"] == "14:00"


async def test_language_switch_mid_cost_flow(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("Grüezi, ich möchte eine Kostenschätzung")
    assert first.language == "de"
    second = await c.say("Sorry, do you speak English? It's a multi-family house with 600 square metres")
    assert second.context["language"] == "en"
    assert second.language == "en"
    assert second.context["area_sqm"] == 600.0
    final = await c.say("timber")
    assert final.language == "en"
    assert_estimate(final, "Mehrfamilienhaus", "Holzbau", 600.0)


async def test_language_switch_mid_booking_from_german_to_english(state: AppState) -> None:
    c = await chat(state)
    first = await c.say("Termin mit Architekt bitte")
    assert first.language == "de"
    second = await c.say("Actually can we continue in English? Thursday next week at 4pm works for me")
    assert second.language == "en"
    assert second.calls("check_specialist_availability") == [
        {"specialist_type": "Architekt", "preferred_date": "2026-12-03"}
    ]
    assert "Thursday, 3 December 2026" in second.reply


async def test_short_answers_keep_the_conversation_language(state: AppState) -> None:
    c = await chat(state)
    await c.say("Bitte einen Termin mit dem Holzbauingenieur am Freitag")
    turn = await c.say("14:00")
    assert turn.context["language"] == "de"
    assert turn.language == "de"
    assert "Telefonnummer" in turn.reply
