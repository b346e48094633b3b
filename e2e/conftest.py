"""Browser journeys against a real server: a fresh SQLite database in a temporary directory,
migrated and loaded with the demo the way `make demo` does it, served by `lumbung runserver`
in a subprocess, and driven by Playwright in Debian's chromium. A journey that needs data the
demo does not have, or that checks what the server stored, runs a function of its own in a
Python subprocess against the same database (`server_python`).

A failing test leaves a screenshot (and the server log) in var/e2e/."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "var" / "e2e"
CHROMIUM = os.environ.get("LUMBUNG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SETUP_TIMEOUT = 600  # seconds for one of migrate and demo on a slow, busy machine
READY_TIMEOUT = 60
ACTION_TIMEOUT_MS = 15_000


def _lumbung_command() -> list[str]:
    script = Path(sys.executable).with_name("lumbung")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from lumbung.cli import main; main()"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        LUMBUNG_VAR_DIR=str(var_dir),
        DJANGO_DEBUG="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        out.write(f"$ lumbung {' '.join(args)}\n")
        out.flush()
        done = subprocess.run(
            [*_lumbung_command(), *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=SETUP_TIMEOUT,
            check=False,
        )
    if done.returncode != 0:
        pytest.fail(f"`lumbung {' '.join(args)}` failed; see {log}", pytrace=False)


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}; see {log}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(f"the server did not get ready in {READY_TIMEOUT}s; see {log}", pytrace=False)


@dataclass(frozen=True)
class Server:
    url: str
    env: dict[str, str]  # the server's environment: its settings, var dir and database


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A demo instance of its own, served for the whole session."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    log = ARTIFACTS / "server.log"
    log.write_text("")
    var_dir = tmp_path_factory.mktemp("lumbung-var")
    port = _free_port()
    # Documents print their verification links with this base: the server actually served.
    env = {**_server_env(var_dir), "LUMBUNG_BASE_URL": f"http://127.0.0.1:{port}"}
    for args in (["migrate", "--noinput"], ["createcachetable"], ["demo", "--allow-without-debug"]):
        _manage(args, env, log)
    with log.open("a") as out:
        process = subprocess.Popen(
            [*_lumbung_command(), "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, log)
        yield Server(url, env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url(server: Server) -> str:
    return server.url


# The subprocess: Django set up once with the server's settings, then one call per line read
# (a JSON [target, kwargs]: the function's dotted path and its keyword arguments), each
# answered on one line that starts with ANSWER (anything else on stdout is someone's print).
ANSWER = "\x1e"
_LOOP = f"""
import json, sys, traceback
import django
django.setup()
from django.db import close_old_connections
from django.utils.module_loading import import_string
for line in sys.stdin:
    target, kwargs = json.loads(line)
    try:
        answer = {{"result": import_string(target)(**kwargs)}}
    except Exception:
        answer = {{"error": traceback.format_exc()}}
    finally:
        close_old_connections()
    sys.stdout.write({ANSWER!r} + json.dumps(answer) + "\\n")
    sys.stdout.flush()
"""

ServerPython = Callable[..., Any]


@pytest.fixture(scope="session")
def server_python(server: Server) -> Iterator[ServerPython]:
    """`server_python("e2e.test_x.some_function", key=value)`: call a function of a journey
    module in a Python process of its own on the server's database (its services, selectors
    and models, nothing mocked) and return its JSON-able result. For setting up what the
    demo has no page for, and for checking what the server stored. One process serves the
    session: Django is set up once, not per call."""
    log = ARTIFACTS / "server_python.log"
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-c", _LOOP],
            cwd=ROOT,
            env=server.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )

    def call(target: str, **kwargs: Any) -> Any:
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(json.dumps([target, kwargs]) + "\n")
        process.stdin.flush()
        while line := process.stdout.readline():
            if line.startswith(ANSWER):
                answer = json.loads(line[len(ANSWER) :])
                if "error" in answer:
                    pytest.fail(f"{target} failed:\n{answer['error'][-4000:]}", pytrace=False)
                return answer["result"]
        pytest.fail(f"the server-side Python process exited; see {log}", pytrace=False)

    try:
        yield call
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `bash scripts/ensure_chromium.sh` "
            "(as root) or `sudo apt-get install chromium`.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Remember whether the test itself failed, for the screenshot in `page`'s teardown."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture
def page(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (no cookies, Indonesian first) per test."""
    context: BrowserContext = browser.new_context(
        base_url=base_url, locale="id-ID", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    yield page
    if request.node.stash.get(_CALL_FAILED, False):
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
