"""The LLM judge: a model's second opinion beside the rules, itself measured (``harness run --judge``).

The rules stay the verdict of record: a result's ``outcome`` is theirs, and the judge's ruling is kept
beside it (``types.JudgeVerdict``). Which of the two the headline metrics count is ``--judge-policy``
(``policy.py``); how often the judge and the rules agree, with Cohen's kappa, is in every report
(``agreement.py``), and ``harness agree FILE --judge MODEL`` measures the judge against people.

- ``rulings.py``: what a judge answers (its JSON Schemas) and how a reply is read;
- ``requests.py``: the judge's request for one reply, from versioned prompts (``prompts/judge/``);
- ``judge.py``: one ruling: the request, the cache, the call, the reading; a failure is a judge error;
- ``scorer.py``: the run's scorer: the rules, then the judge on the items it is asked to rule on.
"""
