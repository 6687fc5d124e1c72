"""SIGKILL during ingest (between a batch's commit and its story hooks included) loses no derived row: after a
restart the store equals a clean run's (benchmarks/kills.py runs the same campaign at any size)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.store.snapshot import news_pages

sys.path.insert(0, str(ROOT))

from benchmarks.kills import DATA, real_pages, run_campaign, table


def test_a_kill_before_the_last_batch_hooks_loses_nothing(tmp_path: Path) -> None:
    """Killed at the story hooks of the last batch (its articles committed, so a rerun finds them all stored): the
    restarted ingest still leaves every story with its highlights, entities, events and stored page."""
    pages = news_pages(tmp_path / "pages", 8)
    batches = -(-len(pages) // 2)
    campaign = run_campaign(tmp_path / "pages", tmp_path, 1, plan=[(batches, None)])
    assert campaign.kills[0].killed and campaign.kills[0].pending >= 1
    assert campaign.final_status == 0
    assert campaign.differences == {}, table(campaign)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("NEWSFOLD_LONG_KILLS"),
    reason="20 kills take minutes: NEWSFOLD_LONG_KILLS=1 runs them (python benchmarks/kills.py prints the table)",
)
def test_twenty_kills_lose_nothing(tmp_path: Path) -> None:
    """The campaign of docs/reliability.md: 20 kills over one store, then one restart: nothing missing or extra."""
    news_pages(tmp_path / "pages", 30)
    campaign = run_campaign(tmp_path / "pages", tmp_path, 20)
    assert campaign.final_status == 0
    assert campaign.differences == {}, table(campaign)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("NEWSFOLD_LONG_KILLS"),
    reason="20 kills take minutes: NEWSFOLD_LONG_KILLS=1 runs them (python benchmarks/kills.py prints the table)",
)
def test_twenty_kills_over_real_news_lose_nothing(tmp_path: Path) -> None:
    """The same over real news (extraction-dev pages and wikinews-en articles with copies: hundreds of stories)."""
    if not (DATA / "extraction-dev").exists() or not (DATA / "wikinews-en").exists():
        pytest.skip(f"development data under {DATA} is absent")
    real_pages(tmp_path / "pages", 120, 150)
    campaign = run_campaign(tmp_path / "pages", tmp_path, 20)
    assert len(campaign.clean["live stories"]) > 100
    assert campaign.final_status == 0
    assert campaign.differences == {}, table(campaign)
