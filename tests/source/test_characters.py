"""Every character of the sources is one the house fonts draw and a Word file can hold, checked at
validate time and reported in place; what validates then builds as PDF and Word."""

from __future__ import annotations

import re

from policyc.cli import main
from policyc.text.glyphs import drawable_text, undrawable
from tests.helpers import POLICY, SCHOOL, TRUST, write_tree

PATH = "policies/social-media.yaml"


def _validate(tmp_path, capsys, policy: str = POLICY, school: str = SCHOOL) -> tuple[int, list[str]]:
    src = write_tree(tmp_path / "src", {"trust.yaml": TRUST, PATH: policy, "schools/oak-primary.yaml": school})
    code = main(["validate", "--source", str(src)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    return code, [line for line in err.splitlines() if line and not line.startswith(" ") and "error(s)" not in line and "no errors" not in line]


def test_each_character_no_font_draws_is_a_located_error(tmp_path, capsys):
    policy = (POLICY.replace("        text: Tell the {{ role.dsl }} at once.",
                             "        text: \"Tell the {{ role.dsl }} \\uf0b7 at once \\x01 or \\ud800.\"")
              .replace("title: Staff Social Media Policy", "title: Staff Social Media Policy → \ufdd0"))
    school = SCHOOL.replace("name: Oak Primary School", 'name: "Oak Primary School \\a"')
    code, found = _validate(tmp_path, capsys, policy, school)
    assert code == 1
    assert any(re.match(rf".*{PATH}:2:\d+: the house fonts cannot draw '→' \(U\+2192", f) for f in found), found
    assert any(re.match(rf".*{PATH}:2:\d+: U\+FDD0 is a Unicode non-character", f) for f in found), found
    assert any(re.match(rf".*{PATH}:41:\d+: U\+F0B7 is a Word symbol-font glyph", f) for f in found), found
    assert any(re.match(rf".*{PATH}:41:\d+: the control character U\+0001", f) for f in found), found
    assert any(re.match(rf".*{PATH}:41:\d+: a lone surrogate \(U\+D800\)", f) for f in found), found
    assert any(re.match(r".*schools/oak-primary.yaml:1:\d+: the control character U\+0007", f) for f in found), found


def test_the_example_sources_and_ordinary_typography_pass(tmp_path, capsys):
    policy = POLICY.replace("        text: Tell the {{ role.dsl }} at once.",
                            "        text: “Tell the {{ role.dsl }}” – at once… £5, 10%, café, nai\u0308ve, Łódź, ½.")
    code, found = _validate(tmp_path, capsys, policy)
    assert code == 0 and found == []


def test_the_importer_maps_symbol_glyphs_and_leaves_out_what_no_font_has():
    assert drawable_text("\uf0b7 Staff → pupils ✓\x01") == ("• Staff -> pupils ", ["U+2713", "U+0001"])
    assert undrawable("Plain words, “quoted” – £5 …") == []


def test_a_lone_surrogate_in_a_policy_with_a_ratified_version_is_located_not_a_crash(mini, run):
    """Comparing the text with its snapshot encodes it as UTF-8, which a lone surrogate cannot be:
    once that ended validate (and serve) with an internal error."""
    result = run("ratify", "--source", mini, "--school", "oak-primary", "--policy", "social-media",
                 "--today", "2026-11-22", "--date", "2026-01-10", "--by", "Ann Chair, Chair of Governors",
                 "--summary", "First", "--version", "2.0")
    assert result.code == 0, result.err
    policy = mini / "policies" / "social-media.yaml"
    policy.write_text(policy.read_text().replace("    title: Key principles\n", '    title: "Key \\ud800 principles"\n'))
    result = run("validate", "--source", mini)
    assert result.code == 1 and "internal error" not in result.err, result.err
    assert re.search(rf"{PATH}:\d+:\d+: a lone surrogate \(U\+D800\)", result.err)
