"""One Chromium per test process, started on first use and killed when the process ends.

Each browser test connects to it with Playwright over the DevTools protocol and gets browser
contexts of its own (``helpers.chromium``); the Chromium process itself outlives the test, so
its start (about half of a launched browser's cost) is paid once per xdist worker instead of
once per test. Playwright's driver is still started and stopped per test: its sync API marks
its event loop as running in the thread while it is started, and Django refuses ORM calls
under a running loop.
"""

import atexit
import ctypes
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

# The switches Playwright 1.65 gives a Chromium it launches itself (its chromiumSwitches and
# headless ones, read from a launched browser's command line), so pages render, hover and
# scroll the same as under ``launch``; then the project's own three.
PLAYWRIGHT_SWITCHES = [
    "--show-component-extension-options",
    "--enable-gpu-rasterization",
    "--no-default-browser-check",
    "--disable-pings",
    "--media-router=0",
    "--enable-remote-extensions",
    "--load-extension=",
    "--disable-field-trial-config",
    "--disable-background-networking",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-back-forward-cache",
    "--disable-breakpad",
    "--disable-component-extensions-with-background-pages",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-edgeupdater",
    "--disable-extensions",
    "--disable-features=AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,"
    "HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,"
    "ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,TcpPortRandomizationWin,"
    "OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch,"
    "msForceBrowserSignIn,msEdgeUpdateLaunchServicesPreferredVersion",
    "--enable-features=CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies",
    "--allow-pre-commit-input",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-popup-blocking",
    "--disable-prompt-on-repost",
    "--disable-renderer-backgrounding",
    "--disable-updater-scheduler",
    "--force-color-profile=srgb",
    "--metrics-recording-only",
    "--no-first-run",
    "--password-store=basic",
    "--use-mock-keychain",
    "--no-service-autorun",
    "--disable-search-engine-choice-screen",
    "--unsafely-disable-devtools-self-xss-warnings",
    "--enable-unsafe-swiftshader",
    "--edge-skip-compat-layer-relaunch",
    "--disable-stack-profiler",
    "--disable-infobars",
    "--disable-sync",
    "--headless",
    "--hide-scrollbars",
    "--mute-audio",
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,"
    "availablePointerTypes=4",
]
OUR_SWITCHES = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
START_TIMEOUT = 30.0
STOP_TIMEOUT = 5.0
_PR_SET_PDEATHSIG = 1


class ChromiumServer:
    """A headless Chromium with a DevTools endpoint; ``endpoint()`` (re)starts it as needed."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.process: subprocess.Popen[str] | None = None
        self.profile: str | None = None
        self.websocket: str | None = None
        self.starts = 0
        self._lock = threading.Lock()

    def endpoint(self) -> str:
        """The running Chromium's DevTools websocket address; a Chromium that has exited
        (crashed or killed) is replaced by a new one first."""
        with self._lock:
            if self.process is None or self.process.poll() is not None:
                self._stop()
                self._start()
            assert self.websocket is not None
            return self.websocket

    def _start(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="vigil-test-chromium-")
        self.process = subprocess.Popen(
            [
                self.executable,
                *PLAYWRIGHT_SWITCHES,
                *OUR_SWITCHES,
                f"--user-data-dir={self.profile}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        self.starts += 1
        self.websocket = _wait_for_endpoint(Path(self.profile), self.process)

    def stop(self) -> None:
        """Kill the Chromium (its whole process group) and delete its profile."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        process, self.process, self.websocket = self.process, None, None
        if process is not None:
            # SIGTERM first: Chromium then closes its helper processes and reaps them (their CPU
            # time is counted to this process, as a launched browser's is); then SIGKILL to the
            # whole group for whatever is left.
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None


def _die_with_parent() -> None:
    """In the child before exec: its own process group (so its helpers die with it), and
    SIGKILL when the test process dies, even by a signal that skips ``atexit``."""
    os.setsid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _wait_for_endpoint(profile: Path, process: subprocess.Popen[str]) -> str:
    """Chromium writes its port and browser path to ``DevToolsActivePort`` in the profile once
    it listens."""
    import time

    active = profile / "DevToolsActivePort"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Chromium exited with {process.returncode} while starting")
        try:
            port, path = active.read_text().split("\n")[:2]
        except (FileNotFoundError, ValueError):
            time.sleep(0.02)
            continue
        if re.fullmatch(r"\d+", port) and path.startswith("/devtools/browser/"):
            return f"ws://127.0.0.1:{port}{path}"
        time.sleep(0.02)
    raise RuntimeError("Chromium did not open its DevTools port in time")


_servers: dict[str, ChromiumServer] = {}


def shared(executable: str) -> ChromiumServer:
    """This process's one Chromium server for ``executable`` (killed at the process's exit)."""
    server = _servers.get(executable)
    if server is None:
        server = _servers[executable] = ChromiumServer(executable)
    return server


@atexit.register
def stop_all() -> None:
    """Kill every Chromium this process started (at the end of the test session, at exit)."""
    for server in _servers.values():
        server.stop()
