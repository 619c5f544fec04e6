"""How often a scorer agrees with people: pure functions from judged rows to the figures `harness agree`
prints. Beside the harness's matcher, the usual baselines are judged on the same rows: exact match,
token F1 >= 0.5 and containment, each after SQuAD's normalisation (lower case, punctuation and
articles removed, white space folded), the reference of the QA literature.
"""

from __future__ import annotations

import re
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from harness.agree.rows import Row
from harness.matching.abstention import declines
from harness.matching.answers import Match, match_answer
from harness.stats import Estimate, cohen_kappa, wilson

F1_BASELINE = 0.5
_PUNCTUATION = str.maketrans("", "", string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def squad_normal(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split())


def exact_match(row: Row) -> bool:
    return any(squad_normal(a) == squad_normal(row.candidate) for a in row.answers)


def containment(row: Row) -> bool:
    candidate = squad_normal(row.candidate)
    return any(gold and gold in candidate for gold in map(squad_normal, row.answers))


def token_f1_at_half(row: Row) -> bool:
    words = squad_normal(row.candidate).split()
    for gold in row.answers:
        common = sum((Counter(words) & Counter(squad_normal(gold).split())).values())
        if common and 2 * common / (len(words) + len(squad_normal(gold).split())) >= F1_BASELINE:
            return True
    return False


BASELINES: dict[str, Callable[[Row], bool]] = {
    "exact match": exact_match,
    "token F1 >= 0.5": token_f1_at_half,
    "containment": containment,
}


def judge(row: Row, rules: frozenset[str]) -> Match:
    """The harness's verdict, as the qa task gives it: an answer that declines is not right."""
    if declines(row.candidate):
        return Match(False, "abstains", "declines to answer")
    return match_answer(row.key, row.candidate, question=row.question, rules=rules)


class Agreement(BaseModel):
    """One scorer against people on a set of rows."""

    model_config = ConfigDict(frozen=True)

    scorer: str
    n: int
    agreement: Estimate
    kappa: Estimate
    false_accepts: int  # the scorer says right, the person wrong
    false_rejects: int  # the scorer says wrong, the person right
    accepts: int
    human_accepts: int


def agreement(scorer: str, pairs: Sequence[tuple[bool, bool]]) -> Agreement:
    """``pairs`` are (scorer, person) verdicts."""
    return Agreement(
        scorer=scorer,
        n=len(pairs),
        agreement=wilson(sum(a == b for a, b in pairs), len(pairs)),
        kappa=cohen_kappa(pairs),
        false_accepts=sum(a and not b for a, b in pairs),
        false_rejects=sum(b and not a for a, b in pairs),
        accepts=sum(a for a, _ in pairs),
        human_accepts=sum(b for _, b in pairs),
    )


@dataclass(frozen=True)
class Judged:
    row: Row
    match: Match


def breakdown(judged: Sequence[Judged], group: Callable[[Row], str]) -> dict[str, Agreement]:
    """The harness's agreement per value of ``group`` (a type, a system...), largest group first."""
    groups: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for j in judged:
        groups[group(j.row)].append((j.match.correct, j.row.human))
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return {name: agreement("harness", pairs) for name, pairs in ordered}
