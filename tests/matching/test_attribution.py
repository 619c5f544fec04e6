"""Who said it (harness.matching.attribution): statements a summary gives to the wrong speaker."""

from __future__ import annotations

import pytest

from harness.matching.attribution import attributions, misattributed

ARTICLE = "\n\n".join(
    [
        "President Donald Trump criticized Vladimir Putin on Thursday after strikes on Kyiv.",
        "\u201cI am not happy with the Russian strikes on KYIV. Vladimir, STOP!\u201d Trump said in a post.",
        "Trump met Norwegian Prime Minister Jonas Gahr St\u00f8re in the Oval Office on Thursday.",
        "Meanwhile, French President Emmanuel Macron said Putin should \u201cstop lying\u201d about wanting peace.",
        "Ukrainian President Volodymyr Zelenskyy cut short a visit to South Africa.",
        "He said the strikes were meant to pressure Washington and extract concessions from Kyiv.",
        "NATO Secretary General Mark Rutte is set to meet Marco Rubio at the State Department.",
    ]
)


@pytest.mark.parametrize(
    ("summary", "speakers"),
    [
        # a quotation is traced where the article has it, and its paragraph must name the speaker
        ("Trump posted \u201cVladimir, STOP!\u201d on Thursday.", []),
        ("Norwegian Prime Minister Jonas Gahr St\u00f8re posted \u201cVladimir, STOP!\u201d", ["St\u00f8re"]),
        ("\u201cVladimir, STOP!\u201d Macron wrote.", ["Macron"]),  # a quotation before its speaker
        # a statement without quotation marks is traced by its content words
        ("Macron said Putin should stop lying about peace.", []),
        ("Gahr St\u00f8re said Putin should stop lying about peace.", ["St\u00f8re"]),
        # a paragraph that opens with a pronoun continues the one before it
        ("Zelenskiy said the strikes aimed to pressure Washington.", []),  # a spelling variant of Zelenskyy
        ("Rutte said the strikes aimed to pressure Washington and extract concessions.", ["Rutte"]),
        # no finding: an act, not a statement; a pronoun; a title alone; a statement the article never makes
        ("Rutte criticized Putin after the strikes on Kyiv.", []),
        ("He said the strikes aimed to pressure Washington and extract concessions.", []),
        ("The president said the strikes aimed to pressure Washington and extract concessions.", []),
        ("Rutte said NATO would send more air defences.", []),
        # two speakers in one sentence: each keeps only what follows its own verb
        ("Macron said Putin should stop lying, and Rutte warned the strikes aimed to pressure Washington.", ["Rutte"]),
    ],
)
def test_statements_given_to_the_wrong_speaker(summary: str, speakers: list[str]) -> None:
    found = misattributed(summary, ARTICLE)
    assert [next(w for w in speakers if w in s) for s in found] == speakers
    assert all(sentence in summary for sentence in found.values())


def test_what_an_attribution_reads() -> None:
    [(speaker, statement, _)] = attributions(
        "Asked about peace, Prime Minister Jonas Gahr St\u00f8re also said: it waits."
    )
    assert speaker == "Prime Minister Jonas Gahr St\u00f8re"
    assert statement.strip() == ": it waits."
