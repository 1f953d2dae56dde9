"""Retake the README's screenshots from the demo's data: `make screenshots`.

Loads the demo into a fresh embedded database of its own (var/screenshots-demo/), serves it,
and drives Debian's chromium through Playwright at 1366 px as the demo's personas: the
manager's start page, statistics dashboard and half-yearly status report, the front line's
start page and front desk. Writes docs/img/*.png.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from base64 import b32decode
from pathlib import Path

from django_otp.oath import totp
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"
BIN = Path(sys.executable).parent
KLE = ROOT.parent / "shared" / "data" / "kle" / "KLE-Emneplan_Version2-0_2015-08-01.xml"
PASSWORD = "indgang-demo"
WIDTH, HEIGHT = 1366, 900
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def log_in(page: Page, base: str, username: str) -> None:
    """The login form, and the second factor's enrolment that managers meet the first time."""
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_selector("#start-page, #totp-secret")
    if page.locator("#totp-secret").is_visible():
        secret = b32decode(page.inner_text("#totp-secret").replace(" ", ""))
        page.fill("#id_code", f"{totp(secret, step=30, t0=0, digits=6):06d}")
        page.press("#id_code", "Enter")
    page.wait_for_selector("#start-page")


def main() -> None:
    var = ROOT / "var" / "screenshots-demo"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    env = os.environ | {"INDGANG_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var}/demo.db"}
    subprocess.run([BIN / "indgang", "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([BIN / "indgang", "load-demo", "--kle", KLE], env=env, check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([BIN / "indgang", "serve", f"127.0.0.1:{port}"], env=env)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/")
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
            )
            manager = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="da-DK")
            log_in(manager, base, "leder")
            manager.screenshot(path=IMG / "start-manager.png", full_page=True)
            manager.goto(f"{base}/statistik/")
            manager.screenshot(path=IMG / "dashboard.png", full_page=True)
            manager.goto(f"{base}/statistik/statusrapport/")
            manager.screenshot(path=IMG / "status-report.png")
            frontline = browser.new_page(
                viewport={"width": WIDTH, "height": HEIGHT}, locale="da-DK"
            )
            log_in(frontline, base, "skranke")
            frontline.screenshot(path=IMG / "start-frontline.png", full_page=True)
            frontline.goto(f"{base}/front-desk/")
            frontline.screenshot(path=IMG / "front-desk.png")
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"Skærmbilleder gemt i {IMG.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
