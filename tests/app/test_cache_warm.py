"""The warm-up at server start (`python -m dashboard.serve` -> dashboard.cache.warm_now) fills the caches the pages
read: afterwards the default view of every public page in every language is a cache hit, and a first visitor's
Overview and Regions compute nothing. (Speed itself is measured by tests/bench/bench_barometer_paint.py, never here.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dashboard.i18n import LANGS


def refusing(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A stand-in with the same cache name as `fn` (dashboard.cache keys a view by module and name) that fails
    the test if the cache ever calls it, i.e. if the view was not cached."""
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError(f"{fn.__module__}.{fn.__qualname__} was computed again after the warm-up")

    refuse.__module__, refuse.__qualname__, refuse.__name__ = fn.__module__, fn.__qualname__, fn.__name__
    return refuse


@pytest.fixture
def warmed(app_env: None) -> int:
    from dashboard import cache

    return cache.warm_now()


def test_the_warm_up_caches_the_default_view_of_every_public_page_in_every_language(warmed: int) -> None:
    from dashboard import cache, views

    selections = cache.default_selections(cache.options())
    pages = {fn.__name__ for fn, _sel, _maps in selections}
    assert pages == {"overview", "regions", "sectors", "diseases", "gap", "international", "methodology", "targets",
                     "measures"}
    assert {sel.lang for _fn, sel, _maps in selections} == set(LANGS)
    assert [fn.__name__ for fn, _s, _m in selections[: 2 * len(LANGS)]] == ["overview", "regions"] * len(LANGS)
    assert warmed == len(selections)  # the demo publication fills every page, the gap chart included
    for fn, selection, maps in selections:
        shown = cache.view(refusing(fn), selection, maps=maps)
        assert type(shown).__name__ == f"{type(selection).__name__.removesuffix('Selection')}View"
    assert isinstance(cache.view(refusing(views.overview), selections[0][1]), views.OverviewView)


@pytest.mark.parametrize(("page", "lang", "fn"), [("screens/overview.py", "ru", "overview"),
                                                  ("screens/regions.py", "kk", "regions")])
def test_after_the_warm_up_the_first_visitor_gets_the_pages_from_the_cache(
        warmed: int, make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, page: str, lang: str, fn: str) -> None:
    from dashboard import views

    monkeypatch.setattr(views, fn, refusing(getattr(views, fn)))
    at = make_app(lang=lang, page=page)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value


def test_the_launcher_warms_what_app_py_and_every_page_import() -> None:
    from dashboard import serve

    names = serve.page_modules()
    assert {"dashboard.cache", "dashboard.views", "dashboard.render", "dashboard.page"} <= set(names)
    assert "streamlit" not in names
    assert serve.page_icon() == "🦺"


def test_import_pages_skips_imported_names_but_not_a_broken_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard import serve

    assert serve.import_pages(["dashboard.i18n", "dashboard.i18n.t"]) == 1  # `t` is a function, not a module
    (tmp_path / "enbek_broken_page.py").write_text("import enbek_missing_dependency\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="enbek_missing_dependency"):
        serve.import_pages(["enbek_broken_page"])
