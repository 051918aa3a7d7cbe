"""One turn at a time per conversation: Redis lock when configured (shared by all replicas)."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import LockError

log = logging.getLogger(__name__)


class ConversationBusy(Exception):
    """Another request of the same conversation is being processed."""


class LockStore(Protocol):
    def hold(self, conversation_id: str) -> AbstractAsyncContextManager[None]: ...


class InProcessLocks:
    def __init__(self, wait_seconds: float = 5.0) -> None:
        self._wait = wait_seconds
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        try:
            # asyncio.timeout, not wait_for: no extra task per turn when the lock is free.
            async with asyncio.timeout(self._wait):
                await lock.acquire()
        except TimeoutError as exc:
            raise ConversationBusy(conversation_id) from exc
        try:
            yield
        finally:
            lock.release()


class RedisLocks:
    def __init__(self, redis: Redis, wait_seconds: float = 5.0, ttl_seconds: float = 120.0) -> None:
        self._redis = redis
        self._wait = wait_seconds
        self._ttl = ttl_seconds

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        # The TTL frees the lock of a replica that died mid-turn.
        lock = self._redis.lock(
            f"erni:turn:{conversation_id}", timeout=self._ttl, blocking_timeout=self._wait
        )
        if not await lock.acquire():
            raise ConversationBusy(conversation_id)
        try:
            yield
        finally:
            try:
                await lock.release()
            except LockError:
                # The TTL expired during a very long turn; another request may already hold it.
                log.warning("turn lock expired before release", extra={"conversation_id": conversation_id})
