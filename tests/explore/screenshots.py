"""Regenerates the screenshots of docs/explorer.md (docs/img/explorer/*.png), one per view:

    CDPSIM_BIN=build/app/cdpsim /usr/bin/python3 tests/explore/screenshots.py docs/img/explorer

Not a test: it drives the same page the browser test drives and saves element screenshots,
reduced to a small palette so the files stay commit-sized."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import conftest  # noqa: E402
import test_browser as tb  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


def shrink(path):
    try:
        from PIL import Image
    except ImportError:
        return
    im = Image.open(path).convert("RGB")
    if im.width > 900:
        im = im.resize((900, int(im.height * 900 / im.width)), Image.LANCZOS)
    im.quantize(colors=64).save(path, optimize=True)


def main(out):
    os.makedirs(out, exist_ok=True)
    e = conftest.start_explorer()
    o = webdriver.ChromeOptions()
    o.binary_location = tb.CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1700", "--lang=en-US"):
        o.add_argument(a)
    d = webdriver.Chrome(service=Service(tb.DRIVER), options=o)
    try:
        def shot(css, name):
            p = os.path.join(out, name + ".png")
            el = d.find_element(By.CSS_SELECTOR, css)
            d.execute_script("arguments[0].scrollIntoView()", el)
            time.sleep(0.4)
            el.screenshot(p)
            shrink(p)

        d.get(e.url)
        tb.wait(lambda: len(d.find_elements(By.CSS_SELECTOR, "#levers input[type=range]")) == 17)
        d.execute_script("fetch('/api/speed?token=' + document.body.dataset.token, {method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({speed:120, redraw:2})})")
        tb.play(d, e)
        tb.wait(lambda: tb.state(e)["week"] >= 85)
        tb.pause(d, e)
        # During the pandemic: compare, and give B more time.
        tb.click(d, "compare")
        tb.wait(lambda: tb.state(e)["compare"])
        tb.wait(lambda: d.find_element(By.CSS_SELECTOR, "input[name=target][value=b]").is_selected())
        tb.move_slider(d, "levers.time_allowance", "0.9")
        tb.wait(lambda: tb.state(e)["marks"])
        tb.play(d, e)
        tb.wait(lambda: tb.state(e)["week"] >= 180)
        tb.pause(d, e)
        time.sleep(1)
        shot("#charts", "plots-ab")
        shot("#controls", "controls")
        shot("#network", "network")
        shot("#events", "events")
        tb.click(d, "lang-fr")
        time.sleep(0.6)
        shot("header", "header-fr")
        shot("#charts .chart:first-child", "members-fr")
        tb.click(d, "lang-en")
        tb.click(d, "compare")
        d.execute_script("const s = document.getElementById('preset'); s.value = 'territoires-apprenants'; s.dispatchEvent(new Event('change'));")
        tb.wait(lambda: tb.state(e)["preset"] == "territoires-apprenants")
        tb.play(d, e)
        tb.wait(lambda: tb.state(e)["week"] >= 120)
        tb.pause(d, e)
        time.sleep(1)
        shot("#territory", "territory")
        d.save_screenshot(os.path.join(out, "page.png"))
        shrink(os.path.join(out, "page.png"))
    finally:
        d.quit()
        conftest.stop_explorer(e)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/img/explorer")
