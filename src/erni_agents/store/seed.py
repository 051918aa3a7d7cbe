"""Reference and demo data: specialists, knowledge base, demo projects. Idempotent (upserts)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from erni_agents.domain.specialists import load_specialists
from erni_agents.knowledge.models import load_default_entries
from erni_agents.store.models import KnowledgeEntryRow, Project, Specialist


def _demo_projects() -> list[dict[str, Any]]:
    text = resources.files("erni_agents.data").joinpath("demo_projects.json").read_text(encoding="utf-8")
    return list(json.loads(text)["projects"])


async def seed_reference_data(factory: async_sessionmaker[AsyncSession]) -> None:
    """Specialists and the knowledge base: needed by every deployment."""
    async with factory() as db, db.begin():
        existing = {s.name: s for s in (await db.execute(select(Specialist))).scalars()}
        for spec in load_specialists():
            row = existing.get(spec.name)
            if row is None:
                db.add(
                    Specialist(
                        name=spec.name,
                        specialist_type=spec.type.value,
                        department=spec.department,
                        active=True,
                    )
                )
            else:
                row.specialist_type, row.department = spec.type.value, spec.department
        await db.execute(delete(KnowledgeEntryRow))
        db.add_all(KnowledgeEntryRow(**e.to_dict()) for e in load_default_entries())


async def seed_demo_projects(factory: async_sessionmaker[AsyncSession], today: date) -> int:
    projects = _demo_projects()
    async with factory() as db, db.begin():
        for p in projects:
            values = {
                "project_type": p["project_type"],
                "construction_type": p["construction_type"],
                "location": p["location"],
                "customer_last_name": p["customer_last_name"],
                "stage": p["stage"],
                "progress": p["progress"],
                "manager": p["manager"],
                "area_sqm": float(p["area_sqm"]),
                "start_date": today + timedelta(days=p["start_offset"]),
                "estimated_completion": today + timedelta(days=p["completion_offset"]),
                "next_milestone": p["next_milestone"],
                "next_milestone_de": p["next_milestone_de"],
                "next_milestone_date": today + timedelta(days=p["milestone_offset"]),
            }
            row = await db.get(Project, p["project_number"])
            if row is None:
                db.add(Project(project_number=p["project_number"], **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
    return len(projects)
