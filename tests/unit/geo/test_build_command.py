"""Tests of `enbek build-boundaries`: checksum failure is a user-facing error; a rebuild reports its figures."""

from __future__ import annotations

import pytest

from enbek.cli import main
from geo import build
from geo.boundaries import EMBEDDED_LAYER, EMBEDDED_LICENSE, EMBEDDED_METRICS


def test_bad_tarball_is_a_command_error(tmp_path, capsys):
    (tmp_path / build.TARBALL_NAME).write_bytes(b"tampered")
    code = main(["build-boundaries", "--cache-dir", str(tmp_path), "--out-dir", str(tmp_path / "out")])
    assert code == 2
    err = capsys.readouterr().err
    assert "enbek build-boundaries:" in err
    assert "differs from the pinned" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
@pytest.mark.skipif(not (build.CACHE_DIR / build.TARBALL_NAME).exists(), reason="the npm tarball is not cached")
def test_rebuild_is_byte_for_byte_reproducible(tmp_path, capsys):
    assert main(["build-boundaries", "--out-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"{len(EMBEDDED_LAYER.read_bytes())} bytes" in out
    assert "71           802 km²" in out
    for committed in (EMBEDDED_LAYER, EMBEDDED_LICENSE, EMBEDDED_METRICS):
        assert (tmp_path / committed.name).read_bytes() == committed.read_bytes(), committed.name
