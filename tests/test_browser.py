"""A real headless Chromium opens the built book: five tabs, one choice switches every tab group,
and the choice survives a move to another page. Needs Debian's chromium and chromium-driver
(`make test` and .ci/run install them); the test fails, never skips, without them."""
import functools
import http.server
import os
import shutil
import threading
import time

import pytest

from _book import HTML, ROOT

from d2l_lite import BACKENDS, DISPLAY_NAMES

ARTIFACTS = os.path.join(ROOT, "test-artifacts")


@pytest.fixture(scope="module")
def site(built):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = functools.partial(Quiet, directory=HTML)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    chromium, driver = shutil.which("chromium") or "/usr/bin/chromium", shutil.which("chromedriver")
    assert os.path.exists(chromium) and driver, \
        "the browser test needs Debian's chromium and chromium-driver: run `make browser` (apt-get install)"
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1600", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        opts.add_argument(flag)
    drv = webdriver.Chrome(service=Service(driver), options=opts)
    drv.implicitly_wait(2)
    yield drv
    drv.quit()


def _tab_sets(drv):
    from selenium.webdriver.common.by import By
    return drv.find_elements(By.CSS_SELECTOR, "div.sd-tab-set")


def _visible_frameworks(tab_set):
    """The sync ids of the tabs selected in this tab group; where the group itself is on screen (not inside
    a collapsed answer), also check that exactly the selected tab's content is displayed."""
    from selenium.webdriver.common.by import By
    labels = tab_set.find_elements(By.CSS_SELECTOR, ":scope > label.sd-tab-label")
    inputs = tab_set.find_elements(By.CSS_SELECTOR, ":scope > input")
    contents = tab_set.find_elements(By.CSS_SELECTOR, ":scope > div.sd-tab-content")
    assert len(labels) == len(inputs) == len(contents) == 5
    selected = [lab.get_attribute("data-sync-id") for lab, i in zip(labels, inputs) if i.is_selected()]
    if tab_set.is_displayed():
        shown = [lab.get_attribute("data-sync-id") for lab, c in zip(labels, contents) if c.is_displayed()]
        assert shown == selected, f"selected {selected} but shown {shown}"
    return selected


