"""The watch on WeasyPrint's private tree builder: what it records, and how it fails."""

from __future__ import annotations

import types

import pytest
from weasyprint import HTML

from policyc.render import pdf_origins
from policyc.render.pdf_origins import recording, watched_function

pytestmark = pytest.mark.pdf

PAGE = """<html lang="en-GB"><head><title>T</title></head><body>
<section class="part"><h2>About</h2><p>One <a href="#x" title="go">link</a>.</p></section></body></html>"""


def test_the_pinned_weasyprint_has_the_function_with_the_parameters_watched():
    from weasyprint.pdf import tags
    original = pdf_origins._BUILD
    assert original.__module__ == "weasyprint.pdf.tags" and original.__name__ == "_build_box_tree"
    assert watched_function(types.SimpleNamespace(_build_box_tree=original)) is original
    assert tags._build_box_tree is pdf_origins._watch  # installed in WeasyPrint's place


def test_a_weasyprint_without_the_function_is_refused_with_the_version_to_install():
    with pytest.raises(ImportError, match=r"weasyprint\.pdf\.tags\._build_box_tree.*lacks it.*weasyprint>=70,<71"):
        watched_function(types.SimpleNamespace())


def test_a_weasyprint_whose_function_changed_its_parameters_is_refused():
    changed = types.SimpleNamespace(_build_box_tree=lambda box, parent, pdf, page_number, tags: None)
    with pytest.raises(ImportError, match=r"other parameters \('box', 'parent', 'pdf', 'page_number', 'tags'\)"):
        watched_function(changed)


def test_recording_names_the_html_behind_each_structure_element_and_only_inside_the_block():
    with recording() as origins:
        HTML(string=PAGE).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    assert origins and "keys" not in origins
    by_tag = {o.tag: o for o in origins.values()}
    assert by_tag["section"].classes == frozenset({"part"})
    assert by_tag["a"].href == "#x" and by_tag["a"].title == "go" and by_tag["a"].text == "link"
    assert by_tag["p"].text == "One link."
    # outside the block nothing is recorded
    with recording() as again:
        pass
    HTML(string=PAGE).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    assert again == {}
