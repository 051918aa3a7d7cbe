"""The agent graph: six agents, their tools, handoffs and guardrails (names are API contract)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from agents import Agent, RunContextWrapper, Tool, handoff

from erni_agents.agents import tools
from erni_agents.agents.context import AgentRunContext
from erni_agents.agents.guardrails import PII, input_guardrails
from erni_agents.agents.prompts import DESCRIPTIONS, render

TRIAGE = "Triage Agent"
INFO = "Project Information Agent"
COST = "Cost Estimation Agent"
STATUS = "Project Status Agent"
BOOKING = "Appointment Booking Agent"
FAQ = "FAQ Agent"
AGENT_NAMES = (TRIAGE, INFO, COST, STATUS, BOOKING, FAQ)

_TOOLS: dict[str, list[Tool]] = {
    TRIAGE: [],
    INFO: [tools.faq_lookup],
    COST: [tools.estimate_project_cost],
    STATUS: [tools.get_project_status],
    BOOKING: [tools.check_specialist_availability, tools.book_consultation],
    FAQ: [tools.faq_lookup],
}
_HANDOFFS: dict[str, tuple[str, ...]] = {
    TRIAGE: (INFO, COST, STATUS, BOOKING, FAQ),
    INFO: (COST, BOOKING, STATUS, TRIAGE),
    COST: (BOOKING, TRIAGE),
    STATUS: (INFO, TRIAGE),
    BOOKING: (TRIAGE,),
    FAQ: (TRIAGE,),
}


def _instructions(name: str) -> Any:
    def instructions(ctx: RunContextWrapper[AgentRunContext], _agent: Agent[AgentRunContext]) -> str:
        return render(name, ctx.context)

    return instructions


@dataclass(frozen=True)
class AgentGraph:
    agents: dict[str, Agent[AgentRunContext]]

    def get(self, name: str) -> Agent[AgentRunContext]:
        return self.agents.get(name, self.agents[TRIAGE])

    def describe(self) -> list[dict[str, Any]]:
        """The graph as every chat response and GET /agents report it; the agents never change
        after start-up, so it is built once (callers must not modify it)."""
        return self._description

    @cached_property
    def _description(self) -> list[dict[str, Any]]:
        return [
            {
                "name": agent.name,
                "description": agent.handoff_description or "",
                "handoffs": list(_HANDOFFS[agent.name]),
                "tools": [tool.name for tool in agent.tools],
                "input_guardrails": [g.get_name() for g in agent.input_guardrails],
                # Applied by the conversation service to every answer, streamed or not.
                "output_guardrails": [PII],
            }
            for agent in self.agents.values()
        ]


def build_graph(model: str | None = None) -> AgentGraph:
    agents: dict[str, Agent[AgentRunContext]] = {
        name: Agent[AgentRunContext](
            name=name,
            handoff_description=DESCRIPTIONS[name],
            instructions=_instructions(name),
            tools=list(_TOOLS[name]),
            input_guardrails=input_guardrails(),
            model=model,
        )
        for name in AGENT_NAMES
    }
    for name, targets in _HANDOFFS.items():
        # Built once here: a bare Agent in `handoffs` is turned into a Handoff (schema and all) by
        # the SDK on every model call of every turn.
        agents[name].handoffs = [handoff(agents[target]) for target in targets]
    return AgentGraph(agents)
