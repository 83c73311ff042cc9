"""The title by typography and position: Word's Title style, the largest text on a PDF's first
page (a wrapped title joined), Markdown front matter (issue #19, part 2)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from policyc.cli import main
from tests.import_corpus.corpus import documents, soffice_available, write


def _import(tmp_path: Path, document: Path) -> Path:
    source = tmp_path / "src"
    assert main(["import", str(document), "--source", str(source)]) == 0
    return source


def _policy(source: Path) -> dict:
    [path] = (source / "policies").glob("*.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_word_title_style_is_the_title_not_the_setting_above_it(tmp_path):
    # Hanney Pre-School's cover: "Hanney Pre-School" over "1.6 Mobile Phone & Camera Use" in Title style.
    [doc] = documents(["hanney-preschool-mobile-phones"])
    source = _import(tmp_path, write(doc, "docx", tmp_path))
    assert _policy(source)["title"] == "Mobile Phone & Camera Use"
    [school_file] = (source / "schools").glob("*.yaml")
    written = school_file.read_text(encoding="utf-8")
    assert yaml.safe_load(written)["name"] == "Hanney Pre-School"
    assert "# Check: the document numbers its title 1.6" in written


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.libreoffice
@pytest.mark.skipif(not soffice_available(), reason="needs LibreOffice to save the Word file as PDF")
def test_a_pdf_title_wrapped_over_two_lines_is_one_title(tmp_path):
    [doc] = documents(["bucks-whistleblowing"])
    source = _import(tmp_path, write(doc, "pdf", tmp_path))
    policy = _policy(source)
    assert policy["title"] == "Whistleblowing Policy and Procedure for Schools"
    assert "Procedure for Schools" not in (policy.get("preamble") or "")
    assert policy["sections"][0]["title"] == "Introduction"


def _markdown_with_front_matter(path: Path) -> Path:
    """Hawkhurst's acceptable use policy as a static-site school website keeps it: the title and
    its dates ("Agreed by FGB on 14th March 2022", "To be reviewed March 2023") in front matter."""
    [doc] = documents(["hawkhurst-aup"])
    out = ["---", "title: Acceptable Use Policy", "date: 14th March 2022", "next_review: March 2023",
           "layout: policy", "---", ""]
    for ln in doc.lines:
        if ln.kind == "T" or ln.text.startswith(("Agreed by", "To be reviewed")):
            continue
        if ln.kind == "H":
            out.append("#" * (ln.level + 1) + " " + ln.text)
        elif ln.kind == "B":
            out.append("  " * (ln.level - 1) + "- " + ln.text)
        else:
            out.append(ln.text)
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def test_markdown_front_matter_is_the_title_and_dates_never_a_paragraph(tmp_path):
    source = _import(tmp_path, _markdown_with_front_matter(tmp_path / "acceptable-use.md"))
    policy = _policy(source)
    assert policy["title"] == "Acceptable Use Policy"
    [doc] = documents(["hawkhurst-aup"])
    assert [s["title"] for s in policy["sections"]] == [t for level, t in doc.headings if level == 1]
    [entry] = yaml.safe_load(next((source / "schools").glob("*.yaml")).read_text(encoding="utf-8"))[
        "policies"].values()
    assert entry["ratification"]["date"] == dt.date(2022, 3, 14)
    assert entry["ratification"]["next_review"] == "March 2023"
    out = tmp_path / "out"
    assert main(["--source", str(source), "--output", str(out), "-q", "--format", "html",
                 "--today", "2026-11-22"]) == 0
    [page] = [p for p in out.rglob("acceptable-use.html") if "changes" not in p.parts]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
    assert "layout:" not in text and "title:" not in text and "---" not in text
    assert "14th March 2022" in text and "March 2023" in text
    assert "Children in KS1 should not bring in mobile phones or devices from home." in text


def test_a_text_files_numbered_title_under_the_settings_name(tmp_path):
    # Wool Pre-school Playgroup / 1.6 Use of mobile phones and cameras / Policy statement / ...
    [doc] = documents(["wool-preschool-mobile-phones"])
    source = _import(tmp_path, write(doc, "txt", tmp_path))
    policy = _policy(source)
    assert policy["title"] == "Use of mobile phones and cameras"
    assert [s["title"] for s in policy["sections"]] == [t for level, t in doc.headings if level == 1]
    written = next((source / "schools").glob("*.yaml")).read_text(encoding="utf-8")
    assert yaml.safe_load(written)["name"] == "Wool Pre-school Playgroup"
    assert "# Check: the document numbers its title 1.6" in written
