"""`vigil serve`'s gunicorn layout: workers × threads, configurable, never zero."""

from __future__ import annotations

import pytest

from vigil.core.errors import ConfigurationError
from vigil.core.serving import DEFAULT_THREADS, DEFAULT_WORKERS, serve


@pytest.mark.parametrize(("workers", "threads"), [(0, 4), (2, 0), (-1, 1)])
def test_a_layout_without_a_worker_or_a_thread_is_refused_before_anything_starts(
    workers, threads
):
    with pytest.raises(ConfigurationError, match="at least one worker and one thread"):
        serve(workers=workers, threads=threads, say=lambda line: None)


def test_the_default_layout_serves_with_at_least_one_worker_and_thread():
    assert DEFAULT_WORKERS >= 1 and DEFAULT_THREADS >= 1


def test_the_default_layout_leaves_a_worker_a_thread_beside_a_slow_page():
    # A gthread worker keeps taking connections while its threads are busy: with one thread a
    # slow page holds them all (tests/core/test_serve_slow_page.py runs the real server).
    assert DEFAULT_THREADS >= 2
