"""What the test modules share: the inline source trees, the example and seed paths, and small
steps (ratify, edit, diff) that several test modules take. Test modules import from here
(or from the other helper modules: pdftext, fuzzing, faults, hostile, render/pdf_structure,
importers/word, import_corpus/corpus), never from one another; tests/test_mirror.py checks.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import textwrap
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from policyc.compile.number import number_policy
from policyc.history.compare import compare
from policyc.pipeline import check_all

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "policy_src"
SEEDS = Path(__file__).resolve().parent / "seeds"
# The published texts the seeds were encoded from (copied from ../shared/seeds; see its README).
SEED_TEXTS = SEEDS / "texts"
TODAY = "2026-11-22"

# --- a small but complete source tree ---------------------------------------------------

TRUST = """\
name: Test Trust
approving_body: Local Governing Body
roles: {headteacher: Headteacher, dsl: Designated Safeguarding Lead, chair: Chair of Governors}
terms: {staff: staff, pupils: pupils}
"""

POLICY = """\
id: social-media
title: Staff Social Media Policy
numbering: "1.1 (a)"
options:
  personal_use:
    label: Personal use at work
    default: occasional
    choices: {forbidden: Not allowed, occasional: Occasionally}
sections:
  - id: about
    kind: scope
    title: About this policy
    clauses:
      - id: purpose
        text: This policy protects {{ school.name }} and its {{ term.pupils }}. See paragraph [[personal-use]].
      - id: personal-use
        option: personal_use
        choices:
          forbidden: {text: "Personal use of social media at work is not allowed."}
          occasional: {text: "Occasional personal use is allowed in breaks."}
      - id: breaches
        text: "You must not use social media to:"
        items: [breach our ICT policies;, breach our Staff Code of Conduct.]
      - id: eyfs
        phases: [nursery, primary]
        text: Photographs in learning journals are taken on school devices only.
  - id: principles
    kind: principles
    title: Key principles
    clauses:
      - id: golden
        title: The golden principles
        duties:
          must: {lead: "An individual is under a duty to:", items: [Maintain proper professional boundaries]}
          must_not: {lead: "An individual is under a duty not to:", items: [Bring the school into disrepute]}
  - id: reporting
    kind: incidents
    title: Reporting concerns
    clauses:
      - id: tell-dsl
        text: Tell the {{ role.dsl }} at once.
        clauses:
          - id: tell-dsl-how
            text: In person or by email.
  - id: changes
    kind: changes
    title: Appendix 1 – Table of changes
    numbered: false
history:
  - {date: 2020-09-16, paragraphs: All, summary: Social networking renamed social media.}
"""

SCHOOL = """\
name: Oak Primary School
phase: primary
roles: {dsl: {name: Jo Bloggs}}
policies:
  social-media:
    options: {personal_use: forbidden}
    ratification:
      status: ratified
      date: 2026-10-01
      version: 1.10
      signatories: [{name: Ann Chair, role: Chair of Governors}]
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


# --- the seeds ------------------------------------------------------------------------------

# seed folder in tests/seeds -> (its published text in tests/seeds/texts, its school's id)
CASES = {
    "king-edward-vi": ("000_06971c8d61d3f0d9.txt", "king-edward-vi"),
    "flourish": ("002_7374cb9537a07251.txt", "flourish-federation"),
    "link-school": ("003_81cd4161ce177b1a.txt", "the-link-school"),
}
SEED_NUMBER = re.compile(r"^[\s\-–•*]*(\d+(?:\.\d+)*)\.?\s+\S")


def seed_numbers(text: str) -> set[str]:
    """The paragraph numbers at the start of a seed text's lines."""
    return {m.group(1) for line in text.splitlines() if (m := SEED_NUMBER.match(line))}


# --- ratifying and editing the mini tree ------------------------------------------------------

RATIFY = ("ratify", "--school", "oak-primary", "--policy", "social-media", "--today", TODAY)


def ratify(run, src: Path, date: str, summary: str, *extra: str):
    return run(*RATIFY, "--source", src, "--date", date, "--by", "Ann Chair, Chair of Governors",
               "--summary", summary, *extra)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def history(src: Path):
    [h] = check_all(src).histories
    return h


def diff(run, mini: Path, out: Path, old: str, new: str, fmt: str) -> Path:
    """`policyc diff` for the mini tree's one policy; the path it wrote."""
    result = run("diff", "--source", mini, "--output", out, "--school", "oak-primary", "--policy", "social-media",
                 "--from", old, "--to", new, "--format", fmt, "--today", TODAY)
    assert result.code == 0, result.err
    [line] = result.out.splitlines()
    return Path(line.removeprefix("Wrote "))


# The mini tree's school plus two more: one never ratified, one ratified and published elsewhere.
SCHOOLS = {
    # ratified 2026-10-01, annual: next review 2027-10-01
    "schools/oak-primary.yaml": None,
    "schools/elm-secondary.yaml": "name: Elm Secondary\nphase: secondary\n",  # never ratified
    "schools/ash-special.yaml": """\
name: Ash Special School
phase: special
publish_url: https://www.ash.example.sch.uk/policies/
policies:
  social-media:
    ratification:
      status: ratified
      date: 2025-12-15
      version: "4"
      signatories: [{name: A, role: Chair of Governors}]
""",
}


