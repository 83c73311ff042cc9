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
    # Wool Pre-School's mobile phone policy says "the setting" and "the pre-school" throughout.
    source = _import(tmp_path, "wool-preschool-mobile-phones")
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
