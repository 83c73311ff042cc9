"""Clause text as Markdown: raw HTML shown as text, no images, links only to safe places."""

from __future__ import annotations

import pytest

from policyc.text.prose import (block, escape_label, has_raw_html, inline, is_safe_link, scrolling_tables, shape,
                                unsafe_links)


@pytest.mark.parametrize("url", ["https://www.gov.uk/", "mailto:dsl@oak.example.sch.uk", "#personal-use",
                                 "online-safety.html#filtering", "../../oak-primary/online-safety.html"])
def test_safe_links(url):
    assert is_safe_link(url)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://example.com/", "file:///etc/passwd",
                                 "data:text/html,x", "../../../secret.html"])
def test_unsafe_links(url):
    assert not is_safe_link(url)


def test_html_is_shown_as_text_and_an_unsafe_link_is_not_a_link():
    html = block("Tell the <b>DSL</b>. [Click](javascript:alert(1)) or [read](https://www.gov.uk/).")
    assert "&lt;b&gt;DSL&lt;/b&gt;" in html and "<b>" not in html
    assert 'href="javascript' not in html and '<a href="https://www.gov.uk/">read</a>' in html


def test_images_are_off_and_bare_addresses_become_links():
    assert "<img" not in block("![a pupil](https://example.com/p.jpg)")
    linked = inline("Email dsl@oak.example.sch.uk.")
    assert '<a href="mailto:dsl@oak.example.sch.uk">dsl@oak.example.sch.uk</a>' in linked


def test_shape_reads_links_html_list_depth_and_table_rows():
    text = "- one\n  - two [x](mailto:a@b.uk)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>x</script>\n"
    found = shape(text)
    assert found.links == ("mailto:a@b.uk",) and found.list_depth == 2 and found.table_rows == 2
    assert found.html == ("<script>x</script>",)
    assert has_raw_html("a <i>b</i>") and not has_raw_html("a < b")
    assert unsafe_links("[a](http://x.uk) [b](https://x.uk)") == ["http://x.uk"]


def test_a_label_is_escaped_for_markdown():
    assert escape_label("Item [a] *bold*") == r"Item \[a\] \*bold\*"


def test_each_table_scrolls_in_a_region_of_its_own_named_by_its_label():
    text = "| Role | Email |\n|---|---|\n| DSL | dsl@oak.example.sch.uk |\n\nBetween.\n\n| a |\n|---|\n| 1 |\n"
    names = iter(["Table 1: paragraph 2.3", "Table 2: <b>&"])
    html = str(scrolling_tables(block(text), lambda where: next(names)))
    assert html.count('<section class="table-scroll" aria-label="Table 1: paragraph 2.3" tabindex="0"><table>') == 1
    assert 'aria-label="Table 2: &lt;b&gt;&amp;"' in html  # a title in the label is text, never markup
    assert html.count("</table></section>") == 2 and "<p>Between.</p>" in html
    # A table's words written into a clause stay text: "<table>" typed in a clause is no table.
    assert str(scrolling_tables(block("Write <table> here."), lambda where: "x")) == str(block("Write <table> here."))
