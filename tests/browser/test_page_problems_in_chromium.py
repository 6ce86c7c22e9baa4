"""The page check the browser tests share (tests.helpers.page_problems) finds what it says it
finds: axe-core violations and a page wider than the window, at each width, by name; it saves a
screenshot at each width and leaves the window at the first width."""

import pytest

from tests.helpers import ARTIFACTS, page_problems

pytestmark = [pytest.mark.browser]

GOOD = """<!doctype html><html lang="en"><head><title>A test page</title></head>
<body><main><h1>A test page</h1><p>Nothing wrong here.</p></main></body></html>"""
# 600 pixels wide: fits 1,280 but not 390. The image has no text alternative.
BAD = """<!doctype html><html lang="en"><head><title>A test page</title></head>
<body><main><h1>A test page</h1><div style="width: 600px">Wide</div>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">
</main></body></html>"""


def test_a_good_page_has_no_problems_and_a_screenshot_at_each_width(page):
    shots = [ARTIFACTS / "page-problems" / f"good-{width}.png" for width in (1280, 390)]
    for shot in shots:
        shot.unlink(missing_ok=True)
    page.set_content(GOOD)
    assert page_problems(page, "page-problems", "good") == []
    assert [shot.is_file() for shot in shots] == [True, True]
    assert page.viewport_size == {"width": 1280, "height": 900}


def test_a_bad_page_is_named_with_each_problem_at_each_width(page):
    page.set_content(BAD)
    problems = page_problems(page, "page-problems", "bad", widths=(390, 1280))
    assert [p.split(":")[0] for p in problems] == [
        "bad at 390",
        "bad at 390",
        "bad at 1280",
    ]
    assert problems[0].startswith("bad at 390: image-alt: ")
    assert problems[1] == f"bad at 390: {600 - 390 + 8} pixels wider than the window"
    assert problems[2].startswith("bad at 1280: image-alt: ")
    assert page.viewport_size == {"width": 390, "height": 900}
