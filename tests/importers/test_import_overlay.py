"""`policyc import --model`: a school's own edited copy of the trust's model read back as the school's overlay.

The school's copy is made the way a school gets one: the example trust builds the
policy as a Word document for the school, and the school edits it in Word (here with
python-docx): one paragraph reworded, one deleted, one added.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from docx.text.paragraph import Paragraph

from policyc.cli import main
from tests.pdftext import key, sentences

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCHOOL = """\
name: Brookside Primary School
phase: primary
approving_body: Local Governing Body
roles:
  headteacher: {title: Headteacher, name: Ruth Ellis}
  chair: {name: Alan Price}
  dsl: {name: Sara Khan}
  deputy_dsl: {name: Tom Lowe}
  online_safety_lead: {name: Jo Park}
"""
REWORDED = ("Parts of this policy, in particular the duty to keep information confidential, continue to apply "
            "to former staff for two years after they have left Brookside Primary School.")
ADDED = ("Closed groups run by parents and carers, such as class WhatsApp groups, are not official accounts, "
         "and staff do not join them.")


def _build(source: Path, out: Path, fmt: str = "html", school: str = "brookside-primary") -> None:
    assert main(["--source", str(source), "--output", str(out), "-q", "--today", "2026-11-22", "--format", fmt,
                 "--school", school, "--policy", "social-media"]) == 0


def _school_copy(tmp: Path) -> tuple[Path, Path]:
    """The example trust with a new school, and that school's Word copy of the policy, edited."""
    source = tmp / "src"
    shutil.copytree(ROOT / "policy_src", source)
    shutil.rmtree(source / "snapshots")  # other schools' ratified versions: not what this is about
    (source / "schools" / "brookside-primary.yaml").write_text(SCHOOL, encoding="utf-8")
    _build(source, tmp / "first", "docx")
    [built] = (tmp / "first").rglob("brookside-primary/social-media.docx")
    document = docx.Document(str(built))
    paragraphs = {p.text[:40]: p for p in document.paragraphs}
    reword = next(p for t, p in paragraphs.items() if t.startswith("Parts of this policy, in particular"))
    reword.text = REWORDED
    gone = next(p for t, p in paragraphs.items() if t.startswith("This policy does not form part of any"))
    gone._p.getparent().remove(gone._p)
    anchor = next(p for t, p in paragraphs.items() if t.startswith("Information you share on social media"))
    new = copy.deepcopy(anchor._p)
    anchor._p.addnext(new)
    Paragraph(new, anchor._parent).text = ADDED
    edited = tmp / "Brookside social media policy.docx"
    document.save(str(edited))
    return source, edited


def _html_text(out: Path, school: str = "brookside-primary") -> str:
    [page] = [p for p in out.rglob(f"{school}/social-media.html")]
    body = page.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


def _document_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _overlay(source: Path) -> dict:
    data = yaml.safe_load((source / "schools" / "brookside-primary.yaml").read_text(encoding="utf-8"))
    return data["policies"]["social-media"]


def test_an_edited_copy_becomes_exactly_its_edits(tmp_path, capsys):
    source, edited = _school_copy(tmp_path)
    assert main(["import", str(edited), "--source", str(source), "--model", "social-media",
                 "--school", "brookside-primary"]) == 0
    report = capsys.readouterr().out
    overlay = _overlay(source)
    assert overlay["replace"] == [{"id": "scope-former-staff", "text": REWORDED}]
    assert overlay["remove"] == ["scope-not-contract"]
    [added] = overlay["add"]
    assert added["after"] == "def-private-spaces"
    assert added["clause"]["text"] == ADDED
    assert set(overlay) == {"replace", "remove", "add", "ratification"}
    assert "replaced 'scope-former-staff'" in report and "removed 'scope-not-contract'" in report
    assert not (source / "policies" / "brookside-social-media.yaml").exists()  # no new model
    assert sorted(p.name for p in (source / "policies").iterdir()) == [
        "mobile-phones.yaml", "online-safety.yaml", "photography.yaml", "social-media.yaml"]

    _build(source, tmp_path / "out")
    built = key(_html_text(tmp_path / "out"))
    wanted = sentences(_document_text(edited))
    missing = [s for s in wanted if key(s) not in built]
    assert not missing, missing
    assert key("This policy does not form part of any contract of employment") not in built


def test_an_unedited_copy_needs_no_overlay(tmp_path):
    source, _ = _school_copy(tmp_path)
    [built] = (tmp_path / "first").rglob("brookside-primary/social-media.docx")
    assert main(["import", str(built), "--source", str(source), "--model", "social-media",
                 "--school", "brookside-primary"]) == 0
    assert set(_overlay(source)) == {"ratification"}


