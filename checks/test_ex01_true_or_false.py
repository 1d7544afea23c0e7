"""Checks for exercise 1: four true-or-false statements, one point each.

Contract: /work/shared/design/exercises.md, ex1: `ANSWERS: dict[int, bool | None]`.
Decisions where the contract is silent:
- The keys are the statement numbers as ints (the contract's `dict[int, ...]`): an answer
  stored under "1" (a string), 1.0 or True is not found, and the message says that the keys
  are ints. A missing key is reported as such, not as unanswered.
- Any mapping that is a dict (an OrderedDict, a defaultdict) is read through its stored
  items only; extra keys (5: None) are ignored.
- Answers are exactly `True` or `False` (`type(v) is bool`): 1 / 0, "True", np.True_ get the
  message that answers are Python booleans. `None` is unanswered.
"""

from __future__ import annotations

import pytest

from checks.feedback import Failure, T
from checks.submission import student

ex = student("ex01_true_or_false")

STATEMENTS = {
    1: (True, T(ja="正 — PyTorch はコードの実行とともに動的に計算グラフを構築します（Define-by-Run）。",
                en="True — PyTorch builds the computation graph dynamically as the code runs (Define-by-Run).")),
    2: (True, T(ja="正 — TF 2.x ではデフォルトで即時実行（Eager Execution）されます。",
                en="True — TF 2.x executes eagerly by default.")),
    3: (False, T(ja="誤 — model(x) と呼ぶと __call__ が forward を自動的に呼びます（フックも実行されます）。",
                 en="False — model(x) calls forward for you through __call__ (running hooks too).")),
    4: (True, T(ja="正 — DataLoader を反復するたびに（毎エポック）新しい順序でシャッフルされます。",
                en="True — every new iteration over the DataLoader (every epoch) draws a new order.")),
}


def _answers() -> dict:
    answers = ex.ANSWERS
    if isinstance(answers, dict):  # an OrderedDict or defaultdict is fine: read its stored items only
        answers = dict(dict.items(answers))
    if type(answers) is not dict:
        raise Failure(
            T(ja=f"ANSWERS は dict である必要がありますが {type(answers).__name__} でした",
              en=f"ANSWERS must be a dict, got {type(answers).__name__}"),
            T(ja="{1: True, 2: False, ...} の形で書きます", en="write it as {1: True, 2: False, ...}"),
        )
    return answers


def _answer(answers: dict, number: int) -> object:
    """The value stored under the int key `number` (not under "1", 1.0 nor True)."""
    for key, value in answers.items():
        if type(key) is int and key == number:
            return value
    keys = ", ".join(repr(key) for key in list(answers)[:8])
    raise Failure(
        T(ja=f"ANSWERS に文 {number} のキー（int の {number}）がありません（キー: {keys}）",
          en=f"ANSWERS has no key {number} (an int) for statement {number} (its keys: {keys})"),
        T(ja="キーは文の番号を int で書きます: {1: True, 2: False, ...}（\"1\" のような文字列ではありません）",
          en="the keys are the statement numbers as ints: {1: True, 2: False, ...} (not strings such as \"1\")"),
    )


@pytest.mark.parametrize("number", sorted(STATEMENTS), ids=lambda n: f"statement_{n}")
def test_answer(number: int) -> None:
    """Statement `number` is answered under the int key `number` with the right bool."""
    correct, explanation = STATEMENTS[number]
    given = _answer(_answers(), number)
    if given is None:
        raise Failure(T(ja=f"文 {number} が未回答です（None）", en=f"statement {number} is unanswered (None)"),
                      T(ja="True か False を書いてください", en="write True or False"))
    if type(given) is not bool:
        raise Failure(
            T(ja=f"文 {number} の答え {given!r} は True / False ではありません",
              en=f"the answer to statement {number}, {given!r}, is not True or False"),
            T(ja="答えは Python の真偽値 True か False で書きます（文字列や数値は不可）",
              en="answers are Python booleans, True or False (not strings or numbers)"),
        )
    if given is not correct:
        raise Failure(T(ja=f"文 {number} の答えが違います", en=f"the answer to statement {number} is wrong"),
                      help=explanation)
