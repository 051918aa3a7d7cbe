"""`POST /chat` with a conversation id and an empty message returns the conversation so far."""

from __future__ import annotations

from erni_agents.api.app import create_app
from tests.conftest import _prepare, _settings
from tests.integration.http.conftest import running


async def test_snapshot_returns_transcript_and_events(database_url: str) -> None:
    await _prepare(database_url)
    async with running(create_app(_settings(database_url))) as client:
        started = (await client.post("/chat", json={"message": "", "language": "de"})).json()
        conversation_id = started["conversation_id"]
        turn = (
            await client.post(
                "/chat",
                json={
                    "conversation_id": conversation_id,
                    "message": "Was kostet ein EFH mit 150 m2 in Holzbau?",
                },
            )
        ).json()
        refused = (
            await client.post(
                "/chat", json={"conversation_id": conversation_id, "message": "Erzähl mir einen Witz"}
            )
        ).json()

        snapshot = await client.post("/chat", json={"conversation_id": conversation_id, "message": ""})

    assert snapshot.status_code == 200
    body = snapshot.json()
    assert [(m["role"], m["agent"]) for m in body["messages"]] == [
        ("assistant", "Triage Agent"),
        ("user", None),
        ("assistant", "Cost Estimation Agent"),
        ("user", None),
        ("assistant", refused["current_agent"]),
    ]
    assert body["messages"][1]["content"] == "Was kostet ein EFH mit 150 m2 in Holzbau?"
    assert body["messages"][2]["content"] == turn["messages"][-1]["content"]
    assert body["messages"][4]["content"] == refused["messages"][-1]["content"]
    ids = [e["id"] for e in body["events"]]
    assert [e["id"] for e in turn["events"]] == ids[1 : 1 + len(turn["events"])]
    assert body["current_agent"] == "Cost Estimation Agent"
    assert body["context"]["area_sqm"] == 150