def test_tabs_switch_together_and_the_choice_is_remembered(site, browser):
    from selenium.webdriver.common.by import By
    browser.get(f"{site}/book/adadelta.html")
    # the math is typeset by the bundled MathJax (no network needed)
    for _ in range(50):
        if browser.execute_script("return document.querySelectorAll('mjx-container').length") > 20:
            break
        time.sleep(0.2)
    assert browser.execute_script("return document.querySelectorAll('mjx-container').length") > 20
    sets = _tab_sets(browser)
    assert len(sets) >= 5
    labels = sets[0].find_elements(By.CSS_SELECTOR, ":scope > label.sd-tab-label")
    assert [lab.text for lab in labels] == [DISPLAY_NAMES[fw] for fw in BACKENDS]

    # choose PyTorch in a tab group further down the page
    target = sets[2].find_element(By.CSS_SELECTOR, ':scope > label[data-sync-id="torch"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", target)
    target.click()
    assert sum(s.is_displayed() for s in sets) >= 5
    for s in sets:
        assert _visible_frameworks(s) == ["torch"], "every tab group shows PyTorch, the others are hidden"
    os.makedirs(ARTIFACTS, exist_ok=True)
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", sets[2])
    browser.save_screenshot(os.path.join(ARTIFACTS, "adadelta-torch.png"))

    # the choice survives a move to another page
    browser.get(f"{site}/book/index.html")
    for s in _tab_sets(browser):
        assert _visible_frameworks(s) == ["torch"]

    # and choosing again there carries back
    other = _tab_sets(browser)[0].find_element(By.CSS_SELECTOR, ':scope > label[data-sync-id="paddle"]')
    other.click()
    browser.get(f"{site}/book/adadelta.html")
    assert all(_visible_frameworks(s) == ["paddle"] for s in _tab_sets(browser))
    browser.save_screenshot(os.path.join(ARTIFACTS, "adadelta-paddle.png"))


def test_without_javascript_every_framework_is_in_the_page(site):
    import urllib.request
    html = urllib.request.urlopen(f"{site}/book/adadelta.html").read().decode()
    for fw in BACKENDS:
        assert f'data-sync-id="{fw}"' in html
    for snippet in ("from d2l_lite import numpy as d2l", "from d2l_lite import torch as d2l",
                    "from d2l_lite import tensorflow as d2l", "from d2l_lite import mxnet as d2l",
                    "from d2l_lite import paddle as d2l"):
        text = html.replace('<span class="', "").replace("</span>", "")
        assert snippet.split()[-3] in text


def _wait(browser, script, tries=50):
    for _ in range(tries):
        value = browser.execute_script(script)
        if value:
            return value
        time.sleep(0.2)
    return browser.execute_script(script)


def test_moving_a_slider_redraws_the_path(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    browser.get(f"{site}/book/momentum.html")
    assert _wait(browser, "return document.querySelector('.d2l-explorer-live .d2l-explorer-plot .main-svg')"), \
        "the interactive momentum figure was not drawn (plotly.js or d2l-explorer.js missing?)"
    root = browser.find_element(By.CSS_SELECTOR, ".d2l-explorer")
    static = browser.find_element(By.CSS_SELECTOR, "img.d2l-explorer-static")
    assert not static.is_displayed(), "the static picture stays hidden once the figure is drawn"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", root)
    drawn = ("return Array.from(arguments[0].querySelectorAll('.scatterlayer path.js-line'))"
             ".map(p => p.getAttribute('d')).join('|')")
    data = "return JSON.stringify(arguments[0].querySelector('.d2l-explorer-plot').data[1].y)"
    before, before_data = browser.execute_script(drawn, root), browser.execute_script(data, root)
    slider = root.find_element(By.CSS_SELECTOR, 'input[type="range"][data-param="beta"]')
    shown = root.find_elements(By.CSS_SELECTOR, "output")[1]
    assert shown.text == "0.5"
    slider.send_keys(Keys.ARROW_RIGHT)              # beta 0.5 -> 0.75, as a reader moves it
    assert shown.text == "0.75"
    for _ in range(25):
        if browser.execute_script(drawn, root) != before:
            break
        time.sleep(0.2)
    after = browser.execute_script(drawn, root)
    assert after and after != before, "the drawn path did not change when the slider moved"
    assert browser.execute_script(data, root) != before_data
    os.makedirs(ARTIFACTS, exist_ok=True)
    browser.save_screenshot(os.path.join(ARTIFACTS, "momentum-explorer.png"))


def test_code_fits_the_page_without_horizontal_scrolling(site, browser):
    # every code block of the widest-coded pages fits its box in the test's 1280-pixel window, with the code
    # (not its printed output) right up to the build's limit of bb.CODE_COLUMNS characters a line
    for page in ("muon", "adam", "compare", "conventions"):
        browser.get(f"{site}/book/{page}.html")
        blocks, widest, over = browser.execute_script(
            "const pres = Array.from(document.querySelectorAll('div.d2l-input pre'));"
            "const longest = p => p.textContent.split('\\n').reduce((a, b) => a.length >= b.length ? a : b);"
            "return [pres.length, Math.max(...pres.map(p => longest(p).length)),"
            "        pres.filter(p => p.scrollWidth > p.clientWidth + 1).map(p => longest(p).slice(0, 80))];")
        assert blocks > 20 and widest > 100, (page, blocks, widest)
        assert not over, f"{page}: code blocks scroll sideways, e.g. the line {over[0]!r}"


def test_language_switch_goes_both_ways_and_keeps_the_framework(site, browser):
    from selenium.webdriver.common.by import By
    browser.get(f"{site}/book/adam.html")
    pick = _tab_sets(browser)[1].find_element(By.CSS_SELECTOR, ':scope > label[data-sync-id="tensorflow"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", pick)
    pick.click()
    link = browser.find_element(By.CSS_SELECTOR, "a.d2l-lang-link")
    assert link.text == "简体中文"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
    link.click()
    assert browser.current_url.endswith("/zh/book/adam.html")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert "小结" in browser.page_source
    assert all(_visible_frameworks(s) == ["tensorflow"] for s in _tab_sets(browser)), "the tab stays picked"
    back = browser.find_element(By.CSS_SELECTOR, "a.d2l-lang-link")
    assert back.text == "English"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", back)
    back.click()
    assert browser.current_url.endswith("/book/adam.html") and "/zh/" not in browser.current_url
    assert all(_visible_frameworks(s) == ["tensorflow"] for s in _tab_sets(browser))
