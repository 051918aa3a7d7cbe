"""The deployment artefacts agree with the code: alert rules use real metrics and labels, compose
sets only real settings and declared secrets, the image's dependency filter keeps every runtime
dependency, and the shell scripts parse."""

from __future__ import annotations

import re
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from prometheus_client.metrics import MetricWrapperBase

from erni_agents.config import _SECRET_NAMES, Settings
from erni_agents.ops import metrics

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
# Metrics that come from outside the app: Prometheus itself, blackbox/node/postgres exporters,
# scripts/backup.sh (textfile collector).
EXTERNAL_METRIC = re.compile(r"^(up|probe_\w+|node_\w+|pg_\w+|erni_backup_\w+)$")
PROMQL_WORDS = {
    "sum", "rate", "increase", "by", "le", "and", "or", "unless", "absent", "time", "max", "min", "avg",
    "histogram_quantile", "count", "without", "on", "ignoring",
}  # fmt: skip


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _rules() -> list[dict[str, Any]]:
    return [
        rule for group in _yaml(DEPLOY / "prometheus" / "alerts.yml")["groups"] for rule in group["rules"]
    ]


def _app_metrics() -> dict[str, tuple[str, ...]]:
    """Exposed sample names of ops/metrics.py → their label names."""
    found: dict[str, tuple[str, ...]] = {}
    for value in vars(metrics).values():
        if not isinstance(value, MetricWrapperBase):
            continue
        name, kind, labels = value._name, value._type, tuple(value._labelnames)
        if kind == "counter":
            found[f"{name}_total"] = labels
        elif kind == "histogram":
            for suffix in ("_bucket", "_sum", "_count"):
                found[name + suffix] = (*labels, "le") if suffix == "_bucket" else labels
        else:
            found[name] = labels
    return found


def test_alert_file_has_the_prometheus_rule_structure() -> None:
    data = _yaml(DEPLOY / "prometheus" / "alerts.yml")
    assert isinstance(data["groups"], list) and data["groups"]
    names = set()
    for group in data["groups"]:
        assert set(group) == {"name", "rules"} and group["rules"]
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
            assert re.fullmatch(r"Erni[A-Z][A-Za-z0-9]+", rule["alert"])
            assert rule["alert"] not in names, f"duplicate alert {rule['alert']}"
            names.add(rule["alert"])
            assert isinstance(rule["expr"], str) and rule["expr"].strip()
            assert re.fullmatch(r"\d+[smhd]", rule["for"])
            assert rule["labels"]["severity"] in {"critical", "warning"}
            assert rule["annotations"]["summary"]


def test_alerts_cover_the_required_conditions() -> None:
    exprs = " ".join(rule["expr"] for rule in _rules())
    for needle in (
        'up{job="erni-agents"}',  # app down
        'probe_success{job="erni-readiness"}',  # readiness failing
        'status=~"5.."',  # 5xx rate
        "histogram_quantile(0.95",  # p95 latency
        "erni_guardrail_trips_total",  # guardrail-trip spikes
        "erni_db_pool_checked_out",  # pool saturation
        "erni_llm_calls_total",  # LLM errors
        "probe_ssl_earliest_cert_expiry",  # certificate expiry
    ):
        assert needle in exprs, needle


def test_alerts_use_metrics_and_labels_that_exist() -> None:
    known = _app_metrics()
    for rule in _rules():
        expr = rule["expr"]
        for name, selector in re.findall(r"\b([a-z_][a-z0-9_]*)\s*(\{[^}]*\})?", expr):
            if name in PROMQL_WORDS or EXTERNAL_METRIC.match(name) or name in {"job", "name", "status"}:
                continue
            if not name.startswith("erni_"):
                continue
            assert name in known, f"{rule['alert']}: {name} is not defined in erni_agents/ops/metrics.py"
            used = set(re.findall(r"(\w+)\s*(?:=~|!~|!=|=)", selector))
            assert used <= set(known[name]), (
                f"{rule['alert']}: {name} has no label(s) {used - set(known[name])}"
            )


