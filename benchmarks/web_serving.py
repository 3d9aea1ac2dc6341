"""The serving layer's own cost per request: a trivial view through Vigil's stack, and its parts.

Two parts, both on a benchmark database (settings from the environment, as ``web_cpu.py``):

- ``inproc`` (default): Django's WSGI handler called directly in this process (no socket), the
  CPU per request (``time.process_time``) of a view that returns two bytes, as the benchmark's
  analyst whose session passed 2FA: a plain WSGI callable (the harness), Django with no
  middleware, Vigil's whole ``MIDDLEWARE`` anonymous and signed in, and each middleware's own
  share (probes between the middleware: a middleware's time is its probe's minus the next
  probe's; ``process_view`` hooks run inside the innermost probe and are counted with the view).
- ``http``: the same trivial view served over loopback under ``--clients`` wrk clients, through
  `vigil serve` (its gunicorn configuration, each ``--layouts`` entry: ``WxT`` gthread,
  ``Wsync`` sync workers) and through plain gunicorn with no middleware: requests/s and the
  server processes' CPU per request.

    VIGIL_DATA_DIR=DIR/demo python benchmarks/web_serving.py [--requests 2000]
    python benchmarks/web_serving.py --http --reuse DIR [--layouts 2x4 2x1 2sync]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

OK = "/bench/ok/"
_PROBES: dict[int, float] = {}  # probe index -> CPU seconds spent inside it (inclusive)


def ok_view(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse(b"ok", content_type="text/plain")


def _urls() -> list[Any]:
    from django.urls import include, path

    return [path(OK.strip("/") + "/", ok_view), path("", include("vigil.urls"))]


urlpatterns: list[Any] = []  # filled when this module is the URL conf


class Probe:
    """Middleware that adds the CPU time spent inside it to its index's total."""

    index = 0

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        start = time.process_time()
        try:
            return self.get_response(request)
        finally:
            _PROBES[self.index] = _PROBES.get(self.index, 0.0) + time.process_time() - start


def _probe(index: int) -> str:
    name = f"Probe{index}"
    globals()[name] = type(name, (Probe,), {"index": index})
    return f"{__name__}.{name}"


def _environ(cookie: str | None) -> dict[str, Any]:
    import io

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": OK,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    return environ