# One decision for several schools (ratify --school repeated, --all-schools, a trust-approved policy).
TRUSTEES = ("--by", "Ann Chair, Chair of Trustees", "--summary", "Two-yearly review")


def add_schools(mini: Path) -> list[str]:
    """The mini tree with SCHOOLS' two more schools; the three slugs, in order."""
    write_tree(mini, {k: v for k, v in SCHOOLS.items() if v})
    return ["ash-special", "elm-secondary", "oak-primary"]


def make_trust_approved(mini: Path) -> None:
    path = mini / "policies" / "social-media.yaml"
    path.write_text(path.read_text().replace("numbering:", "approver: trust\nnumbering:"))


def snapshot_names(mini: Path) -> list[str]:
    """Every snapshot under snapshots/, as school/policy/version.yaml."""
    return sorted(str(p.relative_to(mini / "snapshots")) for p in (mini / "snapshots").rglob("*.yaml")) \
        if (mini / "snapshots").exists() else []


def ratify_schools(run, mini: Path, *args):
    """`policyc ratify` of the mini tree's policy, the schools and the decision given in `args`."""
    return run("ratify", "--source", mini, "--policy", "social-media", "--today", "2026-11-22", *args)


def digest_tree(folder: Path) -> dict[str, str]:
    """Every file under a folder, by relative path, with its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def earlier_output(folder: Path) -> Path:
    """An output folder from an earlier build, which a failed run must leave exactly as it was."""
    return write_tree(folder, {
        ".policyc-output": "made by policyc\n",
        "index.html": "<p>earlier build</p>\n",
        "oak-primary/social-media.html": "<p>version 1.9</p>\n",
    })


def output_snapshot(output: Path) -> dict:
    """Every file and folder beside and inside `output`, with its bytes: staging folders show too."""
    root = output.parent
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(root.rglob("*"))}


# --- the example build's PDFs, one of each kind ----------------------------------------------

PDF_KINDS = {
    "policy": "hollin-bank-primary/social-media.pdf",
    "in force, changed since": "calderbeck-academy/social-media.pdf",
    "draft": "review/calderbeck-academy/social-media.pdf",
    "never ratified": "review/ashcombe-nursery/social-media.pdf",
    "archive": "hollin-bank-primary/archive/social-media-3.1.pdf",
    "redline": "review/calderbeck-academy/changes/social-media-1.10-to-draft.pdf",
    "review pack": "review/calderbeck-academy/social-media-review-pack.pdf",
    "board's review pack": "review/trust-board/online-safety-review-pack.pdf",
    "first version's review pack": "review/ashcombe-nursery/photography-review-pack.pdf",
}


# --- one policy changed in memory: the change model's tests and the Word redline's ----------

CONDUCT = """\
id: conduct
title: Staff Conduct Online
numbering: "1.1 (a)"
sections:
  - id: about
    kind: scope
    title: About this policy
    clauses:
      - id: a1
        text: This policy covers every form of social media.
      - id: a2
        text: Staff must report concerns to the lead at once.
      - id: a3
        text: "School devices:"
        clauses:
          - id: a3-x
            text: are lent for work only.
  - id: rules
    kind: principles
    title: Rules
    clauses:
      - id: r1
        text: Keep clear boundaries with pupils.
      - id: r2
        text: Do not share passwords.
  - id: contact
    kind: incidents
    title: Contact
    clauses:
      - id: c1
        text: Tell the office.
"""

CONDUCT_SCHOOL = "name: Oak Primary School\nphase: primary\n"


def conduct_policy(folder: Path):
    """The conduct policy resolved for Oak Primary, from a source tree written in `folder`:
    what a test module's `base` fixture edits in memory."""
    root = write_tree(folder, {
        "trust.yaml": TRUST, "policies/conduct.yaml": CONDUCT, "schools/oak-primary.yaml": CONDUCT_SCHOOL})
    [policy] = check_all(root).policies
    return policy


def rebuilt(policy, tree):
    """The policy with its sections' blocks replaced by `tree` (see policy_tree), renumbered."""
    return number_policy(replace(policy, parts=tuple(replace(p, blocks=tuple(b)) for p, b in tree)))


def policy_tree(policy):
    """Each section with a list of its blocks, to edit in place and give to rebuilt."""
    return [(p, list(p.blocks)) for p in policy.parts]


def find_block(tree, block_id):
    """(the list holding the block, its index there)."""
    for part, blocks in tree:
        for i, block in enumerate(blocks):
            if block.id == block_id:
                return blocks, i
    raise KeyError(block_id)


