"""Vigil's settings with two test pages before Vigil's URLs (``tests/slow_page_urls.py``), for a
`vigil serve` that tests/core/test_serve_slow_page.py starts: the real server and middleware."""

from vigil.settings import *  # noqa: F403

ROOT_URLCONF = "tests.slow_page_urls"
