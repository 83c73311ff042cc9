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
