"""Settings of the bare baseline server: Vigil's database and apps, no middleware, no templates.

Used only by ``benchmarks/web_bench.py`` (``DJANGO_SETTINGS_MODULE=web_bare_settings`` with
``benchmarks/`` on the path): the same database connection as Vigil, so the same SQL costs the
same, and nothing else.
"""

from vigil.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "web_bare_urls"
TEMPLATES: list[dict[str, object]] = []
