"""Everything the tools need from the outside world, built once by the application factory."""

from __future__ import annotations

from dataclasses import dataclass

from erni_agents.domain.pricing import PriceTable
from erni_agents.domain.scheduling import SchedulePolicy
from erni_agents.knowledge.search import KnowledgeBase
from erni_agents.store.repositories import Repositories


@dataclass(frozen=True)
class AgentDeps:
    repos: Repositories
    knowledge: KnowledgeBase
    prices: PriceTable
    schedule: SchedulePolicy
    company_phone: str
