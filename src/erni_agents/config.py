"""One typed settings object, read once from the environment (and `*_FILE` secret files)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "changethis", "change-me", "changeme", "secret", "dev-secret-change-me"}
_SECRET_NAMES = (
    "SECRET_KEY",
    "JWT_SECRET_KEY",
    "OPENAI_API_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "SMTP_PASSWORD",
    "SENTRY_DSN",
    "METRICS_TOKEN",
)

# Comma-separated lists in the environment ("a,b,c"), not JSON.
CommaList = Annotated[list[str], NoDecode]


def _load_secret_files() -> None:
    """Docker/Kubernetes secrets: `NAME_FILE=/run/secrets/x` fills `NAME` when it is unset."""
    for name in _SECRET_NAMES:
        path = os.environ.get(f"{name}_FILE")
        if path and not os.environ.get(name):
            os.environ[name] = Path(path).read_text(encoding="utf-8").strip()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite+aiosqlite:///./data/erni.db"
    redis_url: str | None = None

    llm_provider: Literal["local", "openai"] | None = None
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_timeout_seconds: float = 30.0
    # With an LLM configured, uncertain guardrail verdicts get its second opinion (cached per message).
    guardrail_llm_cascade: bool = True
    guardrail_llm_model: str | None = None

    # Development-only defaults; ENVIRONMENT=production refuses them (see _production_guard).
    secret_key: str = "dev-secret-change-me"  # noqa: S105
    jwt_secret_key: str = "dev-secret-change-me"  # noqa: S105

    rate_limit_per_minute: int = Field(default=60, ge=1)
    rate_limit_per_hour: int = Field(default=1000, ge=1)
    login_rate_limit: str = "5/minute"
    trusted_proxies: CommaList = Field(default_factory=list)
    cors_origins: CommaList = Field(
        default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:8000"]
    )
    allowed_hosts: CommaList = Field(default_factory=lambda: ["127.0.0.1", "localhost", "[::1]"])
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    jwt_expire_minutes: int = Field(default=60, ge=1)
    # /metrics: open in development; in production only with `Authorization: Bearer METRICS_TOKEN`
    # (unset token → /metrics answers 404 there).
    metrics_token: str | None = None
    sentry_dsn: str | None = None
    timezone: str = "Europe/Zurich"
    log_level: str = "INFO"
    # Transcripts of this many recent conversations stay in memory between turns (0: none); see
    # conversation/history.py for why that is safe with several replicas.
    history_cache_size: int = Field(default=1000, ge=0)
    company_phone: str = "041 570 70 70"

    # Booking confirmation mails (erni_agents.integrations.mail). No SMTP_HOST: mails wait in the
    # outbox (status pending) and are sent once a host is configured.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    # Masked in every log line like the other secrets (ops/masking.py matches the field name).
    smtp_password: str | None = None
    smtp_starttls: bool = True
    # Implicit TLS (port 465); takes precedence over SMTP_STARTTLS.
    smtp_use_tls: bool = False
    mail_from: str = "ERNI Gruppe <termine@erni-gruppe.ch>"
    mail_bcc: str | None = None
    mail_max_attempts: int = Field(default=8, ge=1)
    mail_poll_seconds: float = Field(default=5.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        # Operators write the URL their tools know; the app needs the async driver.
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            return "postgresql+asyncpg://" + value.removeprefix("postgresql://")
        if value.startswith("postgresql+psycopg://"):
            return "postgresql+asyncpg://" + value.removeprefix("postgresql+psycopg://")
        if value.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        return value

    @field_validator("trusted_proxies", "cors_origins", "allowed_hosts", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @model_validator(mode="after")
    def _resolve_provider(self) -> Settings:
        if self.llm_provider is None:
            self.llm_provider = "openai" if self.openai_api_key else "local"
        if self.llm_provider == "openai" and not self.openai_api_key:
            raise ValueError("LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_API_KEY_FILE)")
        return self

    @model_validator(mode="after")
    def _production_guard(self) -> Settings:
        if self.environment != "production":
            return self
        problems = []
        for name in ("secret_key", "jwt_secret_key"):
            value = getattr(self, name)
            if value.lower() in PLACEHOLDER_SECRETS or len(value) < 32:
                problems.append(f"{name.upper()} must be a random value of at least 32 characters")
        if self.secret_key == self.jwt_secret_key:
            problems.append("SECRET_KEY and JWT_SECRET_KEY must differ")
        if self.database_url.startswith("sqlite"):
            problems.append("DATABASE_URL must point to PostgreSQL in production")
        if "*" in self.cors_origins:
            problems.append("CORS_ORIGINS must list explicit origins in production, not '*'")
        if "*" in self.allowed_hosts:
            problems.append("ALLOWED_HOSTS must list explicit host names in production, not '*'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sync_database_url(self) -> str:
        """The same database through a synchronous driver (Alembic's offline tooling, scripts)."""
        if self.database_url.startswith("postgresql+asyncpg://"):
            return "postgresql+psycopg://" + self.database_url.removeprefix("postgresql+asyncpg://")
        return self.database_url.replace("sqlite+aiosqlite://", "sqlite://")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    _load_secret_files()
    return Settings()
