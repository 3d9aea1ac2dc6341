from typing import Any

from vigil.core.commands import VigilCommand
from vigil.core.serving import serve
from vigil.demo.build import build_demo


class Command(VigilCommand):
    help = "Create a fresh demo database (its own folder) and serve it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--port", type=int, default=8000, help="port to serve on (default 8000)"
        )
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to bind (default loopback)"
        )
        parser.add_argument(
            "--synthetic",
            type=int,
            default=0,
            metavar="N",
            help="also generate N fictional persons (about 3 acts each) for scale",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="build the demo database and exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = build_demo(synthetic=options["synthetic"], say=self.stdout.write)
        self.stdout.write(f"Demo database: {result.folder} (encrypted; demo keyfile beside it)")
        for line in result.loaded:
            self.stdout.write(f"  loaded   {line}")
        for line in result.skipped:
            self.stdout.write(f"  skipped  {line}")
        from vigil.accounts.totp import terminal_qr

        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            "\nTwo-factor authentication is on, as in production. Scan this code with an "
            "authenticator app\n(or type the secret), then log in with the password and a "
            "6-digit code:\n"
        )
        self.stdout.write(terminal_qr(result.otpauth_uri))
        self.stdout.write(demo_access(result, url, serving=not options["no_serve"]))
        if not options["no_serve"]:
            serve(options["host"], options["port"], announce=self.stdout.write)


def demo_access(result: Any, url: str, *, serving: bool) -> str:
    """How to sign in to the demo, and, when it is not served now, the one way to serve and
    query it later (the same commands the README gives)."""
    folder = result.folder
    where = (
        f"Log in at {url}\n"
        if serving
        else (
            "The demo is built, not served. Serve it with\n"
            f"  VIGIL_DATA_DIR={folder} vigil serve\n"
            "and query it from the command line with\n"
            f"  VIGIL_DATA_DIR={folder} VIGIL_USER={result.username} vigil stats\n"
            "Then sign in with:\n"
        )
    )
    return (
        f"{where}  user:     {result.username}\n  password: {result.password}\n"
        f"  2FA secret: {result.totp_secret}\n"
        "  (no authenticator app at hand? "
        f"`VIGIL_DATA_DIR={folder} vigil demo-code` prints the current code)\n"
    )
