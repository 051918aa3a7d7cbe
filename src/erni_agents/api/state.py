"""Everything the running application holds, created in the lifespan and closed at shutdown."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from erni_agents.agents.deps import AgentDeps
from erni_agents.agents.graph import AgentGraph, build_graph
from erni_agents.config import Settings
from erni_agents.conversation.locks import InProcessLocks, LockStore, RedisLocks
from erni_agents.conversation.service import ConversationService
from erni_agents.domain.pricing import PriceTable
from erni_agents.domain.scheduling import SchedulePolicy
from erni_agents.knowledge.models import KnowledgeEntry, load_default_entries
from erni_agents.knowledge.search import KnowledgeBase
from erni_agents.llm.providers import build_run_config
from erni_agents.store.db import create_engine, create_session_factory
from erni_agents.store.repositories import Repositories

log = logging.getLogger(__name__)


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    repos: Repositories
    graph: AgentGraph
    service: ConversationService
    redis: object | None = None

    async def close(self) -> None:
        await self.engine.dispose()
        close = getattr(self.redis, "aclose", None)
        if close is not None:
            await close()


async def _knowledge(repos: Repositories) -> KnowledgeBase:
    rows = await repos.knowledge_entries()
    if not rows:
        log.warning("knowledge table is empty (run `erni-agents seed-demo`); using the packaged entries")
        return KnowledgeBase(load_default_entries())
    columns = ("id", "kind", "topic", "title_de", "title_en", "text_de", "text_en", "keywords", "urls")
    return KnowledgeBase([KnowledgeEntry.from_dict({c: getattr(r, c) for c in columns}) for r in rows])


async def build_state(settings: Settings) -> AppState:
    engine = create_engine(settings.database_url)
    repos = Repositories(create_session_factory(engine))
    redis = None
    locks: LockStore
    if settings.redis_url:
        from redis.asyncio import Redis

        redis = Redis.from_url(settings.redis_url)
        locks = RedisLocks(redis)
    else:
        locks = InProcessLocks()
    deps = AgentDeps(
        repos=repos,
        knowledge=await _knowledge(repos),
        prices=PriceTable.load(),
        schedule=SchedulePolicy.load(),
        company_phone=settings.company_phone,
    )
    graph = build_graph(settings.llm_model if settings.llm_provider == "openai" else None)
    service = ConversationService(graph=graph, deps=deps, locks=locks, run_config=build_run_config(settings))
    return AppState(settings=settings, engine=engine, repos=repos, graph=graph, service=service, redis=redis)
