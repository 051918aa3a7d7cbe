"""The process's Prometheus metrics: one place that names them, so every layer counts the same way.

Metric objects live in the default registry of prometheus-client; with several uvicorn workers
set PROMETHEUS_MULTIPROC_DIR (see docs/RUNBOOK.md) so `/metrics` sums all of them.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter(
    "erni_http_requests_total",
    "HTTP requests by route template, method and status",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "erni_http_request_duration_seconds",
    "HTTP request latency by route template and method",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
TURNS = Counter("erni_turns_total", "Conversation turns by outcome (answered, refused, error)", ["outcome"])
TURN_LATENCY = Histogram(
    "erni_turn_duration_seconds",
    "Time of one conversation turn inside the service (lock, run, save)",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
HANDOFFS = Counter("erni_handoffs_total", "Handoffs between agents", ["source", "target"])
TOOL_CALLS = Counter("erni_tool_calls_total", "Tool calls by tool name", ["tool"])
TOOL_ERRORS = Counter("erni_tool_errors_total", "Tool calls that raised or returned an error", ["tool"])
GUARDRAIL_TRIPS = Counter(
    "erni_guardrail_trips_total", "Guardrail trips (input) and redactions (output)", ["name"]
)
LLM_CALLS = Counter(
    "erni_llm_calls_total", "Calls to the LLM provider by model and outcome", ["model", "outcome"]
)
LLM_TOKENS = Counter("erni_llm_tokens_total", "Tokens used by the LLM provider", ["model", "kind"])
LLM_LATENCY = Histogram(
    "erni_llm_call_duration_seconds",
    "Latency of one LLM provider call",
    ["model"],
    buckets=(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)
ACTIVE_CONVERSATIONS = Gauge(
    "erni_active_conversations",
    "Conversations with a message in the last 30 minutes",
    multiprocess_mode="max",
)
DB_POOL_CHECKED_OUT = Gauge(
    "erni_db_pool_checked_out", "Database connections currently in use", multiprocess_mode="livesum"
)
DB_POOL_SIZE = Gauge("erni_db_pool_size", "Database connection pool size", multiprocess_mode="livesum")
EMAILS = Counter("erni_emails_total", "Confirmation e-mails by outcome (sent, retry, failed)", ["outcome"])
