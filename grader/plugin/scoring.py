"""Plugin concern: what each check is worth.

    @pytest.mark.points(2)
    def test_statistics_per_feature(): ...

A check without the marker is worth 1 point. Points are read at collection, in the
grader's own process, before any student code runs.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): how many points the check is worth (default 1)")
    config.addinivalue_line("markers", "framework(name): the check needs this framework (torch, keras)")


def points_of(item: pytest.Item) -> float:
    marker = item.get_closest_marker("points")
    if marker is None:
        return 1.0
    value = marker.args[0] if marker.args else marker.kwargs.get("n", 1)
    if not isinstance(value, (int, float)) or value < 0:
        raise pytest.UsageError(f"{item.nodeid}: points must be a non-negative number, got {value!r}")
    return float(value)


def check_name(item: pytest.Item) -> str:
    """The check's name in reports: the test function without `test_`, with its parameters."""
    name = item.name.removeprefix("test_")
    return name
