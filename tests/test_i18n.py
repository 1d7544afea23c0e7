import pytest

from grader.i18n import T, detect_lang


def test_text_needs_both_languages() -> None:
    with pytest.raises(ValueError):
        T(ja="", en="x")
    with pytest.raises(ValueError):
        T(ja="x", en="")


def test_render_and_format() -> None:
    t = T(ja="{n} 個", en="{n} items").format(n=3)
    assert t.render("ja") == "3 個"
    assert t.render("en") == "3 items"
    assert (T(ja="a", en="b") + T.same("!")).render("en") == "b!"


def test_language_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GRADE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert detect_lang() == "ja"
    monkeypatch.setenv("GRADE_LANG", "en")
    assert detect_lang() == "en"
    assert detect_lang("ja") == "ja"
    monkeypatch.setenv("GRADE_LANG", "xx")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert detect_lang() == "en"
