"""Choose the brain: the SDK's OpenAI models (any OpenAI-compatible endpoint) or the local engine."""

from __future__ import annotations

from agents import RunConfig, set_tracing_disabled
from agents.models.interface import ModelProvider
from agents.models.openai_provider import OpenAIProvider
from openai import AsyncOpenAI

from erni_agents.config import Settings
from erni_agents.llm.local.engine import LocalModelProvider


def build_openai_client(settings: Settings) -> AsyncOpenAI | None:
    """One client per process for the agents and the guardrail judge; None in local mode."""
    if settings.llm_provider != "openai":
        return None
    return AsyncOpenAI(
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_seconds,
        max_retries=2,
    )


def build_provider(client: AsyncOpenAI | None) -> ModelProvider:
    if client is not None:
        # Chat Completions is what OpenAI-compatible servers (vLLM, Ollama, LiteLLM, Azure) speak.
        return OpenAIProvider(openai_client=client, use_responses=False)
    return LocalModelProvider()


def build_run_config(settings: Settings, client: AsyncOpenAI | None) -> RunConfig:
    # No trace export: conversations stay on our infrastructure and local mode opens no sockets.
    set_tracing_disabled(True)
    return RunConfig(
        model_provider=build_provider(client),
        model=settings.llm_model if client is not None else None,
        tracing_disabled=True,
        workflow_name="ERNI customer service",
    )
