"""`policyc import FOLDER`: a school's or a trust's folder of policies in one run, with one report."""

from __future__ import annotations

import shutil

import yaml

from policyc.cli import main
from policyc.pipeline import check
from tests.import_corpus.corpus import documents, write


def _folder(tmp_path, names_and_kinds):
    work, folder = tmp_path / "work", tmp_path / "policies"
    work.mkdir()
    folder.mkdir()
    made = []
    for name, kind in names_and_kinds:
        [doc] = documents([name])
        made.append(shutil.copy(write(doc, kind, work), folder))
    return folder


def test_a_schools_folder_comes_in_as_one_school_with_one_report(tmp_path, capsys):
    folder = _folder(tmp_path, [("spring-meadow-mobile-phones", "docx"), ("beckfoot-code-of-conduct", "txt"),
                                ("spring-meadow-mobile-phones", "txt")])
    (folder / "~$ring-meadow-mobile-phones.docx").write_bytes(b"\x0bowner file")  # Word's, while it is open
    (folder / "minutes.xlsx").write_bytes(b"PK")
    (folder / ".sync").mkdir()
    (folder / ".sync" / "state.txt").write_text("not a policy")
    src = tmp_path / "src"
    assert main(["import", str(folder), "--source", str(src)]) == 0
    out = capsys.readouterr().out
    # The code of conduct names no school: it belongs to the one school the folder's documents name.
    assert [p.name for p in (src / "schools").iterdir()] == ["spring-meadow-primary-school.yaml"]
    school = yaml.safe_load((src / "schools" / "spring-meadow-primary-school.yaml").read_text())
    assert set(school["policies"]) == {"mobile-phone", "code-conduct-employees"}
    assert "imported for Spring Meadow Primary School, the only school the folder's documents name" in out
    assert "does not name its school" not in out  # it has one now
    # Of the two files of one document the Word file is read; what is not a document is said, once.
    assert "spring-meadow-mobile-phones.txt: skipped: the same document as spring-meadow-mobile-phones.docx" in out
    assert "minutes.xlsx: skipped: not a kind of file policyc imports" in out
    assert "~$" not in out and ".sync" not in out
    assert out.strip().splitlines()[-1].startswith("Imported 2 of 2 documents;")
    _, policies, _ = check(src)
    assert sorted(p.policy_id for p in policies) == ["code-conduct-employees", "mobile-phone"]


def test_a_document_that_cannot_come_in_is_reported_and_the_rest_still_do(tmp_path, capsys):
    folder = _folder(tmp_path, [("noel-baker-whistleblowing", "docx"), ("willowtree-whistleblowing", "docx"),
                                ("hawkhurst-aup", "docx")])
    (folder / "broken.docx").write_bytes(b"not a zip file")
    src = tmp_path / "src"
    assert main(["import", str(folder), "--source", str(src)]) == 1
    out = capsys.readouterr().out
    assert "broken.docx: not imported:" in out
    # Two schools' whistleblowing policies have one title: the second is not a second model.
    assert "willowtree-whistleblowing.docx: not imported:" in out and "--model ID --school SLUG" in out
    assert "Imported 2 of 4 documents" in out and "2 not imported" in out
    made = sorted(str(p.relative_to(src)) for p in src.rglob("*.yaml"))
    assert made == ["policies/acceptable-use.yaml", "policies/whistleblowing.yaml",
                    "schools/hawkhurst-church-england-primary-school.yaml", "schools/noel-baker-school.yaml",
                    "trust.yaml"]
    # The trust the first document made had no chair; the second's signature line names one.
    assert "added the role chair (Chair of Governors, as the document names it) to" in out
    trust = (src / "trust.yaml").read_text()
    assert trust.startswith("# yaml-language-server") and "  chair: Chair of Governors\n" in trust
    check(src)  # what was kept validates


def test_a_folder_takes_no_options_that_name_one_policy(tmp_path, capsys):
    folder = _folder(tmp_path, [("hawkhurst-aup", "txt")])
    assert main(["import", str(folder), "--source", str(tmp_path / "src"), "--model", "acceptable-use"]) == 2
    assert "is a folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.xlsx").write_bytes(b"PK")
    assert main(["import", str(empty), "--source", str(tmp_path / "src")]) == 2
    assert "no document to import" in capsys.readouterr().err
    assert not (tmp_path / "src").exists()
