"""One turn of a conversation: lock, load state, track slots, run the agent graph, persist, report."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import openai
import structlog
from agents import (
    InputGuardrailTripwireTriggered,
    RunConfig,
    RunHooks,
    Runner,
)
from agents.stream_events import RawResponsesStreamEvent, RunItemStreamEvent

from erni_agents.agents.context import AgentRunContext, ConversationContext
from erni_agents.agents.deps import AgentDeps, load_knowledge
from erni_agents.agents.graph import TRIAGE, AgentGraph
from erni_agents.conversation import texts
from erni_agents.conversation.events import event_from_item, event_from_row, new_event, now_iso
from erni_agents.conversation.history import HistoryCache
from erni_agents.conversation.locks import LockStore
from erni_agents.conversation.redaction import PII_GUARDRAIL, OutputRedactor, StreamRedactor
from erni_agents.conversation.tracker import track
from erni_agents.conversation.transcript import transcript
from erni_agents.llm.local.nlu import detect_language
from erni_agents.ops import metrics
from erni_agents.ops.logging import bind_conversation
from erni_agents.store.session import TurnSession

log = structlog.get_logger(__name__)


class ConversationNotFound(LookupError):
    """The conversation id is unknown (ids are only ever created by the server)."""


@dataclass
class TurnResult:
    conversation_id: str
    current_agent: str
    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]
    context: dict[str, Any]
    guardrails: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Turn:
    """What one turn works on between loading and saving."""

    conversation_id: str
    agent_name: str
    run: AgentRunContext
    before: dict[str, Any]
    session: TurnSession
    redactor: OutputRedactor
    redacted: set[str] = field(default_factory=set)

    def redact_message(self, event: dict[str, Any]) -> None:
        """The PII Guardrail on one message event, once (streaming redacts before the end)."""
        if event["type"] == "message" and event["id"] not in self.redacted:
            event["content"] = self.redactor.redact(event["content"])
            self.redacted.add(event["id"])


@dataclass
class ConversationService:
    graph: AgentGraph
    deps: AgentDeps
    locks: LockStore
    run_config: RunConfig
    hooks: RunHooks[Any] | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    max_turns: int = 12
    history: HistoryCache = field(default_factory=lambda: HistoryCache(1000))
    # False when the database was down at start-up: knowledge and customer names load on first use.
    reference_loaded: bool = True

    async def start(self, language: str | None = None) -> TurnResult:
        conversation_id = secrets.token_hex(16)  # 128 random bits
        state = ConversationContext(language=language if language in ("de", "en") else "de")
        greeting = texts.greeting(state.language)
        events = [new_event("message", TRIAGE, greeting)]
        items = [{"role": "assistant", "content": greeting}]
        await self.deps.repos.create_conversation(
            conversation_id, agent=TRIAGE, context=state.public(), items=items, events=events
        )
        self.history.put(conversation_id, 1, items)
        return TurnResult(
            conversation_id, TRIAGE, [{"agent": TRIAGE, "content": greeting}], events, state.public()
        )

    async def snapshot(self, conversation_id: str) -> TurnResult:
        """The conversation so far: every message (customer and assistant) and every event, so a
        client on another tab or device can show it again."""
        loaded = await self.deps.repos.load_conversation(conversation_id)
        if loaded is None:
            raise ConversationNotFound(conversation_id)
        row, history = loaded
        stored = await self.deps.repos.events(conversation_id)
        messages = [
            {"role": m["role"], "agent": m["agent"], "content": m["content"]}
            for m in transcript(history, stored)
        ]
        events = [event_from_row(event) for event in stored]
        return TurnResult(conversation_id, row.current_agent, messages, events, dict(row.context))

    async def _prepare(self, conversation_id: str, message: str, language: str | None) -> _Turn:
        bind_conversation(conversation_id)
        loaded = await self.deps.repos.load_for_turn(conversation_id, held=self.history.get(conversation_id))
        if loaded is None:
            raise ConversationNotFound(conversation_id)
        row, items = loaded
        if not self.reference_loaded:
            knowledge = await load_knowledge(self.deps.repos)
            customers = await self.deps.repos.customer_last_names()
            self.deps = replace(self.deps, knowledge=knowledge, known_customers=customers)
            self.reference_loaded = True
        state = ConversationContext.model_validate(row.context)
        before = state.public()
        if language in ("de", "en"):
            state.language = language
        else:
            state.language = detect_language(message, default=state.language)
        now = self.clock()
        today = now.astimezone(self.deps.schedule.timezone).date()
        notes = track(state, message, agent=row.current_agent, today=today)
        run = AgentRunContext(
            conversation_id=conversation_id, state=state, deps=self.deps, now=now, turn_notes=notes
        )
        redactor = OutputRedactor.for_turn(state, message, self.deps.known_customers)
        return _Turn(
            conversation_id,
            row.current_agent,
            run,
            before,
            TurnSession(conversation_id, items),
            redactor,
        )

    async def turn(self, conversation_id: str, message: str, language: str | None = None) -> TurnResult:
        started = time.perf_counter()
        async with self.locks.hold(conversation_id):
            turn = await self._prepare(conversation_id, message, language)
            try:
                result = await Runner.run(
                    self.graph.get(turn.agent_name),
                    message,
                    context=turn.run,
                    session=turn.session,
                    run_config=self.run_config,
                    max_turns=self.max_turns,
                    hooks=self.hooks,
                )
            except InputGuardrailTripwireTriggered as trip:
                return await self._refuse(turn, message, trip, started)
            except Exception as exc:
                self._count_failure(exc)
                raise
            events = [event for item in result.new_items if (event := event_from_item(item)) is not None]
            guardrails = _guardrail_reports(message, result.input_guardrail_results)
            return await self._finish(turn, result.last_agent.name, events, guardrails, started)

    async def turn_stream(
        self, conversation_id: str, message: str, language: str | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """Yields `{"event": name, "data": ...}` dicts: events as they happen, text deltas, the result."""
        started = time.perf_counter()
        async with self.locks.hold(conversation_id):
            turn = await self._prepare(conversation_id, message, language)
            streamed = Runner.run_streamed(
                self.graph.get(turn.agent_name),
                message,
                context=turn.run,
                session=turn.session,
                run_config=self.run_config,
                max_turns=self.max_turns,
                hooks=self.hooks,
            )
            events: list[dict[str, Any]] = []
            text = StreamRedactor(turn.redactor)
            try:
                async for item in streamed.stream_events():
                    if (
                        isinstance(item, RawResponsesStreamEvent)
                        and item.data.type == "response.output_text.delta"
                    ):
                        if chunk := text.feed(item.data.delta):
                            yield {"event": "delta", "data": {"text": chunk}}
                    elif isinstance(item, RunItemStreamEvent):
                        event = event_from_item(item.item)
                        if event is None:
                            continue
                        if chunk := text.flush():
                            yield {"event": "delta", "data": {"text": chunk}}
                        turn.redact_message(event)
                        events.append(event)
                        yield {"event": "event", "data": event}
            except InputGuardrailTripwireTriggered as trip:
                refusal = await self._refuse(turn, message, trip, started)
                for event in refusal.events:
                    yield {"event": "event", "data": event}
                yield {"event": "result", "data": refusal}
                return
            except Exception as exc:
                self._count_failure(exc)
                raise
            if chunk := text.flush():
                yield {"event": "delta", "data": {"text": chunk}}
            guardrails = _guardrail_reports(message, streamed.input_guardrail_results)
            final = await self._finish(turn, streamed.last_agent.name, events, guardrails, started)
            yield {"event": "result", "data": final}

    def _count_failure(self, exc: Exception) -> None:
        metrics.TURNS.labels("error").inc()
        if isinstance(exc, openai.OpenAIError):
            metrics.LLM_CALLS.labels(str(self.run_config.model or "unknown"), "error").inc()

    async def _finish(
        self,
        turn: _Turn,
        agent_name: str,
        events: list[dict[str, Any]],
        guardrails: list[dict[str, Any]],
        started: float,
        trip: tuple[str, str] | None = None,
    ) -> TurnResult:
        """Store the turn (with the guardrail `trip` that blocked it, if one did) and report it."""
        outcome = "answered" if trip is None else "refused"
        if outcome == "answered":
            self._redact(turn, events)
            guardrails.append(_report(PII_GUARDRAIL, "", turn.redactor.report(), passed=True))
        changes = turn.run.state.diff(turn.before)
        if changes:
            events.append(
                new_event("context_update", agent_name, ", ".join(sorted(changes)), {"changes": changes})
            )
        saved = await self.deps.repos.save_turn(
            turn.conversation_id,
            agent=agent_name,
            context=turn.run.state.public(),
            items=turn.session.pending,
            events=events,
            guardrail_trip=trip,
        )
        self.history.put(turn.conversation_id, saved, turn.session.items())
        _count(events, outcome, started)
        messages = [{"agent": e["agent"], "content": e["content"]} for e in events if e["type"] == "message"]
        return TurnResult(
            turn.conversation_id, agent_name, messages, events, turn.run.state.public(), guardrails
        )

    def _redact(self, turn: _Turn, events: list[dict[str, Any]]) -> None:
        """Apply the PII Guardrail to the answer the customer sees and to the stored history (the
        same text: its findings are counted once, on the answer)."""
        for event in events:
            turn.redact_message(event)
        for item in turn.session.pending:
            if item.get("role") != "assistant":
                continue
            content = item.get("content")
            if isinstance(content, str):
                item["content"] = turn.redactor.redact(content, record=False)
            elif isinstance(content, list):
                for part in content:
                    if isinstance(part, dict) and isinstance(part.get("text"), str):
                        part["text"] = turn.redactor.redact(part["text"], record=False)
        if turn.redactor.findings:
            metrics.GUARDRAIL_TRIPS.labels(PII_GUARDRAIL).inc()
            log.warning(
                "pii_redacted",
                conversation_id=turn.conversation_id,
                guardrail=PII_GUARDRAIL,
                kinds=sorted(set(turn.redactor.findings)),
            )

    async def _refuse(
        self, turn: _Turn, message: str, trip: InputGuardrailTripwireTriggered, started: float
    ) -> TurnResult:
        tripped = trip.guardrail_result.guardrail.get_name()
        info = trip.guardrail_result.output.output_info
        reasoning = info.get("reasoning", "") if isinstance(info, dict) else str(info)
        state = turn.run.state
        refusal = texts.refusal(tripped, state.language)
        # Blocked in blocking mode, the SDK may or may not have stored the user message yet.
        if turn.session.last_role() != "user":
            await turn.session.add_items([{"role": "user", "content": message}])
        # The refusal is stored as the assistant's answer so the next turn sees a coherent history.
        await turn.session.add_items([{"role": "assistant", "content": refusal}])
        guardrails = _guardrail_reports(message, [trip.guardrail_result])
        events = [new_event("message", turn.agent_name, refusal, {"guardrail": tripped})]
        # Nothing from a blocked message may reach the context: restore the state of before the turn.
        turn.run.state = ConversationContext.model_validate({**turn.before, "language": state.language})
        metrics.GUARDRAIL_TRIPS.labels(tripped).inc()
        log.info(
            "guardrail_tripped", conversation_id=turn.conversation_id, guardrail=tripped, reasoning=reasoning
        )
        log.debug("guardrail_tripped_message", conversation_id=turn.conversation_id, message=message)
        return await self._finish(turn, turn.agent_name, events, guardrails, started, (tripped, reasoning))


def _count(events: list[dict[str, Any]], outcome: str, started: float) -> None:
    metrics.TURNS.labels(outcome).inc()
    metrics.TURN_LATENCY.observe(time.perf_counter() - started)
    tool = "unknown"
    for event in events:
        if event["type"] == "handoff":
            meta = event["metadata"]
            metrics.HANDOFFS.labels(meta.get("source_agent", ""), meta.get("target_agent", "")).inc()
        elif event["type"] == "tool_call":
            tool = event["content"]  # an output follows its call
            metrics.TOOL_CALLS.labels(tool).inc()
        elif event["type"] == "tool_output":
            result = event["metadata"].get("tool_result")
            if isinstance(result, dict) and result.get("error"):
                metrics.TOOL_ERRORS.labels(tool).inc()


def _report(name: str, message: str, reasoning: str, *, passed: bool) -> dict[str, Any]:
    return {
        "id": secrets.token_hex(8),
        "name": name,
        "input": message,
        "reasoning": reasoning,
        "passed": passed,
        "timestamp": now_iso(),
    }


def _guardrail_reports(message: str, results: list[Any]) -> list[dict[str, Any]]:
    reports = []
    for result in results:
        info = result.output.output_info or {}
        reasoning = info.get("reasoning", "") if isinstance(info, dict) else str(info)
        reports.append(
            _report(
                result.guardrail.get_name(), message, reasoning, passed=not result.output.tripwire_triggered
            )
        )
    return reports