def test_a_new_school_is_made_from_the_document(tmp_path, capsys):
    source, edited = _school_copy(tmp_path)
    (source / "schools" / "brookside-primary.yaml").unlink()
    args = ["import", str(edited), "--source", str(source), "--model", "social-media"]
    assert main(args) != 0  # the school's file is made, but the model needs its role holders' names
    err = capsys.readouterr().err
    made = source / "schools" / "brookside-primary-school.yaml"  # the slug from the name on the cover
    assert made.is_file() and "complete the school file" in err
    assert re.search(r"social-media\.yaml:\d+:\d+: \{\{ holder\.chair \}\}", err)
    data = yaml.safe_load(made.read_text(encoding="utf-8"))
    assert data["name"] == "Brookside Primary School" and "policies" not in data
    for role, holder in yaml.safe_load(SCHOOL)["roles"].items():  # the school's people, as its copy names them
        data.setdefault("roles", {}).setdefault(role, {})["name"] = holder["name"]
    data["phase"] = "primary"  # guessed from the words, and marked for checking: the school knows
    assert "approving_body" not in data  # the trust's, as the document words it
    made.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    assert main(args) == 0
    overlay = yaml.safe_load(made.read_text(encoding="utf-8"))["policies"]["social-media"]
    assert overlay["remove"] == ["scope-not-contract"]
    assert [r["id"] for r in overlay["replace"]] == ["scope-former-staff"]
    assert [a["clause"]["text"] for a in overlay["add"]] == [ADDED]
    _build(source, tmp_path / "out", school="brookside-primary-school")
    built = key(_html_text(tmp_path / "out", "brookside-primary-school"))
    missing = [s for s in sentences(_document_text(edited)) if key(s) not in built]
    assert not missing, missing


def test_bad_model_and_existing_overlay_are_plain_errors(tmp_path, capsys):
    source, edited = _school_copy(tmp_path)
    assert main(["import", str(edited), "--source", str(source), "--model", "no-such-policy",
                 "--school", "brookside-primary"]) != 0
    assert "no-such-policy.yaml: no such model policy" in capsys.readouterr().err
    before = (source / "schools" / "hollin-bank-primary.yaml").read_text(encoding="utf-8")
    assert main(["import", str(edited), "--source", str(source), "--model", "social-media",
                 "--school", "hollin-bank-primary"]) != 0
    assert "already tailors social-media" in capsys.readouterr().err
    assert (source / "schools" / "hollin-bank-primary.yaml").read_text(encoding="utf-8") == before


def test_a_left_out_clause_that_another_refers_to_and_a_new_title(tmp_path, capsys):
    source, edited = _school_copy(tmp_path)
    document = docx.Document(str(edited))
    gone = next(p for p in document.paragraphs if p.text.startswith("Where you are related to one of our pupils"))
    gone._p.getparent().remove(gone._p)
    title = next(p for p in document.paragraphs if p.text == "Staff Social Media Policy")
    title.text = "Social Media Policy for Staff"
    document.save(str(edited))
    assert main(["import", str(edited), "--source", str(source), "--model", "social-media",
                 "--school", "brookside-primary"]) == 0
    report = capsys.readouterr().out
    overlay = _overlay(source)
    assert overlay["title"] == "Social Media Policy for Staff"
    assert overlay["remove"] == ["scope-not-contract", "family-connections"]
    # def-pupils said "as described in paragraph [[family-connections]]": it keeps the words as printed
    replaced = {r["id"]: r for r in overlay["replace"]}
    # roles-body names {{ policy.title }}: with the new title it would read otherwise than the document does
    assert set(replaced) == {"scope-former-staff", "def-pupils", "roles-body"}
    assert "adopts the Staff Social Media Policy for Brookside" in replaced["roles-body"]["text"]
    assert "[[" not in replaced["def-pupils"]["text"] and "paragraph" in replaced["def-pupils"]["text"]
    assert "'def-pupils' refers to family-connections" in report

    _build(source, tmp_path / "out")
    built = key(_html_text(tmp_path / "out"))
    missing = [s for s in sentences(_document_text(edited)) if key(s) not in built]
    assert not missing, missing


def test_the_copys_school_is_found_by_the_name_it_gives(tmp_path, capsys):
    """With no --school, the school is the trust's school whose name the copy prints, and its
    file gets the overlay: no second school is made from the name."""
    source, edited = _school_copy(tmp_path)
    before = sorted(p.name for p in (source / "schools").iterdir())
    assert main(["import", str(edited), "--source", str(source), "--model", "social-media"]) == 0
    assert "added the overlay on social-media to" in capsys.readouterr().out
    assert sorted(p.name for p in (source / "schools").iterdir()) == before
    assert _overlay(source)["replace"] == [{"id": "scope-former-staff", "text": REWORDED}]
