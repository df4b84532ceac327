"""Chinese pages are legible in Chromium (screenshots included): a CJK font is installed
(`make browser` installs Debian fonts-noto-cjk) and the page's own font stack reaches it.

Without a font for 汉字 Chromium draws each one as the same missing-glyph box, so two
different characters render identically. The test renders 中 and 文 in the page's font as
real element screenshots and requires them to have width, ink and different pixels — and
checks the comparison itself on two unassigned code points, which must render alike."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = {"zhong": "中", "wen": "文", "missing_a": "\u0378", "missing_b": "\u0379"}

# One fixed box at one place, so two renderings of the same glyph are the same pixels.
ADD_BOX = """() => {
  const font = getComputedStyle(document.querySelector('h1')).fontFamily;
  const box = document.createElement('div');
  box.id = 'cjk-sample';
  box.style.cssText = 'position:fixed;left:0;top:0;width:64px;height:64px;z-index:99999;'
    + 'font-size:48px;line-height:64px;text-align:center;background:#fff;color:#000;'
    + 'font-family:' + font;
  document.body.append(box);
  return font;
}"""
SHOW = "(text) => { document.getElementById('cjk-sample').textContent = text; }"
INK_WIDTH = """() => {
  const range = document.createRange();
  range.selectNodeContents(document.getElementById('cjk-sample'));
  return range.getBoundingClientRect().width;
}"""


def test_chinese_text_renders_with_real_glyphs(org, login):
    page = login(org.rep)  # the default language is Chinese
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "客户" in page.locator("[data-area=accounts]").inner_text()
    font = page.evaluate(ADD_BOX)
    shots, widths = {}, {}
    for key, text in SAMPLES.items():
        page.evaluate(SHOW, text)
        shots[key] = page.screenshot(clip={"x": 0, "y": 0, "width": 64, "height": 64})
        widths[key] = page.evaluate(INK_WIDTH)
    # the check can tell a missing glyph: two unassigned code points draw the same box
    assert shots["missing_a"] == shots["missing_b"]
    # a CJK glyph: not the missing-glyph box, and two characters look different
    assert shots["zhong"] != shots["missing_a"], f"中 renders as a missing glyph in {font}"
    assert shots["zhong"] != shots["wen"], f"中 and 文 render alike (boxes) in {font}"
    assert widths["zhong"] > 40  # a full-width glyph at 48px, not a zero-width fallback
