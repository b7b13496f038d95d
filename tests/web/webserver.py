"""Fixtures for the web tests: a real ``claimledger serve`` on 127.0.0.1, a headless Chromium.

The server is the installed console script in its own process, as a user starts it; the
browser is Debian's chromium driven through Debian's chromedriver by explicit paths (no
driver or browser download: Selenium Manager is never asked). Screenshots go to
``test-artifacts/screenshots/`` (git-ignored; ``CLAIMLEDGER_ARTIFACTS`` moves it).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(os.environ.get("CLAIMLEDGER_ARTIFACTS") or ROOT / "test-artifacts")
CLAIMLEDGER = str(Path(sys.executable).with_name("claimledger"))


class Server:
    """A running ``claimledger serve``; ``url(path)`` and a requests session bound to it."""

    def __init__(self, ledger_dir: Path, *args: str, env: dict | None = None) -> None:
        self.ledger_dir = ledger_dir
        run_env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
        run_env.update(env or {})
        self.log = ledger_dir.parent / f"serve-{time.monotonic_ns()}.log"
        self._log = open(self.log, "wb")
        # Port 0: the server takes a free port and says which (no race between test workers).
        self.proc = subprocess.Popen(
            [CLAIMLEDGER, "serve", "--ledger", str(ledger_dir), "--bind", "127.0.0.1:0", *args],
            stdout=self._log, stderr=subprocess.STDOUT, env=run_env, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited {self.proc.returncode}: {self.log.read_text()}")
            found = re.search(r"on http://127\.0\.0\.1:(\d+)/", self.log.read_text())
            if found:
                break
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("serve did not start within 60 s")
            time.sleep(0.05)
        self.port = int(found.group(1))
        self.base = f"http://127.0.0.1:{self.port}"
        self.http = requests.Session()

    def url(self, path: str) -> str:
        return self.base + path

    def csrf(self, path: str = "/new/claim", session: requests.Session | None = None) -> str:
        page = (session or self.http).get(self.url(path), timeout=30)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._log.close()


@pytest.fixture
def serve():
    """``serve(ledger_dir, *options)`` starts a server; all are stopped after the test."""
    started: list[Server] = []

    def start(ledger_dir: Path, *args: str, env: dict | None = None) -> Server:
        server = Server(ledger_dir, *args, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Headless Chromium from Debian, through Debian's chromedriver (explicit paths)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            raise RuntimeError(f"{path} is missing: apt-get install -y chromium chromium-driver "
                               "(the README's test command does)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def screenshot(driver, name: str, *, full: bool = True) -> Path:
    """Save a PNG of the current page under the artefacts directory."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    if full:
        height = driver.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
        driver.set_window_size(1280, min(max(int(height) + 40, 600), 4000))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    return path


__all__ = ["Server", "screenshot"]
