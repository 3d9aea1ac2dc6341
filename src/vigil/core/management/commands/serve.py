from typing import Any

from vigil.core.commands import VigilCommand
from vigil.core.serving import DEFAULT_THREADS, DEFAULT_WORKERS, serve


class Command(VigilCommand):
    help = "Serve the web UI with gunicorn after the deploy checks (127.0.0.1; put TLS in front)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to bind (default loopback)"
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="port to listen on (default 8000)"
        )
        parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="processes")
        parser.add_argument(
            "--threads", type=int, default=DEFAULT_THREADS, help="threads of each process"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        serve(
            options["host"],
            options["port"],
            options["workers"],
            threads=options["threads"],
            say=self.stderr.write,
            announce=self.stdout.write,
        )
