"""A format is one row of the formats table and the module holding its writer.

A toy plain-text format is added here the way a new one would be: one row registered and
one writer function, nothing else changed, and it builds end to end from the command line
(the choice of --format, the plan, the keys and cache, the executor, the policy page's
download link, the output's manifest).
"""

from __future__ import annotations

import json

import pytest

from policyc import pipeline
from policyc.cli import main, parser
from policyc.names import inside
from policyc.outputs import formats
from policyc.outputs.plan import Output
from policyc.render.writers import Context, write

TODAY = "2026-11-22"


def write_txt(out: Output, ctx: Context) -> None:
    """The toy format's one writer: the policy's title, school and section headings as plain text."""
    policy = out.policy
    lines = [policy.title, policy.school_name, ""] + [part.title for part in policy.parts]
    write(inside(ctx.root, out.path), ("\n".join(lines) + "\n").encode("utf-8"))


TXT = formats.Format(name="txt", suffix="txt", description="plain text", policy=f"{__name__}:write_txt",
                     download="Download this policy as plain text (TXT)")


@pytest.fixture
def txt():
    formats.register(TXT)
    yield TXT
    formats.unregister("txt")
    pipeline.WRITERS.pop("txt", None)


def test_a_toy_format_builds_end_to_end_from_one_row_and_one_writer(txt, mini, run, tmp_path):
    out = tmp_path / "out"
    build_help = " ".join(parser()._subparsers._group_actions[0].choices["build"].format_help().split())
    assert "html|pdf|docx|txt|all" in build_help and "txt (plain text)" in build_help

    result = run("--source", mini, "--output", out, "--format", "html,txt", "--today", TODAY, "-q")
    assert result.code == 0, result.err
    texts = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt") if "assets" not in p.parts)
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if "assets" not in p.parts
                   and p.name not in ("index.html", "dashboard.html", "policies-fragment.html", "compliance.html",
                                     "accessibility.html"))
    policy_pages = [p for p in pages if "/changes/" not in p and "review-pack" not in p]
    assert policy_pages and texts == sorted(p[:-len("html")] + "txt" for p in policy_pages)
    first = (out / texts[0]).read_text(encoding="utf-8").splitlines()
    assert first[1] == "Oak Primary School" and first[2] == ""  # the school's own copy, its headings below
    page = (out / policy_pages[0]).read_text(encoding="utf-8")
    stem = policy_pages[0].rsplit("/", 1)[-1][:-len(".html")]
    assert f'<a href="{stem}.txt">Download this policy as plain text (TXT)</a>' in page
    assert "(PDF)" not in page  # only the formats built are linked
    manifest = json.loads((out / ".policyc-manifest.json").read_text(encoding="utf-8"))
    assert set(texts) <= set(manifest["files"])  # a later build of other formats keeps them, as it keeps PDFs

    again = run("--source", mini, "--output", out, "--format", "html,txt", "--today", TODAY)
    assert again.code == 0 and "(0 rendered, 2 reused)" in again.out  # keyed like every other format


def test_an_unknown_format_is_refused_and_a_registered_one_is_not(txt, mini, run, tmp_path, capsys):
    formats.unregister("txt")
    with pytest.raises(SystemExit) as refused:
        main(["--source", str(mini), "--output", str(tmp_path / "o"), "--format", "txt"])
    assert refused.value.code == 2
    assert "'txt': choose html, pdf, docx or all (HTML and PDF)" in capsys.readouterr().err
    formats.register(TXT)
    assert run("--source", mini, "--output", tmp_path / "o", "--format", "txt", "-q").code == 0


def test_the_table_says_what_the_engine_asks():
    assert formats.default() == ("html", "pdf")
    assert [formats.of_output(kind)[1] for kind in ("pdf", "redline-pdf", "pack-pdf")] == ["policy", "redline", "pack"]
    assert formats.of_output("school-index") is None and formats.of_output("pack-docx") is None
    assert [kind for kind in ("html", "pdf", "docx", "redline-html", "redline-docx", "pack-html", "pack-pdf")
            if formats.dated(kind)] == ["docx", "redline-docx", "pack-html", "pack-pdf"]
    with pytest.raises(ValueError):
        formats.register(formats.get("pdf"))
