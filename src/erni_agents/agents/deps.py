"""Everything the tools need from the outside world, built once by the application factory."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from erni_agents.domain.pricing import PriceTable
from erni_agents.domain.scheduling import SchedulePolicy
from erni_agents.knowledge.models import KnowledgeEntry, load_default_entries
from erni_agents.knowledge.search import KnowledgeBase
from erni_agents.llm.judge import GuardrailJudge
from erni_agents.store.repositories import Repositories

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgentDeps:
    repos: Repositories
    knowledge: KnowledgeBase
    prices: PriceTable
    schedule: SchedulePolicy
    company_phone: str
    # Last names of customers on record: the PII Guardrail keeps them out of others' answers.
    known_customers: tuple[str, ...] = ()
    # Asked only about uncertain guardrail verdicts, and only when an LLM provider is configured.
    guardrail_judge: GuardrailJudge | None = None
    # Tells the confirmation-mail sender that a booking just queued a mail (None: no SMTP configured).
    mail_wakeup: Callable[[], None] | None = None


async def load_knowledge(repos: Repositories) -> KnowledgeBase:
    rows = await repos.knowledge_entries()
    if not rows:
        log.warning("knowledge table is empty (run `erni-agents seed-demo`); using the packaged entries")
        return KnowledgeBase(load_default_entries())
    columns = ("id", "kind", "topic", "title_de", "title_en", "text_de", "text_en", "keywords", "urls")
    return KnowledgeBase([KnowledgeEntry.from_dict({c: getattr(r, c) for c in columns}) for r in rows])
