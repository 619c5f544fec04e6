"""Faults at set rates for the fake OpenAI-compatible server, and an oracle that answers right.

``FaultMix(answer, rate, seed)`` is a responder for ``FakeOpenAI``. For each distinct request
it decides once, from a seeded hash of the messages, whether the item is faulted, which fault
it gets and, for a transient fault, how many attempts fail before the right answer comes back.
The decision depends only on (seed, request), so a test can ask ``plan_for(request)`` what an
item should end as, and a re-run (or a resumed run) sees the same faults.

``oracle(seeds, goldens, prompts)`` is a responder that gives the golden answer to every item,
so anything but ``correct`` in a soak comes from an injected fault.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from harness.config import RunConfig
from harness.goldens import Golden
from harness.plan import plan
from harness.prompts import Prompt
from harness.seeds import Seed
from tests.fake_openai import Action, Fault, Reply, Responder, last_user_text

# Transient: the first 1 or 2 attempts fail, then the right answer. The harness must retry
# them and end correct.
TRANSIENT: dict[str, Action] = {
    "429": Fault("status", status=429),
    "429-retry-after": Fault("status", status=429, headers={"Retry-After": "1"}),
    "500": Fault("status", status=500),
    "502": Fault("status", status=502),
    "503": Fault("status", status=503),
    "hang": Fault("hang"),
    "reset": Fault("reset"),
    "reset-mid-body": Fault("reset_mid_body"),
    "truncated-json": Fault("truncated_json"),
    "empty-choices": Fault("empty_choices"),
    "wrong-content-type": Fault("wrong_content_type"),
}
# Permanent: every attempt gets it. The model's own failures must end ``invalid`` with the
# cause; an endpoint that never recovers must end ``error``, never as a wrong answer.
PERMANENT_INVALID: dict[str, Action] = {
    "schema-violation": Reply('{"verdict": 1, "confidence": "high"}'),
    "refusal": Reply(None, refusal="I can't help with that."),
    "long-output": Reply("la " * 100_000, finish_reason="length"),
}
PERMANENT_ERROR: dict[str, Action] = {
    "500-always": Fault("status", status=500),
    "hang-always": Fault("hang"),
}
KINDS: tuple[str, ...] = (*TRANSIENT, *PERMANENT_INVALID, *PERMANENT_ERROR)


@dataclass(frozen=True)
class FaultPlan:
    """What one request gets: ``kind`` for ``failures`` attempts (None: every attempt)."""

    kind: str
    failures: int | None

    @property
    def expected_outcome(self) -> str:
        if self.kind in PERMANENT_INVALID:
            return "invalid"
        if self.kind in PERMANENT_ERROR:
            return "error"
        return "correct"


def _unit(seed: int, key: str, salt: str) -> float:
    digest = hashlib.sha256(f"{seed}|{salt}|{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def request_key(request: Mapping[str, Any]) -> str:
    return json.dumps(request["messages"], sort_keys=True)


class FaultMix:
    """A responder that faults ``rate`` of the items, spread evenly over ``kinds``."""

    def __init__(self, answer: Responder, rate: float, seed: int = 0, kinds: tuple[str, ...] = KINDS) -> None:
        self._answer = answer
        self._rate = rate
        self._seed = seed
        self._kinds = kinds
        self.served: Counter[str] = Counter()  # fault responses actually sent, by kind

    def plan_for(self, request: Mapping[str, Any]) -> FaultPlan | None:
        key = request_key(request)
        if _unit(self._seed, key, "faulted") >= self._rate:
            return None
        kind = self._kinds[int(_unit(self._seed, key, "kind") * len(self._kinds))]
        if kind in TRANSIENT:
            return FaultPlan(kind, 1 + int(_unit(self._seed, key, "times") * 2))
        return FaultPlan(kind, None)

    def __call__(self, request: dict[str, Any], seen: int) -> Action:
        fault = self.plan_for(request)
        if fault is None or (fault.failures is not None and seen > fault.failures):
            return self._answer(request, seen)
        self.served[fault.kind] += 1
        return {**TRANSIENT, **PERMANENT_INVALID, **PERMANENT_ERROR}[fault.kind]


def _right_reply(golden: Golden, task: str, item_id: str) -> dict[str, Any]:
    if task == "qa":
        q = next(q for q in golden.questions if q.id == item_id)
        if not q.answerable:
            return {"answerable": False, "answer": "The article does not say.", "value": None, "evidence": ""}
        value = q.answer if isinstance(q.answer, int | float) and not isinstance(q.answer, bool) else None
        return {"answerable": True, "answer": str(q.answer), "value": value, "evidence": q.evidence or ""}
    if task == "factcheck":
        c = next(c for c in golden.claims if c.id == item_id)
        return {"label": c.label, "evidence": c.evidence or "", "correction": None}
    assert golden.summary is not None
    words = [str(group[0]) for fact in golden.summary.key_facts for group in fact.require]
    return {"summary": " ".join(words) + ".", "key_points": []}


def oracle(
    seeds: Mapping[str, Seed], goldens: Mapping[str, Golden], prompts: Mapping[str, Prompt], config: RunConfig
) -> Responder:
    """A responder with the golden answer to every item ``config`` plans, keyed by its prompt."""
    answers = {
        item.messages[-1]["content"]: json.dumps(_right_reply(goldens[item.seed], item.task, item.item))
        for item in plan(seeds, goldens, prompts, config)
    }

    def respond(request: dict[str, Any], seen: int) -> Reply:
        return Reply(answers[last_user_text(request)])

    return respond
