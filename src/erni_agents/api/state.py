"""Everything the running application holds, created in the lifespan and closed at shutdown."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from erni_agents.agents.deps import AgentDeps, load_knowledge
from erni_agents.agents.graph import AgentGraph, build_graph
from erni_agents.api.ratelimit import RateLimits
from erni_agents.config import Settings
from erni_agents.conversation.history import HistoryCache
from erni_agents.conversation.locks import InProcessLocks, LockStore, RedisLocks
from erni_agents.conversation.service import ConversationService
from erni_agents.domain.pricing import PriceTable
from erni_agents.domain.scheduling import SchedulePolicy, preload_holidays
from erni_agents.integrations.mail.outbox import OutboxSender, start_sender
from erni_agents.knowledge.models import load_default_entries
from erni_agents.knowledge.search import KnowledgeBase
from erni_agents.llm.hooks import LlmMetricsHooks
from erni_agents.llm.judge import GuardrailJudge
from erni_agents.llm.local.engine import MODEL_NAME as LOCAL_MODEL_NAME
from erni_agents.llm.providers import build_openai_client, build_run_config
from erni_agents.llm.sdk_tuning import apply_sdk_tuning
from erni_agents.ops.runtime import freeze_startup_heap, release_startup_heap
from erni_agents.store.db import DATABASE_ERRORS, create_engine, create_session_factory
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
    rate_limits: RateLimits | None = None  # set by the application factory's lifespan
    mail: OutboxSender | None = None  # None when SMTP_HOST is unset (mails wait in the outbox)

    async def close(self) -> None:
        if self.mail is not None:
            await self.mail.stop()
        await self.engine.dispose()
        close = getattr(self.redis, "aclose", None)
        if close is not None:
            await close()
        release_startup_heap()


async def build_state(settings: Settings) -> AppState:
    apply_sdk_tuning()
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
    client = build_openai_client(settings)
    judge = None
    if client is not None and settings.guardrail_llm_cascade:
        judge = GuardrailJudge(client, settings.guardrail_llm_model or settings.llm_model)
    try:
        knowledge, customers, loaded = await load_knowledge(repos), await repos.customer_last_names(), True
    except DATABASE_ERRORS as exc:
        # Start anyway: /readiness reports the database and requests get 503 until it is back;
        # the reference data is read again with the first turn that reaches it.
        log.error("database unreachable at start-up: %s", type(exc).__name__)
        knowledge, customers, loaded = KnowledgeBase(load_default_entries()), (), False
    mail = start_sender(settings, repos.factory)
    schedule = SchedulePolicy.load()
    preload_holidays(datetime.now(schedule.timezone).date())
    deps = AgentDeps(
        repos=repos,
        knowledge=knowledge,
        prices=PriceTable.load(),
        schedule=schedule,
        company_phone=settings.company_phone,
        known_customers=customers,
        guardrail_judge=judge,
        mail_wakeup=mail.wake if mail is not None else None,
    )
    # Always a model name: with none, the SDK deep-copies its GPT-5 default settings at every step.
    graph = build_graph(settings.llm_model if client is not None else LOCAL_MODEL_NAME)
    service = ConversationService(
        graph=graph,
        deps=deps,
        locks=locks,
        run_config=build_run_config(settings, client),
        hooks=LlmMetricsHooks(settings.llm_model) if client is not None else None,
        reference_loaded=loaded,
        history=HistoryCache(settings.history_cache_size),
    )
    state = AppState(
        settings=settings,
        engine=engine,
        repos=repos,
        graph=graph,
        service=service,
        redis=redis,
        mail=mail,
    )
    freeze_startup_heap()
    return state
