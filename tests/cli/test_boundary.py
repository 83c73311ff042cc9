"""policyc/cli/__init__.py's main is the one error boundary: faults injected into each command's
work end there with the exit code EXIT_CODES promises, and nothing escapes main as a traceback."""

from __future__ import annotations

import pytest

from policyc import cli
from policyc.errors import InvalidSource, Position, Problem, UsageError, UserError

BUG_REPORT = "policyc: internal error (a bug in policyc "

# (the command line, with {src} and {tmp} filled in; the function its work goes through)
COMMANDS = [
    (("validate", "--source", "{src}"), "policyc.pipeline.check_all"),
    (("status", "--source", "{src}"), "policyc.pipeline.check_all"),
    (("build", "--source", "{src}", "--output", "{tmp}/out", "-q"), "policyc.cli.build.build"),
    (("init", "{tmp}/new"), "policyc.cli.init.init_project"),
    (("import", "{tmp}/x.txt", "--source", "{src}"), "policyc.cli.importing.import_document"),
    (("new", "policy", "anti-bullying", "--source", "{src}"), "policyc.scaffold.new_policy"),
]


def _args(args, mini, tmp_path) -> list[str]:
    return [a.format(src=mini, tmp=tmp_path) for a in args]


def _raising(exc: BaseException):
    def broken(*_, **__):
        raise exc
    return broken


@pytest.fixture
def doc(tmp_path):
    (tmp_path / "x.txt").write_text("Policy\n\nSome text.\n")


@pytest.mark.parametrize("args, where", COMMANDS)
def test_a_bug_in_any_command_exits_3_with_the_report_and_no_traceback_escapes(
        mini, doc, tmp_path, capsys, monkeypatch, args, where):
    monkeypatch.setattr(where, _raising(RuntimeError("an injected bug")))
    code = cli.main(_args(args, mini, tmp_path))  # main returns: it does not raise
    err = capsys.readouterr().err
    assert code == 3
    assert err.startswith(BUG_REPORT) and "Please report it with the command you ran and this:" in err
    assert "RuntimeError: an injected bug" in err and "policyc: error:" not in err


@pytest.mark.parametrize("args, where", COMMANDS)
def test_a_user_error_in_any_command_exits_1_said_once_and_plainly(
        mini, doc, tmp_path, capsys, monkeypatch, args, where):
    monkeypatch.setattr(where, _raising(UserError("the file cannot be read")))
    code = cli.main(_args(args, mini, tmp_path))
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("policyc: error: the file cannot be read")
    assert err.count("policyc: error:") == 1 and "Traceback" not in err and BUG_REPORT not in err


@pytest.mark.parametrize("args, where", COMMANDS)
def test_a_usage_error_in_any_command_exits_2(mini, doc, tmp_path, capsys, monkeypatch, args, where):
    monkeypatch.setattr(where, _raising(UsageError("no such school")))
    code = cli.main(_args(args, mini, tmp_path))
    err = capsys.readouterr().err
    assert (code, err) == (2, "policyc: error: no such school\n")


@pytest.mark.parametrize("args, where", COMMANDS)
def test_problems_in_the_sources_exit_1_each_one_located(mini, doc, tmp_path, capsys, monkeypatch, args, where):
    problems = [Problem(Position("src/policies/a.yaml", 3, 7), "unknown key 'titel'", "did you mean 'title'?"),
                Problem(Position("src/schools/b.yaml", 12, 1), "the school has no name")]
    warning = Problem(Position("src/trust.yaml", 2, 5), "a review period of 5 years", warning=True)
    monkeypatch.setattr(where, _raising(InvalidSource(problems, [warning])))
    code = cli.main(_args(args, mini, tmp_path))
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("src/policies/a.yaml:3:7: unknown key 'titel'\n    hint: did you mean 'title'?\n"
                          "src/schools/b.yaml:12:1: the school has no name\n"
                          "src/trust.yaml:2:5: warning: a review period of 5 years\n")
    assert err.endswith("\n2 error(s), 1 warning(s). Nothing was written.\n")
    assert "policyc: error:" not in err and "Traceback" not in err


@pytest.mark.parametrize("args, where", COMMANDS[:4])
def test_an_interrupt_exits_130_and_says_the_output_is_as_it_was(
        mini, doc, tmp_path, capsys, monkeypatch, args, where):
    monkeypatch.setattr(where, _raising(KeyboardInterrupt()))
    code = cli.main(_args(args, mini, tmp_path))
    assert (code, capsys.readouterr().err) == (130, "Interrupted; the output folder is as it was.\n")


@pytest.mark.parametrize("argv", [["validate", "--no-such-option"], ["build", "--today", "yesterday"],
                                  ["status", "--fail-on", "late"]])
def test_a_bad_option_exits_2_with_argparse_s_usage_line(capsys, argv):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: policyc ") and "error:" in err and "Traceback" not in err


def test_an_unknown_command_exits_2_and_names_the_closest(capsys):
    assert cli.main(["valdate"]) == 2
    assert capsys.readouterr().err.startswith("policyc: error: there is no command 'valdate'; "
                                              "did you mean 'policyc validate'?")


def test_the_exit_code_is_the_exception_s_own():
    assert (UserError.exit_code, UsageError.exit_code, InvalidSource.exit_code) == (1, 2, 1)
    assert (cli.EXIT_OK, cli.EXIT_INVALID, cli.EXIT_USAGE, cli.EXIT_BUG) == (0, 1, 2, 3)