def test_alerts_point_to_runbook_sections_that_exist() -> None:
    runbook = (ROOT / "docs" / "RUNBOOK.md").read_text(encoding="utf-8")
    for rule in _rules():
        anchor = rule["annotations"]["runbook"].split("#", 1)[1]
        assert f'id="{anchor}"' in runbook, f"{rule['alert']}: docs/RUNBOOK.md has no anchor {anchor}"


def test_prometheus_scrapes_the_jobs_the_alerts_use() -> None:
    config = _yaml(DEPLOY / "prometheus" / "prometheus.yml")
    jobs = {job["job_name"] for job in config["scrape_configs"]}
    used = set(re.findall(r'job="([^"]+)"', " ".join(rule["expr"] for rule in _rules())))
    assert used <= jobs
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]


def _compose() -> dict[str, Any]:
    return dict(_yaml(DEPLOY / "docker-compose.yml"))


def test_compose_sets_only_real_settings() -> None:
    fields = {name.upper() for name in Settings.model_fields}
    allowed = fields | {f"{name}_FILE" for name in _SECRET_NAMES} | {"PROMETHEUS_MULTIPROC_DIR"}
    for service in ("app", "migrate"):
        unknown = set(_compose()["services"][service]["environment"]) - allowed
        assert not unknown, f"{service} sets variables the code does not read: {unknown}"


def test_compose_secrets_are_declared_and_generated() -> None:
    compose = _compose()
    declared = set(compose["secrets"])
    generator = (ROOT / "scripts" / "generate-secrets.sh").read_text(encoding="utf-8")
    for name, service in compose["services"].items():
        used = set(service.get("secrets", []))
        assert used <= declared, f"{name} uses undeclared secrets {used - declared}"
        files = {v.removeprefix("/run/secrets/") for k, v in service.get("environment", {}).items()
                 if k.endswith("_FILE")}  # fmt: skip
        assert files <= used, f"{name} reads secret files it does not mount: {files - used}"
    for name in declared:
        assert re.search(rf"\b{name}\b", generator), f"scripts/generate-secrets.sh does not write {name}"


def test_compose_waits_for_healthy_dependencies_and_migrations() -> None:
    services = _compose()["services"]
    assert services["postgres"]["healthcheck"] and services["redis"]["healthcheck"]
    depends = services["app"]["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy"
    assert "requirepass" in " ".join(services["redis"]["entrypoint"])


def _runtime_closure(root: str) -> set[str]:
    """Installed distributions `root` needs at run time (markers and extras evaluated)."""
    done: dict[str, set[str]] = {}  # distribution → extras whose requirements were followed
    queue: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    while queue:
        name, extras = queue.pop()
        key = canonicalize_name(name)
        wanted = {""} | set(extras)
        if key in done and wanted <= done[key]:
            continue
        done.setdefault(key, set()).update(wanted)
        for text in metadata.distribution(name).requires or []:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in wanted):
                queue.append((req.name, frozenset(req.extras)))
    return set(done)


def test_the_image_keeps_every_runtime_dependency() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert re.search(r"^USER erni", dockerfile, re.M)
    assert '"serve"' in dockerfile
    pattern = re.search(r"grep -viE '([^']+)'", dockerfile)
    assert pattern, "the Dockerfile's dev-tool filter moved; update this test"
    dropped = re.compile(pattern.group(1), re.I)
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    removed = {canonicalize_name(line.split("==")[0]) for line in lock if dropped.search(line)}
    assert canonicalize_name("pytest") in removed
    needed = _runtime_closure("erni-agents")
    assert not removed & needed, f"the image would lack runtime dependencies {removed & needed}"
    kept = {canonicalize_name(line.split("==")[0]) for line in lock if line and not dropped.search(line)}
    assert needed - {canonicalize_name("erni-agents")} <= kept, "requirements.lock misses runtime packages"


@pytest.mark.parametrize(
    "script",
    [
        "scripts/backup.sh",
        "scripts/restore-check.sh",
        "scripts/generate-secrets.sh",
        "deploy/postgres/init-roles.sh",
    ],
)
def test_shell_scripts_parse(script: str) -> None:
    result = subprocess.run(["bash", "-n", str(ROOT / script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
