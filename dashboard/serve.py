"""Start the app with its caches already warm: `python -m dashboard.serve [streamlit run options]`.

`streamlit run dashboard/app.py` runs no app code until a browser connects, so the first visitor after a start paid
for everything: the imports of the pages (pandas, altair, folium, scipy), reading the public tables, the boundaries
and the default view of the page they opened (14–17 s on the shared 2-core box, against ~3 s for the tenth
visitor). This launcher does that work in the server's own process before the server listens: the process-wide
caches of dashboard.cache (and, in official mode, dashboard.official_cache) that every session reads are filled,
then Streamlit's own `run` command starts as usual with the same options. The first visitor then waits no longer
than the tenth. If the data cannot be read yet, the server still starts and the pages say why.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib
import logging
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

APP = ROOT / "dashboard" / "app.py"
SCREENS = ROOT / "dashboard" / "screens"
_LOG = logging.getLogger("enbek.serve")
# Streamlit warns once per cache that it found no runtime yet (the caches are kept and reused by the runtime).
_QUIET = ("streamlit.runtime.caching.cache_data_api", "streamlit.runtime.scriptrunner_utils.script_run_context",
          "streamlit.runtime.caching.cache_resource_api")


def page_modules(paths: Sequence[Path] | None = None) -> list[str]:
    """The project modules that app.py and the page scripts import (`from dashboard import cache` -> dashboard.cache),
    read from their source so that a new page's imports are warmed without a list to keep up to date."""
    found: dict[str, None] = {}
    for path in paths if paths is not None else [APP, *sorted(SCREENS.glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            else:
                continue
            for name in names:
                if name.split(".")[0] in ("dashboard", "data", "geo", "layers", "osh"):
                    found.setdefault(name, None)
    return list(found)


def import_pages(names: Sequence[str]) -> int:
    """Import each module (a name that is an attribute, not a module, is skipped); returns how many were imported."""
    done = 0
    for name in names:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a module that exists failed on a missing import: that is an error
                raise
            continue
        done += 1
    return done


def _below_error(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR


@contextlib.contextmanager
def _quiet_streamlit() -> Iterator[None]:
    # a filter, not a level: Streamlit resets its loggers' levels whenever it (re)reads its config
    loggers = [logging.getLogger(name) for name in _QUIET]
    for lg in loggers:
        lg.addFilter(_below_error)
    try:
        yield
    finally:
        for lg in loggers:
            lg.removeFilter(_below_error)


def warm_official() -> None:
    """Official mode: the read-only store, the region outlines and the enterprise map's base (every enterprise read
    once), which the enterprise map and the inspection plan otherwise load for their first visitor."""
    from dashboard import official_cache
    from data import settings
    from data.store import StoreError

    try:
        store = official_cache.store()
    except (official_cache.StoreMissing, StoreError) as exc:
        _LOG.warning("warm-up: the store cannot be opened (%s); the official pages will say so", exc)
        return
    official_cache.outlines(settings.get("ENBEK_TILES"))
    if store.has_table("enterprise_risk"):
        official_cache.map_base(store)


def page_icon(path: Path = APP) -> str:
    """The page_icon app.py gives st.set_page_config (read from its source: importing app.py would run the app)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "set_page_config":
            for kw in node.keywords:
                if kw.arg == "page_icon" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    return kw.value.value
    return ""


def warm_streamlit(icon: str) -> None:
    """Streamlit's own once-per-process work that the first session would do: the emoji pattern set_page_config
    checks the page icon against (compiled on first use, ~0.5 s idle and 2 s on the loaded box), and the check for
    an interactive interpreter before the first element is sent (a walk of every loaded module's source file,
    1.5 s there); that check only decides whether to print "use streamlit run", which a served app never needs."""
    from streamlit import delta_generator, string_util

    if icon:
        string_util.is_emoji(icon)
    delta_generator._use_warning_has_been_displayed = True


def freeze_heap() -> int:
    """Move every object alive now (the imported modules, the public tables, the boundaries, the cached views: a
    quarter of a million objects) out of the garbage collector's sight; returns how many. Streamlit runs a full
    collection after every script run (runner.postScriptGC), and Python one now and then while a page runs: each
    walked all of them, 0.35 s idle and more on the loaded box, holding the GIL, so the page's last messages waited.
    They live as long as the process; what a page run allocates afterwards is still collected."""
    gc.collect()  # garbage of the warm-up is freed first, not frozen
    gc.freeze()
    return gc.get_freeze_count()


def warm() -> float:
    """Everything the first visitor would otherwise wait for; returns the seconds it took."""
    from data import settings

    start = time.perf_counter()
    with _quiet_streamlit():  # before the first import of dashboard.cache: st.cache_data warns at decoration too
        from dashboard import cache

        import_pages(page_modules())
        warm_streamlit(page_icon())
        try:
            n = cache.warm_now()
        except cache.DataUnavailableError as exc:
            _LOG.warning("warm-up: %s", exc)
            n = 0
        if settings.mode() == "official":
            warm_official()
    frozen = freeze_heap()
    took = time.perf_counter() - start
    _LOG.warning("warm-up: %d page views cached in %.1f s (%d objects frozen)", n, took, frozen)
    return took


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the options as `streamlit run` does (so server.baseUrlPath and the rest are known while warming), warm
    the caches, then hand over to Streamlit's `run` command, which serves until stopped."""
    from streamlit import config
    from streamlit.web import bootstrap, cli

    args = [str(APP), *(sys.argv[1:] if argv is None else argv)]
    with cli.main_run.make_context("run", list(args)) as ctx:
        flags = {k: v for k, v in ctx.params.items() if k not in ("target", "args")}
    config._main_script_path = str(APP)  # as `streamlit run` sets it before reading the config files
    bootstrap.load_config_options(flag_options=flags)
    warm()
    cli.main.main(args=["run", *args], prog_name="streamlit")


if __name__ == "__main__":
    main()
