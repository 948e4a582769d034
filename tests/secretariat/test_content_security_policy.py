"""Pages work under the strict Content Security Policy: no template runs inline code or inline styles.

The policy (settings.SECURE_CSP) lets scripts and styles come only from our static files or from a
tag carrying the response's nonce; the browser test (tests/browser/test_content_security_policy.py)
checks that real pages raise no violation.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path
    for folder in ("templates", "secretariat", "monitoring", "recommendations")
    for path in (ROOT / folder).rglob("*.html")
)
PYTHON = sorted(
    path for app in ("secretariat", "monitoring", "recommendations") for path in (ROOT / app).rglob("*.py")
)

INLINE_HANDLER = re.compile(r"<[a-z][\w-]*[^<>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][\w-]*[^<>]*\sstyle\s*=", re.IGNORECASE)
# In Python, an HTML tag is written on one line (format_html, f-strings).
TAG_WITH_INLINE_CODE = re.compile(r"<[a-z][\w-]*[^<>\n]*\s(style|on[a-z]+)\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*csp_nonce)[^>]*>", re.IGNORECASE)
UNNONCED_STYLE = re.compile(r"<style(?![^>]*csp_nonce)[^>]*>", re.IGNORECASE)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("pattern", [INLINE_HANDLER, STYLE_ATTRIBUTE, INLINE_SCRIPT, UNNONCED_STYLE])
def test_no_template_holds_inline_code_or_styles(pattern):
    offenders = [_name(path) for path in TEMPLATES if pattern.search(path.read_text())]
    assert offenders == []


def test_no_html_built_in_python_holds_inline_code_or_styles():
    offenders = [_name(path) for path in PYTHON if TAG_WITH_INLINE_CODE.search(path.read_text())]
    assert offenders == []


@pytest.mark.django_db
def test_nonced_style_carries_the_pages_nonce(client_for, officer):
    response = client_for(officer).get("/admin/recommendations/dashboard/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">' in response.text
