"""The frozen records passed between stages.

Seed + Golden -> WorkItem (its messages rendered when asked) -> ModelRequest -> ModelReply
-> Verdict -> ItemResult (one line of results.jsonl) -> harness.outcomes (what metrics read)
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from harness.names import TaskName

Mode = Literal["json_schema", "json_object", "prompt"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object", "prompt")
Outcome = Literal["correct", "incorrect", "abstained", "invalid", "error"]
OUTCOMES: tuple[Outcome, ...] = ("correct", "incorrect", "abstained", "invalid", "error")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WorkItem(_Frozen):
    """One request to make: a seed x task x golden item x sample."""

    id: str  # <seed>/<task>/<item>#<sample>
    seed: str
    task: TaskName
    item: str
    sample: int
    prompt_ref: str
    # A harness.prompts.Prompt (typed Any: this module sits below harness.prompts) and the item's values for
    # its placeholders beside {{article}}. The messages are rendered from them when asked, never kept: a
    # rendered prompt holds its article (~15 KB), and a run of a million items cannot keep one an item.
    prompt: Any = Field(default=None, exclude=True, repr=False)
    slots: dict[str, str | int] = {}
    # What an in-process model (the lexical baseline) needs without parsing the prompt.
    article: str
    subject: str  # the question, the claim, or "" for a summary
    max_words: int | None = None
    tags: tuple[str, ...] = ()

    @property
    def messages(self) -> tuple[dict[str, str], ...]:
        """The chat messages of this request: its prompt rendered with its article and slots."""
        if self.prompt is None:
            return ()
        return tuple(self.prompt.render({"article": self.article, **self.slots}))


class GenerationSettings(_Frozen):
    """Sampling settings; part of the cache key and of the manifest."""

    temperature: float = 0.0
    max_tokens: int | None = None  # None: the task's own budget (Task.max_tokens)
    seed: int | None = None
    timeout: float = 120.0


class Usage(_Frozen):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0


class ModelReply(_Frozen):
    """What came back for one request: text or an infrastructure error, never both."""

    text: str | None
    error: str | None = None
    mode: Mode
    usage: Usage = Usage()
    latency_s: float = 0.0
    attempts: int = 1
    retry_wait_s: float = 0.0  # waited between attempts, as the retry policy chose
    cached: bool = False
    finish_reason: str | None = None


# --- what a verdict records besides its outcome: one typed model per kind of judgement ---------------
# A task picks the kind that fits it (a new task may reuse one); metrics and reports read these fields
# instead of probing dict keys. ``kind`` tells them apart in results.jsonl.


class AnswerDetails(_Frozen):
    """A question's answer (qa): was the question answerable, and was a non-answer invented?"""

    kind: Literal["answer"] = "answer"
    answerable: bool
    hallucinated: bool = False  # answered a question the article does not answer
    rule: str | None = None  # the matching rule that decided (harness.matching.answers)


class LabelDetails(_Frozen):
    """A label against a gold label (factcheck), for the confusion matrix and macro-F1, with the verdicts on
    the reason given for it."""

    kind: Literal["label"] = "label"
    gold: str
    predicted: str
    correction: bool | None = None  # judged on refuted claims labelled refuted: states the true fact?
    correction_rule: str | None = None  # the matching rule that decided it
    evidence: bool | None = None  # judged on claims with golden evidence: is the quote a right passage?

    @property
    def right_reason(self) -> bool:
        """The right label, and every verdict that applies holds."""
        return self.gold == self.predicted and self.correction is not False and self.evidence is not False


class CoverageDetails(_Frozen):
    """A graded text (summary): the weighted share of key facts stated, and what went wrong."""

    kind: Literal["coverage"] = "coverage"
    coverage: float
    covered: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    forbidden_hits: tuple[str, ...] = ()
    words: int = 0
    within_length: bool = True
    key_points: int = 0
    grounded_points: int = 0
    sentences: dict[str, str] = {}  # fact id -> the sentence that states it (key facts and forbidden ones)
    swaps: dict[str, str] = {}  # key fact id -> the clause that puts its words with another quantity's number
    nearest: dict[str, str] = {}  # missed key fact id -> the summary's sentence closest to it
    unsupported_numbers: tuple[str, ...] = ()  # numbers the article does not state, as written
    unsupported_names: tuple[str, ...] = ()  # names neither the article nor the goldens give
    misattributed: dict[str, str] = {}  # speaker -> the sentence giving them what the article gives another

    @property
    def faithful(self) -> bool:
        """Nothing the article does not state: no unsupported number or name, no statement given to the
        wrong speaker."""
        return not self.unsupported_numbers and not self.unsupported_names and not self.misattributed


