"""Vigil's settings with one trivial view added (``web_serving_urls``), for
``web_serving.py --http``: `vigil serve` run with ``DJANGO_SETTINGS_MODULE=web_serving_settings``
(``benchmarks/`` on the path) serves Vigil exactly as configured — middleware, gunicorn — and a
view that returns two bytes: what the serving layer alone costs per request."""

from vigil.settings import *  # noqa: F403

ROOT_URLCONF = "web_serving_urls"