def _cpu_per_request(app: Callable[..., Any], cookie: str | None, requests: int) -> float:
    """Median over five batches of the CPU milliseconds per call of ``app``."""
    status: list[str] = []

    def start_response(s: str, headers: Any, exc_info: Any = None) -> Any:
        status.append(s)
        return lambda data: None

    def one() -> None:
        body = app(_environ(cookie), start_response)
        for _ in body:
            pass
        if hasattr(body, "close"):
            body.close()

    for _ in range(50):
        one()
    if not status[-1].startswith("200"):
        raise SystemExit(f"web_serving: {OK} answered {status[-1]}")
    batches = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(requests // 5):
            one()
        batches.append((time.process_time() - start) * 1000 / (requests // 5))
    return statistics.median(batches)


def inproc(requests: int) -> None:
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    from web_plan import bench_user, verified_session

    cookie = f"{settings.SESSION_COOKIE_NAME}={verified_session(bench_user('analyst'))}"
    middleware = list(settings.MIDDLEWARE)

    def plain(environ: Any, start_response: Any) -> Any:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    rows = [("a plain WSGI callable (the harness)", _cpu_per_request(plain, None, requests))]
    with override_settings(MIDDLEWARE=[]):
        rows.append(("Django, no middleware", _cpu_per_request(WSGIHandler(), None, requests)))
    with override_settings(MIDDLEWARE=middleware):
        handler = WSGIHandler()
        rows.append(("Vigil's middleware, anonymous", _cpu_per_request(handler, None, requests)))
        rows.append(("Vigil's middleware, signed in", _cpu_per_request(handler, cookie, requests)))
    for label, ms in rows:
        print(f"| {label} | {ms:.3f} |")
    probed = [item for n, name in enumerate(middleware) for item in (_probe(n), name)]
    probed.append(_probe(len(middleware)))
    with override_settings(MIDDLEWARE=probed):
        handler = WSGIHandler()
        for label, who in (("signed in", cookie), ("anonymous", None)):
            _PROBES.clear()
            _cpu_per_request(handler, who, requests)
            calls = 50 + 5 * (requests // 5)
            print(f"\nEach middleware's own CPU µs per request ({label}; the view and "
                  "process_view hooks in the last line):")  # fmt: skip
            for n, name in enumerate(middleware):
                own = _PROBES[n] - _PROBES[n + 1]
                print(f"| {name} | {own * 1e6 / calls:.0f} |")
            print(f"| (view, URL resolving, process_view) | "
                  f"{_PROBES[len(middleware)] * 1e6 / calls:.0f} |")  # fmt: skip


SERVERS = {
    "vigil": "web_serving_settings",  # Vigil's settings and middleware, the trivial view added
    "bare": "web_serving_bare",  # no middleware
}


def _server(backend: Any, layout: str, stack: str) -> Any:
    """gunicorn serving the trivial view: ``WxT`` gthread (as `vigil serve`), ``WxTfree`` gthread
    taking a connection only with a thread free (no keep-alive), ``Wsync`` sync workers;
    ``stack`` "vigil" (`vigil serve`'s own command for ``WxT``), "bare" (no middleware) or
    "wsgi" (no Django)."""
    from web_data import VIGIL
    from web_load import Server, free_port

    port = free_port()
    env = {**backend.env, "DJANGO_SETTINGS_MODULE": SERVERS.get(stack, "web_serving_bare")}
    workers, _, rest = layout.partition("x") if "x" in layout else (layout[:-4], "", "sync")
    threads = "".join(c for c in rest if c.isdigit()) or "1"
    if stack == "vigil" and rest.isdigit():
        argv = [*VIGIL, "serve", "--port", str(port), "--workers", workers, "--threads", threads]
    else:
        app = "django.core.wsgi:get_wsgi_application()"
        if stack == "wsgi":
            app = "web_serving_bare:hello"
        argv = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                "--workers", workers, "--log-level", "warning"]  # fmt: skip
        if rest == "sync":
            argv += ["--worker-class", "sync"]
        else:
            argv += ["--worker-class", "gthread", "--threads", threads]
            if rest.endswith("free"):
                argv += ["--worker-connections", threads, "--keep-alive", "0"]
        argv.append(app)
    return Server(argv, env, port, OK)


def http(args: argparse.Namespace) -> None:
    from web_data import sqlite_demo
    from web_layouts import fresh_plan
    from web_load import concurrent

    backend = sqlite_demo(args.reuse, 0, reuse=True)
    plan = fresh_plan(backend, args.clients)
    cookies = [f"{plan['cookie_name']}={key}" for key in plan["sessions"]][: args.clients]
    runs: dict[tuple[str, str], list[Any]] = {}
    for n in range(args.rounds):
        for stack in args.stacks:
            for layout in args.layouts:
                server = _server(backend, layout, stack)
                try:
                    found = concurrent(server.port, [OK], cookies, server, args.clients,
                                       args.seconds)  # fmt: skip
                finally:
                    server.stop()
                runs.setdefault((stack, layout), []).append(found)
                print(f"  round {n + 1} {stack} {layout}: {found.rps:.0f}/s, "
                      f"{1000 * found.server_cpu / max(found.rps, 1e-9):.2f} ms CPU/request, "
                      f"machine busy {found.machine_busy:.0%}", file=sys.stderr)  # fmt: skip
    print("| stack | layout | req/s (runs) | server CPU ms/request | p95 ms | errors |")
    print("|---|---|---:|---:|---:|---:|")
    for (stack, layout), rows in runs.items():
        rps = [r.rps for r in rows]
        cpu = statistics.median(1000 * r.server_cpu / max(r.rps, 1e-9) for r in rows)
        print(f"| {stack} | {layout} | {statistics.median(rps):.0f} "
              f"({' / '.join(f'{x:.0f}' for x in rps)}) | {cpu:.2f} "
              f"| {statistics.median(r.p95_ms for r in rows):.0f} "
              f"| {sum(r.errors for r in rows)} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--http", action="store_true", help="over loopback under wrk")
    parser.add_argument("--reuse", type=Path, help="web_bench.py's folder (with --http)")
    parser.add_argument("--layouts", nargs="+", default=["2x4", "2x1", "2sync"])
    parser.add_argument("--stacks", nargs="+", default=["vigil", "bare", "wsgi"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    if args.http:
        if args.reuse is None:
            raise SystemExit("web_serving: --http needs --reuse DIR")
        http(args)
        return
    import django
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
    django.setup()
    urlpatterns.extend(_urls())
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    inproc(args.requests)


if __name__ == "__main__":
    main()
