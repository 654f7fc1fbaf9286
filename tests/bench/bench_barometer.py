"""Server time of a barometer page rerun after a widget change (warm data cache), measured with AppTest.

Input: the store named by ENBEK_STORE when it exists (make bench builds the national demo store), else a
small demo store built here; its public tables are published to a temporary directory and the app runs in
public mode. Two figures: a rerun with a selection not seen before (the page's view model is computed),
and a rerun with a selection seen before (the view model comes from st.cache_data).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def publish(out: Path) -> None:
    from data.store import open_store
    from osh.public import build_public_data, write_public_data

    store_path = os.environ.get("ENBEK_STORE")
    if store_path and Path(store_path).exists():
        store = open_store(Path(store_path), read_only=True)
    else:
        from data.demo import build_demo

        store = open_store(out.parent / "bench.duckdb")
        build_demo(store, seed=5, scale=0.02)
    try:
        write_public_data(build_public_data(store), out_dir=out)
    finally:
        store.close()


def main() -> int:
    from streamlit.testing.v1 import AppTest

    from dashboard.catalog import MAP_INDICATORS

    tmp = Path(tempfile.mkdtemp(prefix="enbek-bench-barometer-"))
    publish(tmp / "public")
    os.environ.update({"ENBEK_MODE": "public", "ENBEK_PUBLIC_DIR": str(tmp / "public"), "ENBEK_LANG": "kk"})
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("screens/regions.py").run()  # warms the data, boundary and Leaflet caches

    def rerun(indicator: str) -> float:
        at.selectbox(key="rg_indicator").set_value(indicator)
        start = time.perf_counter()
        at.run()
        elapsed = (time.perf_counter() - start) * 1000
        if at.exception:
            raise SystemExit(f"the page raised: {at.exception[0].message}")
        return elapsed

    fresh = [rerun(i) for i in MAP_INDICATORS[1:]]
    cached = [rerun(i) for i in MAP_INDICATORS[1:]]
    print(f"regions page, rerun after an indicator change, new selection: median {statistics.median(fresh):.0f} ms "
          f"(min {min(fresh):.0f}, max {max(fresh):.0f}, n={len(fresh)})")
    print(f"regions page, rerun after an indicator change, cached selection: median {statistics.median(cached):.0f} ms "
          f"(min {min(cached):.0f}, max {max(cached):.0f}, n={len(cached)})")
    # rerun_ms: the conservative figure, a selection whose view model is not cached yet (data, boundaries warm)
    print(f"barometer rerun_ms={statistics.median(fresh):.0f} cached_selection_ms={statistics.median(cached):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
