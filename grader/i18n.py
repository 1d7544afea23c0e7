"""Bilingual text: every student-facing string exists in Japanese and English.

`T` carries both languages; it is rendered only at the edge (a report, the CLI), so
checks, results and reports pass the pair around and the learner picks the language.

    >>> msg = T(ja="まだ実装されていません", en="not implemented yet")
    >>> msg.render("en")
    'not implemented yet'

Imports nothing heavy: `grade list` must stay fast.
"""

from __future__ import annotations

import locale
import os
from dataclasses import dataclass
from typing import Any, Literal

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


@dataclass(frozen=True)
class T:
    """A text in Japanese and English. Both are required: no half-translated message ships.

    Placeholders use `str.format` syntax and are filled by `format(**kw)` in both languages:

        >>> T(ja="{n} 個", en="{n} items").format(n=3).en
        '3 items'
    """

    ja: str
    en: str

    def __post_init__(self) -> None:
        if not isinstance(self.ja, str) or not isinstance(self.en, str) or not self.ja or not self.en:
            raise ValueError(f"T needs non-empty ja and en texts, got ja={self.ja!r} en={self.en!r}")

    def render(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en

    def format(self, **kw: Any) -> "T":
        return T(ja=self.ja.format(**kw), en=self.en.format(**kw))

    def __add__(self, other: "T") -> "T":
        return T(ja=self.ja + other.ja, en=self.en + other.en)

    def to_dict(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}

    @classmethod
    def from_dict(cls, d: dict[str, str]) -> "T":
        return cls(ja=d["ja"], en=d["en"])

    @classmethod
    def same(cls, text: str) -> "T":
        """Text that reads the same in both languages (a number, code, a file name)."""
        return cls(ja=text, en=text)


def detect_lang(explicit: str | None = None) -> Lang:
    """`--lang` first, then `GRADE_LANG`, then the locale (Japanese when it is ja_*), else English."""
    for candidate in (explicit, os.environ.get("GRADE_LANG")):
        if candidate:
            c = candidate.lower()[:2]
            if c in LANGS:
                return c  # type: ignore[return-value]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "ja" if loc.lower().startswith("ja") else "en"
