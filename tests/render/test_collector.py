"""fewer_collections → the raised thresholds while a render runs, the previous ones after, even when it fails."""

from __future__ import annotations

import gc

import pytest

from app.render.collector import RENDER_THRESHOLDS, fewer_collections


def test_thresholds_are_raised_during_and_restored_after() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == RENDER_THRESHOLDS
        assert gc.isenabled()
    assert gc.get_threshold() == before


def test_thresholds_come_back_when_the_render_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections((5_000, 5, 5)):
        raise RuntimeError("render failed")
    assert gc.get_threshold() == before
