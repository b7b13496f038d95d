"""The web page in a real browser: headless Chromium from Debian, driven by Selenium.

The README's tour done through the page, a refused write, hostile text, the SPARQL form, and
the screenshots the README shows (saved under ``test-artifacts/screenshots/``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import snapshot
from test_web_http import HOSTILE
from webserver import ROOT, browser, screenshot, serve  # noqa: F401  (fixtures)


def fill(driver, fields: dict[str, str]) -> None:
    """Type into the form's fields (text, textarea, select, radio, checkbox) and send it."""
    form = driver.find_element(By.CSS_SELECTOR, "form.form")
    for name, value in fields.items():
        elements = form.find_elements(By.NAME, name)
        first = elements[0]
        kind = first.get_attribute("type")
        if first.tag_name == "select":
            Select(first).select_by_value(value)
        elif kind == "radio":
            next(e for e in elements if e.get_attribute("value") == value).click()
        elif kind == "checkbox":
            if bool(value) != first.is_selected():
                first.click()
        else:
            first.clear()
            first.send_keys(value)
    old = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 30).until(EC.staleness_of(old))


def follow(driver, text: str) -> None:
    """Click the link called ``text`` and wait until its page has replaced this one (a form
    looked for sooner may be the old page's)."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.LINK_TEXT, text).click()
    WebDriverWait(driver, 30).until(EC.staleness_of(old))


def badge(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "h1 .badge.status").text


def origins_drawn(driver) -> list[str]:
    return sorted(n.get_attribute("data-key") for n in
                  driver.find_elements(By.CSS_SELECTOR, "#origin-picture g.node.origin"))


def test_the_readme_tour_through_the_page(ledger_dir, serve, browser):
    server = serve(ledger_dir, "--agent", "jdoe")
    b = browser
    for fields in ({"slug": "wire-a", "title": "Wire story", "reliability": "B"},
                   {"slug": "outlet-b", "title": "Outlet B", "derived_from": "wire-a"},
                   {"slug": "outlet-c", "title": "Outlet C", "reliability": "C"}):
        b.get(server.url("/new/source"))
        fill(b, fields)
        assert b.current_url.endswith(f"/sources/{fields['slug']}")
        assert f"recorded source {fields['slug']}" in b.find_element(By.CSS_SELECTOR,
                                                                     "section.done").text
    b.get(server.url("/new/claim"))
    fill(b, {"slug": "freed", "subject": "ex:Taliban", "predicate": "ex:freed",
             "object": "ex:Prisoners", "text": "The Taliban freed its jailed members"})
    assert b.current_url.endswith("/claims/freed") and badge(b) == "unsourced"

    follow(b, "Record evidence")
    fill(b, {"source": "outlet-b", "stance": "supports", "quote": "freed its jailed members"})
    assert "freed: unsourced → single-source" in b.find_element(By.CSS_SELECTOR,
                                                                 "section.done").text
    assert badge(b) == "single-source" and origins_drawn(b) == ["wire-a"]

    follow(b, "Record evidence")
    fill(b, {"source": "outlet-c", "stance": "supports", "locator": "para 4"})
    done = b.find_element(By.CSS_SELECTOR, "section.done").text
    assert "freed: single-source → corroborated (2 independent origins)" in done
    assert badge(b) == "corroborated"
    assert origins_drawn(b) == ["outlet-c", "wire-a"]
    legend = b.find_elements(By.CSS_SELECTOR, "ul.legend li")
    assert [li.text.split(":")[0] for li in legend] == ["origin 1", "origin 2"]
    colours = {n.find_element(By.TAG_NAME, "rect").get_attribute("fill")
               for n in b.find_elements(By.CSS_SELECTOR, "#origin-picture g.node.origin")}
    assert len(colours) == 2  # independent origins told apart at a glance
    before = b.find_element(By.ID, "origin-picture").get_attribute("innerHTML")
    screenshot(b, "tour-claim-corroborated")

    b.get(server.url("/sources/outlet-c"))
    follow(b, "Link a derivation")
    fill(b, {"derived_from": "wire-a", "reason": "C reprints the wire copy"})
    assert "freed: corroborated → single-source (1 independent origin)" in \
        b.find_element(By.CSS_SELECTOR, "section.done").text
    follow(b, "freed")
    assert badge(b) == "single-source"
    assert origins_drawn(b) == ["wire-a"]
    assert len(b.find_elements(By.CSS_SELECTOR, "ul.legend li")) == 1
    after = b.find_element(By.ID, "origin-picture").get_attribute("innerHTML")
    assert after != before
    derived = b.find_elements(By.CSS_SELECTOR, '#origin-picture path[data-kind="derived from"]')
    assert len(derived) == 2  # outlet-b → wire-a and now outlet-c → wire-a
    screenshot(b, "tour-claim-single-source")
    b.get(server.url("/claims"))
    screenshot(b, "tour-claims-list")


def test_a_refused_write_shows_its_message_by_the_field(run, ledger_dir, serve, browser):
    run.ok("source", "add", "s", "--title", "S", "--reliability", "A")
    server = serve(ledger_dir, "--agent", "jdoe")
    before = snapshot(ledger_dir)
    browser.get(server.url("/new/claim"))
    fill(browser, {"slug": "x", "subject": "ex:a", "predicate": "ex:b", "object": "ex:c",
                   "text": "A claim held too high", "confidence": "high"})
    field = browser.find_element(By.CSS_SELECTOR, '.field[data-field="confidence"]')
    errors = field.find_elements(By.CSS_SELECTOR, ".field-error")
    assert errors and errors[0].is_displayed()
    assert "Confidence high needs status corroborated" in field.text
    assert "Nothing was written" in browser.find_element(By.CSS_SELECTOR, "section.refused").text
    # what was typed is still there, to correct
    assert browser.find_element(By.NAME, "text").get_attribute("value") == "A claim held too high"
    screenshot(browser, "refused-write")
    assert snapshot(ledger_dir) == before


def test_hostile_statement_text_renders_as_text(run, ledger_dir, serve, browser):
    run.ok("claim", "add", "evil", "--subject", "ex:a", "--predicate", "ex:b", "--object",
           "ex:c", "--text", HOSTILE)
    server = serve(ledger_dir)
    for path in ("/claims", "/claims/evil"):
        browser.get(server.url(path))
        assert browser.execute_script("return window.__pwned === undefined")
        assert not browser.find_elements(By.XPATH, "//main//script")
    shown = browser.execute_script(
        "return document.querySelector('blockquote.statement').textContent")
    assert shown == HOSTILE


def test_the_sparql_form_answers(run, ledger_dir, serve, browser):
    run.ok("source", "add", "s", "--title", "S", "--reliability", "A")
    server = serve(ledger_dir)
    browser.get(server.url("/sparql"))
    box = browser.find_element(By.ID, "query")
    box.clear()
    box.send_keys("SELECT ?title WHERE { ?s a cl:Source ; schema:name ?title }")
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form.form button").click()
    WebDriverWait(browser, 30).until(EC.staleness_of(old))
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.report td")]
    assert cells == ["S"]


def test_screenshots_of_the_seed_ledger(tmp_path, serve, browser):
    """The README's pictures: the seed article's ledger — claims, a claim, a report."""
    seed = tmp_path / "seed"
    subprocess.run([sys.executable, str(ROOT / "data" / "build_seed_ledger.py"), "--ledger",
                    str(seed)], check=True, capture_output=True)
    server = serve(seed)
    browser.get(server.url("/claims?sort=slug"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.claims tbody tr")) == 50
    shots = [screenshot(browser, "claims-list", full=False)]
    browser.get(server.url("/claims/attack-anticipated"))
    assert badge(browser) == "corroborated"
    assert len(browser.find_elements(By.CSS_SELECTOR, "ul.legend li")) == 2
    shots.append(screenshot(browser, "claim-page"))
    browser.get(server.url("/reports/single-anecdote"))
    assert browser.find_elements(By.CSS_SELECTOR, "table.report tbody tr")
    shots.append(screenshot(browser, "report-page", full=False))
    for shot in shots:
        assert Path(shot).stat().st_size > 10_000
