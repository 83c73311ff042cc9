"""A setting whose documents name no school: nothing stands in for its name (issue #19, part 2)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import yaml

from policyc.cli import main
from tests.import_corpus.corpus import documents, write


def _import(tmp_path: Path, name: str, fmt: str = "txt") -> Path:
    [doc] = documents([name])
    source = tmp_path / "src"
    assert main(["import", str(write(doc, fmt, tmp_path)), "--source", str(source)]) == 0
    return source


def _build(source: Path, out: Path, fmt: str) -> None:
    assert main(["--source", str(source), "--output", str(out), "-q", "--format", fmt,
                 "--today", "2026-11-22"]) == 0


def test_an_unnamed_setting_prints_no_school_name(tmp_path, capsys):
    # "Policy No. 54", a whistleblowing policy that says only "the School" and "the Governing Body".
    source = _import(tmp_path, "policy54-whistleblowing")
    report = capsys.readouterr().out
    assert "names no school" in report or "does not name its school" in report
    [school_file] = (source / "schools").glob("*.yaml")
    written = school_file.read_text(encoding="utf-8")
    school = yaml.safe_load(written)
    trust = yaml.safe_load((source / "trust.yaml").read_text(encoding="utf-8"))
    assert "name" not in school and "name" not in trust
    assert "# Check: the document does not name its school or setting" in written
    _build(source, tmp_path / "out", "html")
    [page] = [p for p in (tmp_path / "out").rglob("*.html")
              if p.stem == next((source / "policies").glob("*.yaml")).stem]
    html = page.read_text(encoding="utf-8")
    assert 'class="school-name"' not in html
    assert "Our School" not in html and "Our Trust" not in html
    footer = re.search(r'<footer class="page-footer">\s*<p>(.*?)</p>', html, re.S).group(1)
    title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
    assert footer.startswith(title) and not footer.startswith(f"{title} · ·")
    assert f"{title} · Version" in footer or footer == title or f"{title} · Next review" in footer
    assert re.search(r"<title>[^<–]*</title>", html)  # no " – name" in the window's title


def test_an_unnamed_setting_has_no_name_line_in_word(tmp_path):
    source = _import(tmp_path, "willowtree-whistleblowing")
    assert "name" not in yaml.safe_load(next((source / "schools").glob("*.yaml")).read_text(encoding="utf-8"))
    _build(source, tmp_path / "out", "docx")
    [made] = list((tmp_path / "out").rglob("*.docx"))
    document = docx.Document(str(made))
    first = [p for p in document.paragraphs if p.text.strip()][0]
    assert first.style.name == "Title"
    assert not any(p.style.name == "Subtitle" and p.text.strip() == "" for p in document.paragraphs)
    footer = " ".join(p.text for s in document.sections for p in s.footer.paragraphs)
    assert "·  ·" not in footer and " ·  " not in footer and "Our School" not in footer
    assert document.core_properties.subject == first.text or document.core_properties.subject.startswith(first.text)


def test_school_name_placeholder_with_no_name_is_a_located_error(tmp_path, capsys):
    source = _import(tmp_path, "willowtree-whistleblowing")
    [policy_file] = (source / "policies").glob("*.yaml")
    text = policy_file.read_text(encoding="utf-8")
    first = re.search(r"^(    title: )(.+)$", text, re.M)  # the first section's title
    policy_file.write_text(text[:first.start(2)] + "What {{ school.name }} asks of you" + text[first.end(2):],
                           encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--source", str(source)]) == 1
    err = capsys.readouterr()
    line = text[:first.start()].count("\n") + 1
    assert re.search(rf"{re.escape(policy_file.name)}:{line}:\d+: .*school\.name.*gives no name", err.out + err.err)
    assert "Traceback" not in err.err


def _written(source: Path) -> tuple[dict, dict]:
    school = yaml.safe_load(next((source / "schools").glob("*.yaml")).read_text(encoding="utf-8"))
    return school, yaml.safe_load((source / "trust.yaml").read_text(encoding="utf-8"))


def test_a_pre_school_named_on_its_cover_is_found(tmp_path):
    # "Hanney Pre-School" above the title; the text says "the setting".
    school, trust = _written(_import(tmp_path, "hanney-preschool-mobile-phones"))
    assert school["name"] == "Hanney Pre-School" and school["phase"] == "nursery"


def test_a_playgroup_is_found_from_word(tmp_path):
    school, _ = _written(_import(tmp_path, "wool-preschool-mobile-phones", "docx"))
    assert school["name"] == "Wool Pre-school Playgroup" and school["phase"] == "nursery"


def test_the_cover_line_that_names_the_school_wins_over_a_shortened_match(tmp_path):
    # "Noel - Baker School" on the cover: not "Baker School".
    school, _ = _written(_import(tmp_path, "noel-baker-whistleblowing"))
    assert school["name"] == "Noel - Baker School"


def test_an_academy_named_after_its_place(tmp_path):
    # "... student attendance at Co-op Academy Grange is maximized"
    school, _ = _written(_import(tmp_path, "grange-attendance"))
    assert school["name"] == "Co-op Academy Grange"


def test_a_trust_wide_policy_names_the_trust_not_a_school(tmp_path):
    # Beckfoot Trust's code of conduct names the trust ("Beckfoot Trust employees") and no school.
    school, trust = _written(_import(tmp_path, "beckfoot-code-of-conduct"))
    assert trust["name"] == "Beckfoot Trust" and "name" not in school


def test_a_head_of_school_is_a_role_not_the_schools_name(tmp_path):
    """A trust's complaints procedure that names its Head of School (a person's role) and no school."""
    text = ("Complaints Procedure\n\nReviewed: July 2016\nApproved by Directors: July 2016\n\n"
            "Most concerns are resolved straight away through the class teacher or the Head of School "
            "(Maggie Latimer), or the Deputy Head of School.\n")
    (tmp_path / "complaints.txt").write_text(text, encoding="utf-8")
    source = tmp_path / "src"
    assert main(["import", str(tmp_path / "complaints.txt"), "--source", str(source)]) == 0
    [school] = (source / "schools").iterdir()
    assert "name" not in yaml.safe_load(school.read_text())
