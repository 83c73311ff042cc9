"""Placeholders are names looked up in a table; nothing in clause text can run."""

from policyc.text import prose
from policyc.text.placeholders import Use, escape_markdown, fill, references, uses


def test_a_placeholder_is_a_name_with_an_optional_filter():
    found = list(uses("{{ school.name }} {{term.staff|capital}} {{ 7*7 }} {{ ''.__class__ }} {{ x }}"))
    assert found[0] == Use("{{ school.name }}", "school.name", "")
    assert found[1] == Use("{{term.staff|capital}}", "term.staff", "capital")
    assert found[2:] == ["{{ 7*7 }}", "{{ ''.__class__ }}", "{{ x }}"]


def test_fill_replaces_names_and_references():
    text = fill("{{ term.staff | capital }} tell the {{ role.dsl }}; see [[tell-dsl]].",
                {"term.staff": "employees", "role.dsl": "DSL"}, lambda i: f"[6.2](#{i})")
    assert text == "Employees tell the DSL; see [6.2](#tell-dsl)."


def test_values_are_literal_in_markdown():
    html = prose.block(fill("Welcome to {{ school.name }}.", {"school.name": "St *Mary's* <b>"}, str))
    assert "St *Mary's* &lt;b&gt;" in html and "<em>" not in html
    assert escape_markdown("[x](javascript:y)") == r"\[x\]\(javascript:y\)"


def test_an_address_is_a_link_wherever_it_comes_from():
    """A value that is an email or https address, and a bare address in clause text, become
    links a screen reader and a PDF reader can follow; anything else stays text."""
    values = {"value.dpo_email": "dpo@skylarkridge.org.uk", "value.site": "https://www.gov.uk/guidance",
              "value.odd": "not-an@address"}
    html = prose.block(fill("Write to {{ value.dpo_email }} or see {{ value.site }}; {{ value.odd }}.", values, str))
    assert '<a href="mailto:dpo@skylarkridge.org.uk">dpo@skylarkridge.org.uk</a>' in html
    assert '<a href="https://www.gov.uk/guidance">https://www.gov.uk/guidance</a>' in html
    assert "not-an@address." in html and 'href="mailto:not-an' not in html
    bare = prose.block("Call or email helpline@saferinternet.org.uk, or visit http://plain.org.")
    assert '<a href="mailto:helpline@saferinternet.org.uk">' in bare
    assert 'href="http://' not in bare and "http://plain.org" in bare  # only https:// is linked


def test_references_are_ids():
    assert list(references("see [[a-b]] and [[ c_d ]] and [[Bad Id]]")) == ["a-b", "c_d", "[[Bad Id]]"]


def test_markdown_has_no_raw_html_images_or_unsafe_links():
    html = prose.block("<script>x</script> ![i](https://e.org/p.png) [a](javascript:alert(1)) "
                       "[b](https://ok.org) [c](mailto:x@y.org) [d](#top) [e](http://plain.org)")
    assert "<script>" not in html and "<img" not in html
    assert 'href="javascript' not in html and 'href="http://' not in html
    assert 'href="https://ok.org"' in html and 'href="mailto:x@y.org"' in html and 'href="#top"' in html
    assert prose.unsafe_links("[a](javascript:alert(1)) [e](http://plain.org) [b](https://ok.org)") == [
        "javascript:alert(1)", "http://plain.org"]


def test_markdown_tables_become_real_tables_with_column_headers():
    html = prose.block("| Role | Who |\n|---|---|\n| DSL | Jo Bloggs |\n")
    assert "<table>" in html and "<th>Role</th>" in html and "<td>Jo Bloggs</td>" in html