def reword(block_id, text):
    """An edit (policy -> policy) giving a clause new words."""
    def edit(policy):
        tree = policy_tree(policy)
        blocks, i = find_block(tree, block_id)
        blocks[i] = replace(blocks[i], body=replace(blocks[i].body, text=text))
        return rebuilt(policy, tree)
    return edit


def remove(block_id):
    """An edit (policy -> policy) taking a clause out."""
    def edit(policy):
        tree = policy_tree(policy)
        blocks, i = find_block(tree, block_id)
        blocks.pop(i)
        return rebuilt(policy, tree)
    return edit


# A clause's old words, its new words, and the runs the comparison should mark (one list per piece).
WORDS = {
    "a one-word edit is that word": (
        "It covers every form of social media.", "It covers any form of social media.",
        [[("same", "It covers"), ("deleted", " every"), ("inserted", " any"), ("same", " form of social media.")]]),
    "a phrase added is only that phrase": (
        "Tell the lead.", "Tell the lead at once.",
        [[("same", "Tell the lead"), ("inserted", " at once"), ("same", ".")]]),
    "a one-word island between two changes joins them": (
        "Staff must report concerns to the lead at once.", "Staff should report worries to the lead at once.",
        [[("same", "Staff"), ("deleted", " must report concerns"), ("inserted", " should report worries"),
          ("same", " to the lead at once.")]]),
    "a paragraph rewritten in other words is shown whole, old then new": (
        "Working in a school requires all of us to keep proper professional boundaries at all times.",
        "Everyone employed here holds a position of trust, in person and online alike.",
        [[("deleted", "Working in a school requires all of us to keep proper professional boundaries at all times.")],
         [("inserted", "Everyone employed here holds a position of trust, in person and online alike.")]]),
}

# A clause that is a lead-in paragraph and a Markdown table.
TABLE = """We ask about each use separately:

| Use | Who sees it |
|---|---|
| Displays in school | People in the school |
| The school website | Anyone |"""


# --- Word's tracked changes -------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def decide(document: bytes, accept: bool) -> bytes:
    """Accept or reject every tracked change, as Word's Review pane would, on the XML itself."""
    root = etree.fromstring(document)
    keep, drop = (("ins", "moveTo"), ("del", "moveFrom")) if accept else (("del", "moveFrom"), ("ins", "moveTo"))
    for element in list(root.iter(*(f"{{{W}}}{t}RangeStart" for t in ("moveFrom", "moveTo")),
                                  *(f"{{{W}}}{t}RangeEnd" for t in ("moveFrom", "moveTo")))):
        element.getparent().remove(element)
    paragraphs = list(root.iter(f"{{{W}}}p"))
    for p in reversed(paragraphs):
        mark = p.find("w:pPr/w:rPr", NS)
        gone = mark is not None and any(mark.find(f"w:{t}", NS) is not None for t in drop)
        for run_change in [c for c in p if etree.QName(c).localname in drop]:
            p.remove(run_change)
        for run_change in [c for c in p if etree.QName(c).localname in keep]:
            index = p.index(run_change)
            for child in reversed(list(run_change)):
                p.insert(index, child)
            p.remove(run_change)
        for text in p.iter(f"{{{W}}}delText"):
            text.tag = f"{{{W}}}t"
        if mark is not None:
            for t in keep:
                for m in mark.findall(f"w:{t}", NS):
                    mark.remove(m)
        if gone:  # the paragraph mark goes: what is left joins the next paragraph
            following = p.getnext()
            content = [c for c in p if etree.QName(c).localname != "pPr"]
            if following is not None and etree.QName(following).localname == "p":
                at = 1 if following.find("w:pPr", NS) is not None else 0
                for child in reversed(content):
                    following.insert(at, child)
            p.getparent().remove(p)
    assert not root.findall(".//w:ins", NS) and not root.findall(".//w:del", NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def word_redline(old, new) -> bytes:
    """word/document.xml of the Word redline from one resolved policy to another."""
    import datetime as dt
    import zipfile
    from io import BytesIO

    from policyc.render.word.redline import render_redline_docx
    data = render_redline_docx(compare(old, new), new, "version 1.0", "the current text", True, dt.date(2026, 11, 22))
    return zipfile.ZipFile(BytesIO(data)).read("word/document.xml")


def word_paragraphs(document: bytes) -> list[str]:
    """Each w:p's words, deleted ones included (after decide, there are none)."""
    root = etree.fromstring(document)
    return ["".join(t.text or "" for t in p.iter(f"{{{W}}}t", f"{{{W}}}delText")) for p in root.iter(f"{{{W}}}p")]


def copy_tree(src: Path, dst: Path) -> Path:
    """A copy of a source folder to edit in a test (the example trust, say)."""
    shutil.copytree(src, dst)
    return dst


@contextmanager
def mounted(target: Path, *options: str):
    """A real file system for the test: a small tmpfs, or a read-only bind mount. Needs root, as
    the CI machine has; elsewhere the test is skipped, never passed."""
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", *options, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount for the file system tests: {done.stderr.strip()}")
        pytest.skip(f"mount refused here: {done.stderr.strip()}")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)
