"""Transcripts of recently served conversations, kept in this process between turns.

Every turn still reads the conversation row (agent, context, turn count) under the conversation
lock. Its transcript is taken from here only when the row's turn count is the one this process
itself wrote last; a turn served by another replica changes the count, and the transcript is
read from the database again. So any replica can still serve any turn, and what is reused is
exactly what was committed. Saves a query and the decoding of the whole transcript per turn,
which grows with the length of the conversation.

The cached item dicts are shared with the SDK during the next turn and must not be mutated; the
SDK appends to the session and never edits items it read (tests/integration/test_history_cache.py
compares the cache with the database after every flow).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


class HistoryCache:
    def __init__(self, max_conversations: int) -> None:
        self._max = max_conversations
        self._entries: OrderedDict[str, tuple[int, list[dict[str, Any]]]] = OrderedDict()

    def get(self, conversation_id: str) -> tuple[int, list[dict[str, Any]]] | None:
        """(turn count, transcript as of that turn) of this process's last write, if held."""
        entry = self._entries.get(conversation_id)
        if entry is not None:
            self._entries.move_to_end(conversation_id)
        return entry

    def put(self, conversation_id: str, turn_count: int, items: list[dict[str, Any]]) -> None:
        if self._max <= 0:
            return
        self._entries[conversation_id] = (turn_count, items)
        self._entries.move_to_end(conversation_id)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