def _legacy_details(value: Any) -> Any:
    """results.jsonl written before details were typed held plain dicts: read them by their keys."""
    if not isinstance(value, dict) or "kind" in value:
        return value
    if "hallucinated" in value:
        return {"kind": "answer", "answerable": False, "hallucinated": value["hallucinated"]}
    if "gold" in value:
        return {"kind": "label", **value}
    if "coverage" in value:
        return {"kind": "coverage", **value}
    return None  # {} (an answerable question, an invalid reply): nothing was recorded


Details = Annotated[
    AnswerDetails | LabelDetails | CoverageDetails | None,
    Field(discriminator="kind"),
    BeforeValidator(_legacy_details),
]


class JudgeVerdict(_Frozen):
    """A judge model's ruling on one reply, kept beside the rules' verdict (``harness/judge/``). The rules'
    outcome stays the result's ``outcome``; ``--judge-policy`` decides which one the metrics count."""

    model: str
    prompt: str  # the judge prompt's ref, e.g. judge/qa/v1
    key: str  # sha256 of the judge's request: when a golden or the rules' input changes, so does this
    accepted: bool | None  # the judge's verdict: right or not; None when the judge failed (``error``)
    reason: str = ""
    error: str | None = None  # the call failed or the reply broke its schema: the rules' verdict stands
    coverage: float | None = None  # a summary: the weighted share of key facts the judge found stated
    stated: tuple[str, ...] = ()  # a summary: the key facts the judge found stated
    forbidden: tuple[str, ...] = ()  # a summary: the forbidden facts the judge found stated
    sentences: dict[str, str] = {}  # a summary: fact id -> the sentence the judge quoted
    unsupported: tuple[str, ...] = ()  # a summary: its sentences the judge found the article does not support
    swapped: bool | None = None  # the consistency check: the verdict with the order of the fields swapped
    usage: Usage = Usage()
    calls: int = 1  # judge requests made for this verdict (2 with the consistency check)
    cached: bool = False


class Verdict(_Frozen):
    """Scoring's word on one reply: the outcome, why, and what the task's metrics need."""

    outcome: Outcome
    reason: str
    grounded: bool | None = None  # was the quoted evidence found in the seed?
    details: Details = None
    judge: JudgeVerdict | None = None  # a judge model's ruling beside the rules' (``harness run --judge``)


class ItemResult(_Frozen):
    """One line of results.jsonl: everything needed to re-score and to explain."""

    model: str
    id: str
    seed: str
    task: TaskName
    item: str
    sample: int
    prompt_ref: str
    mode: Mode
    raw: str | None
    parsed: dict[str, Any] | None
    outcome: Outcome
    reason: str
    grounded: bool | None = None
    details: Details = None
    usage: Usage = Usage()
    latency_s: float = 0.0
    attempts: int = 1
    retry_wait_s: float = 0.0  # of latency_s, waited between attempts (Retry-After or backoff)
    cached: bool = False
    finish_reason: str | None = None
    tags: tuple[str, ...] = ()
    judge: JudgeVerdict | None = None
    batch: bool = False  # answered through a Batch API or an imported batch file (priced at its rate)


def result_of(
    model: str, item: WorkItem, reply: ModelReply, verdict: Verdict, parsed: dict[str, Any] | None, batch: bool = False
) -> ItemResult:
    """The line of results.jsonl for one judged reply (the one place it is built: runner, batch import and
    bench); ``batch``: answered through a Batch API or an imported batch file."""
    return ItemResult(
        model=model,
        id=item.id,
        seed=item.seed,
        task=item.task,
        item=item.item,
        sample=item.sample,
        prompt_ref=item.prompt_ref,
        mode=reply.mode,
        raw=reply.text,
        parsed=parsed,
        outcome=verdict.outcome,
        reason=verdict.reason,
        grounded=verdict.grounded,
        details=verdict.details,
        usage=reply.usage,
        latency_s=round(reply.latency_s, 4),
        attempts=reply.attempts,
        retry_wait_s=reply.retry_wait_s,
        cached=reply.cached,
        finish_reason=reply.finish_reason,
        tags=item.tags,
        judge=verdict.judge,
        batch=batch,
    )
