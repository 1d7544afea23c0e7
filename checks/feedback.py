"""The check-writing vocabulary: failures that speak to the learner, in ja and en.

A check states a property and, when it does not hold, raises one of these. Each carries
what was expected, what happened, the smallest counter-example and the idea to revisit;
the grader renders it in the learner's language. In the spirit of check50's
`Failure` / `Mismatch`:

    from checks.feedback import Failure, Mismatch, T, expect

    if ds.mean.shape != (F,):
        raise Mismatch((F,), ds.mean.shape,
                       what=T(ja="mean の形", en="shape of mean"),
                       help=T(ja="axis=0 で特徴量ごとに平均します", en="average over axis 0, per feature"))

Inside a hypothesis `@given` check the counter-example is filled in for you with the
shrunk falsifying example.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from grader.i18n import T

__all__ = [
    "CheckFailure",
    "Failure",
    "Mismatch",
    "T",
    "expect",
    "expect_equal",
    "expect_raises",
    "particle",
    "readable",
    "show",
    "showing",
]

# Where `showing` leaves its example on an exception the learner's code raised (read by the grader).
EXAMPLE_ATTRIBUTE = "grade_counterexample"


def show(value: Any, limit: int = 400) -> str:
    """A short, safe rendering of a value for a message (never raises, never huge)."""
    try:
        import sys

        np = sys.modules.get("numpy")
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(value, torch.Tensor):
            body = _array_str(value.detach().cpu().numpy(), np) if value.numel() <= 64 else "…"
            text = f"tensor({body}, dtype={str(value.dtype).removeprefix('torch.')}, shape={tuple(value.shape)})"
        elif np is not None and isinstance(value, np.ndarray):
            body = _array_str(value, np) if value.size <= 64 else "…"
            text = f"array({body}, dtype={value.dtype}, shape={value.shape})"
        else:
            text = readable(repr(value))
    except Exception as exc:  # a student's object whose __repr__ raises must not break feedback
        text = f"<{type(value).__name__}: repr failed ({type(exc).__name__})>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


_NUMPY_SCALAR = re.compile(r"np\.(?:float|int|uint|complex)\d*\(([^()]*)\)|np\.(True|False)_")
_LONG_FLOAT = re.compile(r"(?<![\w.])-?\d+\.\d{12,}(?:e[+-]?\d+)?(?![\w.])|(?<![\w.])-?\d\.\d{12,}e[+-]?\d+(?![\w.])")


def readable(text: str) -> str:
    """Numbers as a learner writes them, in a repr or a counter-example: `0.02` for
    `np.float64(0.02)`, `True` for `np.True_`, and `0.01` for the float noise
    `0.010000000000000002` (a float kept to 12 significant digits).

        >>> readable("eta_min=np.float64(0.010000000000000002), ok=np.True_")
        'eta_min=0.01, ok=True'
    """
    text = _NUMPY_SCALAR.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    return _LONG_FLOAT.sub(lambda m: repr(float(f"{float(m.group(0)):.12g}")), text)


def particle(subject: str) -> str:
    """`subject` followed by the particle that comes next in a Japanese sentence: a space
    after a word in Latin letters or code (`best_loss が`), none after Japanese text or a
    closing bracket (`mean の形が`, `…（3/4 要素）が`).

        >>> particle("mean の形") + "が期待と異なります"
        'mean の形が期待と異なります'
    """
    return subject if not subject or ord(subject[-1]) > 0x2FFF else subject + " "


def _array_str(arr: Any, np: Any) -> str:
    return np.array2string(arr, precision=5, threshold=64, separator=", ", suppress_small=True)


class CheckFailure(AssertionError):
    """Base of every failure a check raises on purpose. The grader reads its fields."""

    def __init__(
        self,
        rationale: T,
        help: T | None = None,
        *,
        expected: str | None = None,
        actual: str | None = None,
        counterexample: str | T | None = None,
    ) -> None:
        if not isinstance(rationale, T) or (help is not None and not isinstance(help, T)):
            raise TypeError("checks must give bilingual texts: use T(ja=..., en=...)")
        super().__init__(rationale.en)
        self.rationale = rationale
        self.help = help
        self.expected = expected
        self.actual = actual
        self.counterexample = counterexample


class Failure(CheckFailure):
    """The property does not hold, for a reason stated in words.

        raise Failure(T(ja="zero_grad が呼ばれていません", en="zero_grad was never called"),
                      help=T(ja="勾配は蓄積されます", en="gradients accumulate"))
    """

    def __init__(self, rationale: T, help: T | None = None, *, counterexample: Any = None) -> None:
        super().__init__(rationale, help, counterexample=None if counterexample is None else _as_text(counterexample))


class Mismatch(CheckFailure):
    """A value differs from the one expected (`rationale` replaces the sentence built from
    `what` when the check says it better).

        raise Mismatch(expected=0.0, actual=loss, what=T(ja="損失", en="the loss"),
                       help=T(ja="MSELoss はインスタンス化してから呼びます", en="instantiate MSELoss, then call it"))
    """

    def __init__(
        self,
        expected: Any,
        actual: Any,
        help: T | None = None,
        *,
        what: T | None = None,
        counterexample: Any = None,
        rationale: T | None = None,
    ) -> None:
        rationale = rationale or (
            T(ja=f"{particle(what.ja)}が期待と異なります", en=f"{what.en} is not what was expected")
            if what is not None
            else T(ja="結果が期待と異なります", en="the result is not what was expected")
        )
        super().__init__(
            rationale,
            help,
            expected=_as_text(expected),
            actual=_as_text(actual),
            counterexample=None if counterexample is None else _as_text(counterexample),
        )


def _as_text(value: Any) -> str | T:
    return value if isinstance(value, (str, T)) else show(value)


@contextmanager
def showing(example: str | T | None) -> Iterator[None]:
    """If the learner's code raises inside the block, the report shows `example` as the
    counter-example (outside hypothesis there is no shrunk example to show otherwise).

        with showing(T(ja="長さ [3, 1] の 2 系列", en="two sequences of lengths [3, 1]")):
            out = ex.pad_collate(batch)
    """
    try:
        yield
    except (CheckFailure, NotImplementedError):
        raise
    except Exception as exc:
        if example is None:
            raise
        try:
            setattr(exc, EXAMPLE_ATTRIBUTE, example)
        except (AttributeError, TypeError):  # an exception type that takes no attributes
            exc.add_note(f"Falsifying example: ({example.en if isinstance(example, T) else example})")
        raise


def expect(condition: Any, rationale: T, help: T | None = None, *, counterexample: Any = None) -> None:
    """Fail with `rationale` unless `condition` is true (a plain bool: a student's object that
    claims truth through `__bool__` is not trusted, so pass the result of a comparison made
    with `checks.compare`).

        expect(len(ds) == N, T(ja="len が違います", en="wrong len"))
    """
    if condition is not True and not (type(condition).__name__ == "bool_" and bool(condition)):
        raise Failure(rationale, help, counterexample=counterexample)


def expect_equal(actual: Any, expected: Any, what: T, help: T | None = None, *, counterexample: Any = None) -> None:
    """Fail with a `Mismatch` unless `actual == expected` for plain Python values (ints,
    strings, bools, and tuples, lists and dicts of them). Every value, at every depth, must
    have the expected value's exact type before it is compared, so an always-equal object
    cannot pass, not even inside a tuple.

        expect_equal(len(ds), 100, what=T(ja="len(dataset)", en="len(dataset)"))
        expect_equal(load_checkpoint(path, model), (3, 0.5), what=T.same("load_checkpoint(...)"))
    """
    if _same(actual, expected) is not True:
        raise Mismatch(expected, actual, help, what=what, counterexample=counterexample)


def _same(actual: Any, expected: Any) -> bool:
    """Exact type first (so True is not 1), then equality, element by element in containers."""
    kind = type(expected)
    if type(actual) is not kind:
        return False
    if kind in (list, tuple):
        return len(actual) == len(expected) and all(_same(a, e) for a, e in zip(actual, expected))
    if kind is dict:
        return set(actual) == set(expected) and all(_same(actual[k], expected[k]) for k in expected)
    return bool(actual == expected)


def expect_raises(
    exc_type: type[BaseException] | tuple[type[BaseException], ...],
    fn: Any,
    *args: Any,
    what: T,
    help: T | None = None,
    **kwargs: Any,
) -> BaseException:
    """Call `fn(*args, **kwargs)` and fail unless it raises `exc_type`. Returns the exception.

        expect_raises(ValueError, NormalizedDataset, data, labels[:-1],
                      what=T(ja="長さの違う data と labels", en="data and labels of different lengths"))
    """
    names = exc_type.__name__ if isinstance(exc_type, type) else " / ".join(e.__name__ for e in exc_type)
    try:
        fn(*args, **kwargs)
    except exc_type as exc:
        return exc
    except NotImplementedError:
        raise
    except Exception as exc:
        raise Failure(
            T(ja=f"{what.ja}: {names} を期待しましたが {type(exc).__name__}: {exc} が送出されました",
              en=f"{what.en}: expected {names}, but {type(exc).__name__}: {exc} was raised"),
            help,
        ) from None
    raise Failure(
        T(ja=f"{what.ja}: {names} が送出されませんでした", en=f"{what.en}: {names} was not raised"),
        help,
    )


def skip(reason: T, *, missing_framework: bool = False) -> None:
    """Skip this check: it does not count toward the maximum score. With
    `missing_framework=True`, `grade --strict` turns the skip into an error (CI).

        skip(T(ja="CUDA デバイスがありません", en="no CUDA device"))
    """
    import pytest

    exc = pytest.skip.Exception(reason.en, allow_module_level=False)
    exc.text = reason  # type: ignore[attr-defined]
    exc.missing_framework = missing_framework  # type: ignore[attr-defined]
    raise exc
