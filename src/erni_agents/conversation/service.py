"""One turn of a conversation: lock, load state, track slots, run the agent graph, persist, report."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from agents import (
    InputGuardrailTripwireTriggered,
    RunConfig,
    Runner,
)
from agents.stream_events import RawResponsesStreamEvent, RunItemStreamEvent

from erni_agents.agents.context import AgentRunContext, ConversationContext
from erni_agents.agents.deps import AgentDeps
from erni_agents.agents.graph import TRIAGE, AgentGraph
from erni_agents.conversation import texts
from erni_agents.conversation.events import event_from_item, new_event, now_iso
from erni_agents.conversation.locks import LockStore
from erni_agents.conversation.tracker import track
from erni_agents.llm.local.nlu import detect_language
from erni_agents.store.session import SqlSession


class ConversationNotFound(LookupError):
    """The conversation id is unknown (ids are only ever created by the server)."""


@dataclass
class TurnResult:
    conversation_id: str
    current_agent: str
    messages: list[dict[str, str]]
    events: list[dict[str, Any]]
    context: dict[str, Any]
    guardrails: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ConversationService:
    graph: AgentGraph
    deps: AgentDeps
    locks: LockStore
    run_config: RunConfig
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    max_turns: int = 12

    def _session(self, conversation_id: str) -> SqlSession:
        return SqlSession(conversation_id, self.deps.repos.factory)

    async def start(self, language: str | None = None) -> TurnResult:
        conversation_id = secrets.token_hex(16)  # 128 random bits
        state = ConversationContext(language=language if language in ("de", "en") else "de")
        greeting = texts.greeting(state.language)
        await self.deps.repos.create_conversation(conversation_id, TRIAGE, state.public())
        await self._session(conversation_id).add_items([{"role": "assistant", "content": greeting}])
        events = [new_event("message", TRIAGE, greeting)]
        await self.deps.repos.save_turn(conversation_id, agent=TRIAGE, context=state.public(), events=events)
        return TurnResult(
            conversation_id, TRIAGE, [{"agent": TRIAGE, "content": greeting}], events, state.public()
        )

    async def snapshot(self, conversation_id: str) -> TurnResult:
        row = await self.deps.repos.conversation(conversation_id)
        if row is None:
            raise ConversationNotFound(conversation_id)
        return TurnResult(conversation_id, row.current_agent, [], [], dict(row.context))

    async def _prepare(
        self, conversation_id: str, message: str, language: str | None
    ) -> tuple[str, AgentRunContext, dict[str, Any], list[dict[str, Any]]]:
        row = await self.deps.repos.conversation(conversation_id)
        if row is None:
            raise ConversationNotFound(conversation_id)
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
        return row.current_agent, run, before, []

    async def turn(self, conversation_id: str, message: str, language: str | None = None) -> TurnResult:
        async with self.locks.hold(conversation_id):
            agent_name, run, before, events = await self._prepare(conversation_id, message, language)
            agent = self.graph.get(agent_name)
            session = self._session(conversation_id)
            guardrails: list[dict[str, Any]] = []
            try:
                result = await Runner.run(
                    agent,
                    message,
                    context=run,
                    session=session,
                    run_config=self.run_config,
                    max_turns=self.max_turns,
                )
            except InputGuardrailTripwireTriggered as trip:
                return await self._refuse(conversation_id, agent_name, run, before, message, trip)
            for item in result.new_items:
                event = event_from_item(item)
                if event is not None:
                    events.append(event)
            guardrails = _guardrail_reports(
                message, result.input_guardrail_results, result.output_guardrail_results
            )
            return await self._finish(
                conversation_id, result.last_agent.name, run, before, events, guardrails
            )

    async def turn_stream(
        self, conversation_id: str, message: str, language: str | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """Yields `{"event": name, "data": ...}` dicts: events as they happen, text deltas, the result."""
        async with self.locks.hold(conversation_id):
            agent_name, run, before, events = await self._prepare(conversation_id, message, language)
            agent = self.graph.get(agent_name)
            streamed = Runner.run_streamed(
                agent,
                message,
                context=run,
                session=self._session(conversation_id),
                run_config=self.run_config,
                max_turns=self.max_turns,
            )
            try:
                async for item in streamed.stream_events():
                    if (
                        isinstance(item, RawResponsesStreamEvent)
                        and item.data.type == "response.output_text.delta"
                    ):
                        yield {"event": "delta", "data": {"text": item.data.delta}}
                    elif isinstance(item, RunItemStreamEvent):
                        event = event_from_item(item.item)
                        if event is not None:
                            events.append(event)
                            yield {"event": "event", "data": event}
            except InputGuardrailTripwireTriggered as trip:
                refusal = await self._refuse(conversation_id, agent_name, run, before, message, trip)
                for event in refusal.events:
                    yield {"event": "event", "data": event}
                yield {"event": "result", "data": refusal}
                return
            guardrails = _guardrail_reports(
                message, streamed.input_guardrail_results, streamed.output_guardrail_results
            )
            final = await self._finish(
                conversation_id, streamed.last_agent.name, run, before, events, guardrails
            )
            yield {"event": "result", "data": final}

    async def _finish(
        self,
        conversation_id: str,
        agent_name: str,
        run: AgentRunContext,
        before: dict[str, Any],
        events: list[dict[str, Any]],
        guardrails: list[dict[str, Any]],
    ) -> TurnResult:
        changes = run.state.diff(before)
        if changes:
            events.append(
                new_event("context_update", agent_name, ", ".join(sorted(changes)), {"changes": changes})
            )
        await self.deps.repos.save_turn(
            conversation_id, agent=agent_name, context=run.state.public(), events=events
        )
        messages = [{"agent": e["agent"], "content": e["content"]} for e in events if e["type"] == "message"]
        return TurnResult(conversation_id, agent_name, messages, events, run.state.public(), guardrails)

    async def _refuse(
        self,
        conversation_id: str,
        agent_name: str,
        run: AgentRunContext,
        before: dict[str, Any],
        message: str,
        trip: InputGuardrailTripwireTriggered,
    ) -> TurnResult:
        tripped = trip.guardrail_result.guardrail.get_name()
        refusal = texts.refusal(tripped, run.state.language)
        session = self._session(conversation_id)
        history = await session.get_items(limit=1)
        if not history or history[-1].get("role") != "user":
            await session.add_items([{"role": "user", "content": message}])
        # The refusal is stored as the assistant's answer so the next turn sees a coherent history.
        await session.add_items([{"role": "assistant", "content": refusal}])
        guardrails = _guardrail_reports(message, [trip.guardrail_result], [])
        events = [new_event("message", agent_name, refusal, {"guardrail": tripped})]
        # Nothing from a blocked message may reach the context: restore the state of before the turn.
        run.state = ConversationContext.model_validate({**before, "language": run.state.language})
        return await self._finish(conversation_id, agent_name, run, before, events, guardrails)


def _guardrail_reports(message: str, inputs: list[Any], outputs: list[Any]) -> list[dict[str, Any]]:
    reports = []
    for result in [*inputs, *outputs]:
        info = result.output.output_info or {}
        reports.append(
            {
                "id": secrets.token_hex(8),
                "name": result.guardrail.get_name(),
                "input": message,
                "reasoning": info.get("reasoning", "") if isinstance(info, dict) else str(info),
                "passed": not result.output.tripwire_triggered,
                "timestamp": now_iso(),
            }
        )
    return reports
