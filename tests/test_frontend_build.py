"""The portal's committed build of GOV.UK Frontend (static/vendor/govuk-frontend/, made by
`make frontend` from frontend/build.mjs) and the portal's own CSS on top of it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENDORED_CSS = ROOT / "static" / "vendor" / "govuk-frontend" / "govuk-frontend.min.css"
PORTAL_CSS = ROOT / "static" / "css" / "portal.css"
TEMPLATES = ROOT / "templates"

# govuk-* classes of GOV.UK Frontend's markup that no rule styles: hooks for its JavaScript, and
# parts of components written out in full as the Design System shows them.
HOOKS = {
    "govuk-js-service-navigation-toggle",
    "govuk-checkboxes",
    "govuk-radios",
    "govuk-table__head",
    "govuk-table__body",
    "govuk-table__row",
}


def css_classes(css):
    return set(re.findall(r"\.(govuk-[a-z0-9_!-]+)", css.replace("\\!", "!")))


def template_classes():
    """Every govuk-* class written in a class="..." attribute of the portal's templates."""
    found = {}
    for path in TEMPLATES.rglob("*.html"):
        for attr in re.findall(r'class="([^"]*)"', path.read_text(encoding="utf-8")):
            # Drop template tags ({% if %}...{% endif %}) but keep the words they wrap; skip
            # a class made from a variable ("govuk-input--width-{{ width }}").
            words = re.sub(r"\{%.*?%\}", " ", re.sub(r"\{\{.*?\}\}", "{}", attr)).split()
            for word in words:
                if word.startswith("govuk-") and "{}" not in word:
                    found.setdefault(word, path.relative_to(ROOT).as_posix())
    return found


def test_vendored_css_has_no_byte_order_mark_or_charset_rule():
    """A byte order mark after the banner comment made the first rule (:root, which holds the
    breakpoints the mobile menu reads) unreadable to browsers, so the menu never collapsed."""
    data = VENDORED_CSS.read_bytes()
    bom = "\ufeff".encode()
    assert bom not in data, f"byte order mark at byte {data.find(bom)}"
    assert b"@charset" not in data
    banner, first_rule = data.decode("utf-8").split("\n", 1)
    assert banner.startswith("/*! GOV.UK Frontend") and banner.endswith("*/")
    assert first_rule.startswith(":root{--govuk-breakpoint-mobile:")


@pytest.mark.parametrize(
    "component",
    ["govuk-task-list", "govuk-panel", "govuk-date-input", "govuk-textarea", "govuk-summary-list"],
)
def test_vendored_css_holds_the_components_the_editors_pages_use(component):
    assert component in css_classes(VENDORED_CSS.read_text(encoding="utf-8"))


def test_every_govuk_class_in_the_templates_is_styled_by_govuk_frontend():
    """A govuk-* class in a template is GOV.UK Frontend's own: the portal does not stand in for
    a missing component with rules of its own of the same name."""
    vendored = css_classes(VENDORED_CSS.read_text(encoding="utf-8"))
    missing = {
        name: where
        for name, where in template_classes().items()
        if name not in vendored and name not in HOOKS
    }
    assert missing == {}


def test_portal_css_does_not_restyle_govuk_frontend_components():
    """portal.css may adjust a GOV.UK class inside a portal block (".site-header .govuk-..."),
    but never redefines one on its own, which would hide a component missing from the build."""
    css = re.sub(r"/\*.*?\*/", "", PORTAL_CSS.read_text(encoding="utf-8"), flags=re.S)
    selectors = []
    for block in re.findall(r"([^{}]+)\{[^{}]*\}", css):
        selectors += [s.strip() for s in block.split(",")]
    bare = [s for s in selectors if s.startswith(".govuk-")]
    assert bare == []
