#!/usr/bin/env python3
"""Play scripted dialogues against a running ERNI Building Agents server and score them.

Usage:
    run_dialogues.py DIALOGUES.json [--base-url http://127.0.0.1:8000] [--json] [--verbose]

Standard library only. Each dialogue is a fresh conversation (POST /chat with an empty message
first, then one POST per turn). A turn passes when every expectation it names holds:

  agent            current_agent after the turn equals this name
  agent_in         current_agent is one of these names
  tool             some tool_call event in this turn has this tool name
  tool_args        ... and its arguments contain these keys/values (strings compared
                   case-insensitively, numbers within 1%); "date_weekday" checks an ISO date arg
                   named "date" or "preferred_date" falls on that weekday (monday..sunday)
  no_tool          no tool_call event with this name in this turn
  guardrail        a guardrail with this name reported passed=false in this turn
  any_guardrail    some guardrail reported passed=false in this turn
  no_guardrail     no guardrail reported passed=false in this turn
  reply_contains   every string occurs in the concatenated assistant messages
                   (case-insensitive; digits compared with ' , ’ and thin spaces removed)
  reply_contains_any  at least one string occurs
  reply_excludes   none of these strings occur
  reply_lang       "de" or "en": the reply reads as that language (stop-word vote)
  context          the response context contains these keys/values (same comparison as tool_args)

Exit status 0 when every turn passed, 1 otherwise. Last line: "N passed, N failed".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import urllib.error
import urllib.request

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DE_WORDS = {
    "der",
    "die",
    "das",
    "und",
    "ist",
    "ich",
    "sie",
    "wir",
    "ihr",
    "ihre",
    "ihnen",
    "nicht",
    "mit",
    "für",
    "ein",
    "eine",
    "einen",
    "zu",
    "auf",
    "gerne",
    "können",
    "kann",
    "bitte",
    "haben",
    "wie",
    "oder",
    "wird",
    "sind",
    "uns",
    "den",
    "dem",
    "des",
}
EN_WORDS = {
    "the",
    "and",
    "is",
    "you",
    "your",
    "we",
    "our",
    "not",
    "with",
    "for",
    "a",
    "an",
    "to",
    "on",
    "can",
    "please",
    "have",
    "how",
    "or",
    "will",
    "are",
    "us",
    "of",
    "would",
}


def post(base: str, body: dict, timeout: float = 30.0) -> dict:
    req = urllib.request.Request(
        base.rstrip("/") + "/chat",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())


def norm(s: str) -> str:
    s = s.lower()
    return re.sub(r"(?<=\d)['’,.\u202f\u2009 ](?=\d{3}(?!\d))", "", s)


def same(want, got) -> bool:
    if isinstance(want, bool) or want is None:
        return want == got
    if isinstance(want, (int, float)):
        try:
            g = float(got)
        except (TypeError, ValueError):
            return False
        return abs(g - want) <= max(abs(want) * 0.01, 1e-9)
    if isinstance(want, str):
        return isinstance(got, (str, int, float)) and norm(str(got)).strip() == norm(want).strip()
    return want == got


def lang_of(text: str) -> str:
    words = re.findall(r"[a-zäöüß]+", text.lower())
    de = sum(w in DE_WORDS for w in words)
    en = sum(w in EN_WORDS for w in words)
    return "de" if de > en else "en"


def tool_calls(resp: dict) -> list[tuple[str, dict]]:
    calls = []
    for ev in resp.get("events") or []:
        if ev.get("type") == "tool_call":
            args = (ev.get("metadata") or {}).get("tool_args") or {}
            if isinstance(args, str):
                try:
                    args = json.loads(args)
                except ValueError:
                    args = {}
            calls.append((ev.get("content") or "", args if isinstance(args, dict) else {}))
    return calls


def args_match(want: dict, got: dict) -> bool:
    for k, v in want.items():
        if k == "date_weekday":
            d = got.get("date") or got.get("preferred_date")
            try:
                if WEEKDAYS[dt.date.fromisoformat(str(d)[:10]).weekday()] != v:
                    return False
            except ValueError:
                return False
        elif not same(v, got.get(k)):
            return False
    return True


def check(expect: dict, resp: dict) -> list[str]:
    problems = []
    reply = "\n".join(m.get("content") or "" for m in resp.get("messages") or [])
    nreply = norm(reply)
    agent = resp.get("current_agent")
    tripped = [g.get("name") for g in resp.get("guardrails") or [] if g.get("passed") is False]
    calls = tool_calls(resp)
    if "agent" in expect and agent != expect["agent"]:
        problems.append(f"agent {agent!r} != {expect['agent']!r}")
    if "agent_in" in expect and agent not in expect["agent_in"]:
        problems.append(f"agent {agent!r} not in {expect['agent_in']}")
    if "tool" in expect:
        named = [a for n, a in calls if n == expect["tool"]]
        if not named:
            problems.append(f"no call of {expect['tool']} (calls: {[n for n, _ in calls]})")
        elif "tool_args" in expect and not any(args_match(expect["tool_args"], a) for a in named):
            problems.append(f"{expect['tool']} args {named} do not match {expect['tool_args']}")
    if "no_tool" in expect and any(n == expect["no_tool"] for n, _ in calls):
        problems.append(f"unexpected call of {expect['no_tool']}")
    if "guardrail" in expect and expect["guardrail"] not in tripped:
        problems.append(f"guardrail {expect['guardrail']!r} not tripped (tripped: {tripped})")
    if expect.get("any_guardrail") and not tripped:
        problems.append("no guardrail tripped")
    if expect.get("no_guardrail") and tripped:
        problems.append(f"guardrail tripped: {tripped}")
    for s in expect.get("reply_contains", []):
        if norm(s) not in nreply:
            problems.append(f"reply lacks {s!r}")
    if "reply_contains_any" in expect and not any(norm(s) in nreply for s in expect["reply_contains_any"]):
        problems.append(f"reply has none of {expect['reply_contains_any']}")
    for s in expect.get("reply_excludes", []):
        if norm(s) in nreply:
            problems.append(f"reply contains {s!r}")
    if "reply_lang" in expect and reply.strip() and lang_of(reply) != expect["reply_lang"]:
        problems.append(f"reply language is not {expect['reply_lang']}")
    if "reply_lang" in expect and not reply.strip():
        problems.append("empty reply")
    ctx = resp.get("context") or {}
    for k, v in (expect.get("context") or {}).items():
        if not same(v, ctx.get(k)):
            problems.append(f"context[{k!r}]={ctx.get(k)!r} != {v!r}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dialogues")
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--json", action="store_true", help="print a JSON summary")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    dialogues = json.load(open(a.dialogues, encoding="utf-8"))
    passed = failed = 0
    failures = []
    latencies = []
    by_tag: dict[str, list[int]] = {}
    for d in dialogues:
        try:
            start = post(a.base_url, {"conversation_id": None, "message": ""})
            cid = start["conversation_id"]
        except (urllib.error.URLError, KeyError, ValueError) as e:
            print(f"FAIL {d['id']}: could not start a conversation: {e}")
            failed += len(d["turns"])
            continue
        for i, turn in enumerate(d["turns"]):
            t0 = time.perf_counter()
            try:
                resp = post(a.base_url, {"conversation_id": cid, "message": turn["user"]})
                problems = check(turn.get("expect", {}), resp)
            except urllib.error.HTTPError as e:
                problems = [f"HTTP {e.code}: {e.read()[:200]!r}"]
                resp = {}
            except (urllib.error.URLError, ValueError, TimeoutError) as e:
                problems = [f"request failed: {e}"]
                resp = {}
            latencies.append(time.perf_counter() - t0)
            tag = d.get("tag", "other")
            by_tag.setdefault(tag, [0, 0])
            if problems:
                failed += 1
                by_tag[tag][1] += 1
                failures.append((d["id"], i, turn["user"], problems))
                print(f"FAIL {d['id']} turn {i}: {turn['user'][:70]!r}: {'; '.join(problems)}")
                if a.verbose:
                    print(
                        "   reply:",
                        " | ".join(m.get("content", "")[:200] for m in resp.get("messages") or []),
                    )
            else:
                passed += 1
                by_tag[tag][0] += 1
    if a.json:
        lat = sorted(latencies) or [0.0]
        print(
            json.dumps(
                {
                    "passed": passed,
                    "failed": failed,
                    "by_tag": {k: {"passed": v[0], "failed": v[1]} for k, v in sorted(by_tag.items())},
                    "p50_ms": round(lat[len(lat) // 2] * 1000, 1),
                    "p95_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.95))] * 1000, 1),
                }
            )
        )
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
