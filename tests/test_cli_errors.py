"""Every class of bad input, through the CLI: the exact message, where it is reported,
exit status 1, no traceback, and nothing written (an earlier output folder is left as it was).

Each test edits the `mini` source folder a little. Tests run from inside that folder, so
messages name files as the user sees them there: `policies/social-media.yaml:14:9`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policyc import pipeline
from policyc.cli import main
from policyc.errors import UserError
from tests.helpers import earlier_output, output_snapshot

POLICY = "policies/social-media.yaml"
SCHOOL = "schools/oak-primary.yaml"
OVERLAY = "    options: {personal_use: forbidden}\n"  # the school's overlay; additions go after it


@pytest.fixture(autouse=True)
def _inside_the_source_folder(mini, monkeypatch):
    monkeypatch.chdir(mini)


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """An output folder from an earlier build, which a failed run must leave exactly as it was."""
    return earlier_output(tmp_path / "output")


def edit(mini: Path, name: str, old: str, new: str) -> None:
    path = mini / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should be in {name} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def fails(mini, output, run):
    """Build; expect exactly these problems (each 'where: message' plus its hint line), then the summary."""
    def _fails(*problems: str, errors: int | None = None, warnings: int = 0, args: tuple = (),
               summary: str = "") -> None:
        before = output_snapshot(output)
        result = run("--source", mini, "--output", output, "--format", "html", *args)
        errors = len(problems) - warnings if errors is None else errors
        summary = "\n" + (summary or f"{errors} error(s), {warnings} warning(s).") + " Nothing was written.\n"
        assert result.err == "".join(p + "\n" for p in problems) + summary
        assert result.code == 1
        assert result.out == ""
        assert "Traceback" not in result.err
        assert output_snapshot(output) == before
    return _fails


def problem(where: str, message: str, hint: str = "") -> str:
    return f"{where}: {message}" + (f"\n    hint: {hint}" if hint else "")


# --- 1. the YAML reader -------------------------------------------------------------

def test_duplicate_key_is_reported_where_it_repeats(mini, fails):
    edit(mini, POLICY, "        items: [breach our ICT", "        text: Again.\n        items: [breach our ICT")
    fails(problem(f"{POLICY}:23:9", "duplicate key 'text': it is already set on line 22",
                  "YAML keeps only one of them; delete or rename one"))


def test_yaml_syntax_error_gives_its_position_and_no_knock_on_errors(mini, fails):
    # The school's overlay on the broken policy is not reported as well.
    edit(mini, POLICY, "    title: Key principles\n", "    title: Key: principles\n")
    fails(problem(f"{POLICY}:29:15", "a colon followed by a space inside a value",
                  'put the whole value in quotes: title: "Key: principles"'))


@pytest.mark.parametrize("tag, value", [("!!python/object:os.system", "Oak"),
                                        ("!!python/object/apply:os.system", "[echo hacked]")])
def test_python_tag_is_refused_once(mini, fails, tag, value):
    # Once: the schema does not also complain about the nothing left in its place.
    edit(mini, SCHOOL, "name: Oak Primary School", f"name: Oak Primary School\nshort_name: {tag} {value}")
    fails(problem(f"{SCHOOL}:2:13", f"the tag '{tag}' is not allowed",
                  "policy files hold plain text, lists and mappings; remove the tag"))


# --- 2. ids -----------------------------------------------------------------------------

def test_duplicate_clause_id(mini, fails):
    edit(mini, POLICY, "      - id: breaches", "      - id: purpose")
    fails(problem(f"{POLICY}:21:9", "the id 'purpose' is already used by a clause on line 14",
                  "every clause and section needs its own id"))


def test_clause_and_section_may_not_share_an_id(mini, fails):
    edit(mini, POLICY, "      - id: eyfs", "      - id: principles")
    fails(problem(f"{POLICY}:27:5", "the id 'principles' is already used by a clause on line 24",
                  "every clause and section needs its own id"))


# --- 3. a school's overlay naming what is not there ----------------------------------------

def test_overlay_removes_a_clause_that_does_not_exist(mini, fails):
    edit(mini, SCHOOL, OVERLAY, OVERLAY + "    remove: [breaches, eyfss]\n")
    fails(problem(f"{SCHOOL}:7:24", f"this removes 'eyfss', but {POLICY} has no clause or section with that id",
                  "did you mean 'eyfs'?"))


def test_overlay_removes_a_section_that_does_not_exist(mini, fails):
    edit(mini, SCHOOL, OVERLAY, OVERLAY + "    remove: [reportng]\n")
    fails(problem(f"{SCHOOL}:7:14", f"this removes 'reportng', but {POLICY} has no clause or section with that id",
                  "did you mean 'reporting'?"))


def test_overlay_replaces_a_clause_that_does_not_exist(mini, fails):
    edit(mini, SCHOOL, OVERLAY, OVERLAY + "    replace:\n      - id: purpse\n        text: New words.\n")
    fails(problem(f"{SCHOOL}:8:9", f"this replaces 'purpse', but {POLICY} has no clause or section with that id",
                  "did you mean 'purpose'?"))


def test_overlay_adds_after_a_clause_that_does_not_exist(mini, fails):
    edit(mini, SCHOOL, OVERLAY, OVERLAY + "    add:\n      - after: breachs\n        clause: {id: local, text: Ours.}\n")
    fails(problem(f"{SCHOOL}:8:16", f"this adds next to 'breachs', but {POLICY} has no clause or section with that id",
                  "did you mean 'breaches'?"))


def test_overlay_adds_a_section_after_a_section_that_does_not_exist(mini, fails):
    edit(mini, SCHOOL, OVERLAY, OVERLAY + "    add:\n      - after: reportin\n"
         "        section: {id: forest, kind: general, title: Forest School, clauses: [{id: trees, text: Trees.}]}\n")
    fails(problem(f"{SCHOOL}:8:16", f"this adds next to 'reportin', but {POLICY} has no clause or section with that id",
                  "did you mean 'reporting'?"))


# --- 4. placeholders ---------------------------------------------------------------------

def test_unknown_placeholder_suggests_the_name(mini, fails):
    edit(mini, POLICY, "{{ school.name }}", "{{ school.nmae }}")
    fails(problem(f"{POLICY}:15:36", "unknown placeholder {{ school.nmae }}", "did you mean '{{ school.name }}'?"))


@pytest.mark.parametrize("written", ["{{ 7*7 }}", "{{ ''.__class__ }}"])
def test_placeholder_cannot_compute(mini, fails, written):
    edit(mini, POLICY, "{{ school.name }}", written)
    fails(problem(f"{POLICY}:15:36", f"{written} is not a placeholder",
                  "write a name such as {{ school.name }}; placeholders cannot compute anything"))


def test_holder_placeholder_needs_the_school_to_name_the_holder(mini, fails):
    edit(mini, POLICY, "{{ role.dsl }}", "{{ holder.headteacher }}")
    fails(problem(f"{POLICY}:41:24", "{{ holder.headteacher }} needs the name of Oak Primary School's Headteacher",
                  f"add headteacher: {{name: ...}} under roles: in {SCHOOL}"))


def test_placeholder_in_a_section_title_is_checked(mini, fails):
    # Was an internal error: only clause text was checked, and rendering the title crashed.
    edit(mini, POLICY, "title: Key principles", "title: Key principles at {{ school.nmae }}")
    fails(problem(f"{POLICY}:29:30", "unknown placeholder {{ school.nmae }}", "did you mean '{{ school.name }}'?"))


def test_placeholder_in_the_preamble_is_checked(mini, fails):
    # Was an internal error too; now reported where the placeholder is written.
    edit(mini, POLICY, "sections:\n", 'preamble: "At {{ school.nmae }} we care."\nsections:\n')
    fails(problem(f"{POLICY}:9:15", "unknown placeholder {{ school.nmae }} (in the preamble)",
                  "did you mean '{{ school.name }}'?"))


def test_placeholder_in_a_trust_ratification_row_is_located_at_the_row(mini, fails):
    edit(mini, "trust.yaml", "approving_body: Local Governing Body\n",
         "approving_body: Local Governing Body\nratification_block:\n"
         "  - {label: Date, value: date}\n  - {label: Signed, value: blank, after: \"{{ role.headteachr }}\"}\n")
    fails(problem("trust.yaml:5:43", "unknown placeholder {{ role.headteachr }} (in the ratification block)",
                  "did you mean '{{ role.headteacher }}'?"))


def test_placeholder_in_a_policys_own_ratification_row_is_located_in_the_policy(mini, fails):
    edit(mini, POLICY, "sections:\n", "ratification_layout:\n  position: end\n  rows:\n"
         "    - {label: \"Adopted by {{ school.nmae }}\", value: none}\nsections:\n")
    fails(problem(f"{POLICY}:12:27", "unknown placeholder {{ school.nmae }} (in the ratification block)",
                  "did you mean '{{ school.name }}'?"))


# --- 5. cross-references -------------------------------------------------------------------

def test_cross_reference_to_a_missing_clause_is_reported_once(mini, fails):
    edit(mini, POLICY, "[[personal-use]]", "[[missing-id]]")
    fails(problem(f"{POLICY}:15:95", "the cross-reference [[missing-id]] names no clause or section",
                  "write [[ID]] with the id of a clause or section in this policy"))


def test_school_removing_a_clause_that_another_refers_to(mini, fails):
    edit(mini, SCHOOL, OVERLAY, OVERLAY + "    remove: [personal-use]\n")
    fails(problem(f"{SCHOOL}:7:14", "this removes 'personal-use', but [[personal-use]] in the clause 'purpose' refers to it",
                  f"the reference is at {POLICY}:15:95; keep 'personal-use', or replace what refers to it"))


# --- 6, 7. ratification ----------------------------------------------------------------------

def test_ratified_without_a_date(mini, fails):
    edit(mini, SCHOOL, "      date: 2026-10-01\n", "")
    fails(problem(f"{SCHOOL}:8:7", "a ratified policy needs the date it was ratified",
                  "add date: YYYY-MM-DD, or set status: draft"))


def test_ratified_without_signatories(mini, fails):
    edit(mini, SCHOOL, "      signatories: [{name: Ann Chair, role: Chair of Governors}]\n", "")
    fails(problem(f"{SCHOOL}:8:7", "a ratified policy needs its signatories",
                  "add signatories: [{name: ..., role: Chair of Governors}]"))


def test_next_review_before_the_ratification_date(mini, fails):
    edit(mini, SCHOOL, "      version: 1.10\n", "      version: 1.10\n      next_review: 2025-10-01\n")
    fails(problem(f"{SCHOOL}:11:20", "the next review date 2025-10-01 is not after the ratification date 2026-10-01",
                  "check both dates"))


# --- 8. school slugs ------------------------------------------------------------------------

def test_unsafe_slug_from_the_file_name(mini, fails):
    (mini / SCHOOL).rename(mini / "schools" / "Oak Primary.yaml")
    fails(problem("schools/Oak Primary.yaml:1:1", "the school slug 'Oak Primary' is not safe for a folder name",
                  "use lower-case letters, digits and single hyphens, such as 'oakfield-primary'; "
                  "rename the file or set slug:"))


def test_unsafe_slug_given(mini, fails):
    edit(mini, SCHOOL, "phase: primary\n", "phase: primary\nslug: ../evil\n")
    fails(problem(f"{SCHOOL}:3:7", "the school slug '../evil' is not safe for a folder name",
                  "use lower-case letters, digits and single hyphens, such as 'oakfield-primary'"))


def test_duplicate_slug(mini, fails):
    edit(mini, SCHOOL, "phase: primary\n", "phase: primary\nslug: oak\n")
    (mini / "schools" / "oak-too.yaml").write_text((mini / SCHOOL).read_text(encoding="utf-8"), encoding="utf-8")
    fails(problem("schools/oak-too.yaml:3:7", f"the slug 'oak' is already used by {SCHOOL}",
                  "every school needs its own slug"))


# --- 9. values kept as written ----------------------------------------------------------------

def test_version_1_10_stays_1_10(mini, output, run):
    result = run("--source", mini, "--output", output, "--format", "html", "-q")
    assert result.code == 0, result.err
    html = (output / "oak-primary" / "social-media.html").read_text(encoding="utf-8")
    assert "1.10" in html
    assert "version 1.9" not in html


# --- 10. the schemas --------------------------------------------------------------------------

def test_unknown_key_suggests_the_right_one(mini, fails):
    edit(mini, SCHOOL, "phase: primary\n", "phase: primary\nwebsit: https://oak.example\n")
    fails(problem(f"{SCHOOL}:3:1", "unknown key 'websit'", "did you mean 'website'?"))


def test_wrong_enum_value(mini, fails):
    edit(mini, SCHOOL, "phase: primary", "phase: primry")
    fails(problem(f"{SCHOOL}:2:8", "'primry' is not allowed here; use one of: nursery, primary, secondary, "
                  "all-through, special, alternative-provision, sixth-form", "did you mean 'primary'?"))


@pytest.mark.parametrize("date, hint", [
    ("2024-13-01", "the month comes second and runs from 01 to 12"),
    ("2024-02-30", "February 2024 has 29 days"),
    ("2026-09-31", "September 2026 has 30 days"),
    ("30/09/2026", "write dates as YYYY-MM-DD: 2026-09-30"),
])
def test_date_that_is_not_real(mini, fails, date, hint):
    # 2024-13-01 fails the schema's pattern, 2024-02-30 the calendar: each says why, once.
    edit(mini, SCHOOL, "date: 2026-10-01", f"date: {date}")
    fails(problem(f"{SCHOOL}:9:13", f"'{date}' is not a real date", hint))


def test_yes_is_not_a_boolean(mini, fails):
    edit(mini, POLICY, "    numbered: false\n", "    numbered: no\n")
    fails(problem(f"{POLICY}:48:15", "expected true or false, found the text 'no'",
                  "write true or false (yes/no and on/off are read as text)"))


# --- 11. options -------------------------------------------------------------------------------

def test_option_choice_that_does_not_exist(mini, fails):
    # Only this: the clause the choice selects is not also reported missing.
    edit(mini, SCHOOL, "{personal_use: forbidden}", "{personal_use: forbiden}")
    fails(problem(f"{SCHOOL}:6:29", "'forbiden' is not a choice of the option 'personal_use'",
                  "did you mean 'forbidden'?"))


def test_option_that_does_not_exist(mini, fails):
    edit(mini, SCHOOL, "{personal_use: forbidden}", "{personal_us: forbidden}")
    fails(problem(f"{SCHOOL}:6:15", f"{POLICY} has no option 'personal_us'", "did you mean 'personal_use'?"))


def test_clause_with_an_option_but_missing_a_choice(mini, fails):
    edit(mini, POLICY, '          occasional: {text: "Occasional personal use is allowed in breaks."}\n', "")
    fails(problem(f"{POLICY}:16:9", "the clause 'personal-use' has no words for the choice 'occasional'",
                  "add it under choices: (null leaves the clause out for that choice)"))


# --- 12. links and HTML ------------------------------------------------------------------------

def test_javascript_link_is_an_error(mini, fails):
    edit(mini, POLICY, "Tell the {{ role.dsl }} at once.", "Tell the [DSL](javascript:alert(1)) at once.")
    fails(problem(f"{POLICY}:41:30", "a link to a 'javascript:' address is not allowed",
                  "links may start with https://, mailto: or #"))


def test_http_link_is_an_error(mini, fails):
    edit(mini, POLICY, "Tell the {{ role.dsl }} at once.", "Tell the [DSL](http://example.org) at once.")
    fails(problem(f"{POLICY}:41:30", "the link 'http://example.org' is not allowed",
                  "links may start with https://, mailto: or # (use https:// rather than http://)"))


RAW_HTML_WARNING = problem(f"{POLICY}:44:35", "warning: this text contains HTML tags, which are shown as text, not as markup",
                           "use Markdown instead: *emphasis*, **bold**, [link](https://...)")


def test_raw_html_is_a_warning(mini, run):
    edit(mini, POLICY, "In person or by email.", "In person or by <b>email</b>.")
    result = run("validate", "--source", mini)
    assert result.code == 0
    assert result.err == RAW_HTML_WARNING + "\n"
    assert result.out == "1 school(s), 1 policy file(s): no errors, 1 warning(s).\n"


def test_raw_html_with_strict_fails(mini, fails):
    edit(mini, POLICY, "In person or by email.", "In person or by <b>email</b>.")
    fails(RAW_HTML_WARNING, args=("--strict",), summary="1 warning(s), which --strict treats as errors.")


# --- 13. every problem at once -------------------------------------------------------------------

def test_every_problem_is_reported_in_one_run_sorted_by_line(mini, fails):
    edit(mini, SCHOOL, "date: 2026-10-01", "date: 2024-13-01")               # the schema, line 9
    edit(mini, SCHOOL, "phase: primary\n", "phase: primry\nname: Elm\n")      # the schema, line 2; the reader, line 3
    fails(problem(f"{SCHOOL}:2:8", "'primry' is not allowed here; use one of: nursery, primary, secondary, "
                  "all-through, special, alternative-provision, sixth-form", "did you mean 'primary'?"),
          problem(f"{SCHOOL}:3:1", "duplicate key 'name': it is already set on line 1",
                  "YAML keeps only one of them; delete or rename one"),
          problem(f"{SCHOOL}:10:13", "'2024-13-01' is not a real date", "the month comes second and runs from 01 to 12"))


# --- 16. misuse of the command line exits 2 ----------------------------------------------------------

def usage(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return exit_.value.code, captured.out, captured.err


def test_unknown_school_suggests_one(mini, output, run):
    before = output_snapshot(output)
    result = run("--source", mini, "--output", output, "--school", "oak-primry")
    assert result.code == 2
    assert result.err == ("policyc: error: there is no school 'oak-primry'; did you mean 'oak-primary'? "
                          "(known: oak-primary)\n")
    assert output_snapshot(output) == before


def test_unknown_command(mini, capsys):
    code = main(["biuld", "--source", str(mini)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == ("policyc: error: there is no command 'biuld'; did you mean 'policyc build'? (the commands: build, "
                   "validate, status, ratify, versions, diff, preview, init, serve, import, new, completion, unratify, "
                   "compliance, as-of; 'policyc --help' says "
                   "what each does)\n")


def test_bad_today_date(mini, capsys):
    code, _, err = usage(capsys, "--source", mini, "--today", "2024-13-01")
    assert code == 2
    assert err.endswith("error: argument --today: '2024-13-01' is not a date written YYYY-MM-DD "
                        "(the month comes second and runs from 01 to 12)\n")


def test_help_exits_0_and_mentions_validate(capsys):
    code, out, _ = usage(capsys, "--help")
    assert code == 0
    assert "validate" in out


# --- 18. a build that fails part way --------------------------------------------------------------

@pytest.mark.pdf
def test_failed_build_leaves_the_output_as_it_was(mini, output, run, monkeypatch):
    def broken_pdf(out, ctx):
        (ctx.root / out.path).write_bytes(b"%PDF-1.7 half a file")
        raise UserError("the PDF renderer stopped")
    monkeypatch.setitem(pipeline.WRITERS, "pdf", broken_pdf)
    before = output_snapshot(output)
    result = run("--source", mini, "--output", output, "-q")
    assert result.code == 1
    assert result.err == "policyc: error: the PDF renderer stopped\nNothing was changed.\n"
    assert output_snapshot(output) == before  # no staging folder left beside it either


# --- 19. exit codes, for every command: 0 done, 1 a problem in the sources or a document, -----------
# --- 2 a mistake on the command line, 3 a bug --------------------------------------------------------

RATIFY = ("ratify", "--policy", "social-media", "--school", "oak-primary", "--date", "2026-11-20",
          "--summary", "Review")
BROKEN = ("{{ school.name }}", "{{ school.nmae }}")


@pytest.mark.parametrize("args, message", [
    (("build", "--school", "oak"), "there is no school 'oak'; did you mean 'oak-primary'? (known: oak-primary)"),
    (("build", "--output", "policies/out"), "the output folder policies/out is inside the source folder"),
    (("build", "--jobs", "0"), "argument --jobs/-j: '0': give a whole number of documents at once, 1 or more"),
    (("validate", "--format", "html"),
     "validate writes nothing, so it takes no --format: that option is for 'policyc build'"),
    (("validate", "--today", "30/09/2026"),
     "argument --today: '30/09/2026' is not a date written YYYY-MM-DD (write dates as YYYY-MM-DD: 2026-09-30)"),
    (("status", "--policy", "social"), "there is no policy 'social'"),
    (("status", "--no-cache"), "status only reads the sources, so it takes no --no-cache"),
    (("status", "--fail-on", "overdoo"), "choose from overdue, due-soon, changed, never-ratified, joined by commas "
                                         "(did you mean 'overdue'?)"),
    ((*RATIFY, "--by", "Ann Chair"), "--by 'Ann Chair': write the name and the role, such as --by"),
    (("ratify", "--policy", "social-media", "--school", "oak-primary", "--date", "2026-11-20", "--by", "A, Chair",
      "--school", "elm"), "there is no school 'elm'"),
    (("versions", "--school", "oak-primary", "--policy", "social-medai"), "did you mean 'social-media'?"),
    (("diff", "--school", "oak-primary", "--policy", "social-media", "--from", "0.9"),
     "there is no version '0.9' of this policy; the versions are: draft, model"),
    (("preview", "--to", "schools/png"), "the preview folder schools/png is inside the source folder"),
    (("serve", "--output", "."), "the output folder . is the source folder"),
    (("init", "."), "already exists and is not empty"),
    (("import", "nowhere.docx"), "nowhere.docx: no such file"),
    (("biuld",), "there is no command 'biuld'; did you mean 'policyc build'?"),
])
def test_a_command_line_mistake_exits_2_and_changes_nothing(mini, capsys, args, message):
    before = {p: p.read_bytes() for p in mini.rglob("*") if p.is_file()}
    try:
        code = main(list(args))
    except SystemExit as stop:  # argparse's own refusals
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in mini.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("args", [("build", "--format", "html"), ("validate",), ("status",),
                                  (*RATIFY, "--by", "Ann Chair, Chair of Governors"),
                                  ("versions", "--school", "oak-primary", "--policy", "social-media"),
                                  ("diff", "--school", "oak-primary", "--policy", "social-media", "--from", "model")])
def test_a_problem_in_the_sources_exits_1_for_every_command_that_reads_them(mini, run, tmp_path, args):
    edit(mini, POLICY, *BROKEN)
    result = run(*args, "--output", tmp_path / "out")
    assert result.code == 1, result
    assert f"{POLICY}:15:" in result.err and "unknown placeholder {{ school.nmae }}" in result.err
    assert not (tmp_path / "out").exists() and not (mini / "snapshots").exists()


def test_a_document_that_cannot_be_read_exits_1(mini, run, tmp_path):
    (tmp_path / "old.docx").write_bytes(b"not a Word file")
    result = run("import", tmp_path / "old.docx", "--source", tmp_path / "new")
    assert (result.code, result.out) == (1, "")
    assert "not a Word document that can be read" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("args, where", [
    (("validate",), "policyc.pipeline.check_all"), (("status",), "policyc.pipeline.check_all"),
    (("init", "new"), "policyc.cli.init.init_project"), (("import", "x.txt"), "policyc.cli.importing.import_document"),
])
def test_a_bug_exits_3_with_a_report(mini, run, monkeypatch, args, where):
    (mini / "x.txt").write_text("Policy\n\nSome text.\n")
    def broken(*_, **__):
        raise RuntimeError("a bug")
    monkeypatch.setattr(where, broken)
    result = run(*args)
    assert result.code == 3
    assert result.err.startswith("policyc: internal error (a bug in policyc ")
    assert "Please report it with the command you ran and this:" in result.err and "RuntimeError: a bug" in result.err


def test_help_names_policyc_and_the_exit_codes(capsys):
    for command in ((), ("build",), ("ratify",), ("import",)):
        code, out, _ = usage(capsys, *command, "--help")
        assert code == 0 and "python build.py" not in out and "build.py" not in out
        assert "exit codes:\n  0  success\n  1  a problem in the source files" in out
        assert "  2  a mistake on the command line" in out and "  3  a bug in policyc" in out
