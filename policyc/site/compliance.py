"""The compliance page: each school against each requirement, in the trust's review area
(output/review/compliance.html), never in a school's public bundle. The dashboard links to it."""

from __future__ import annotations

from policyc.compliance.report import STATES, Finding, findings, tally
from policyc.compliance.requirements import statutory
from policyc.text.dates import format_date
from policyc.names import inside
from policyc.outputs.layout import assets_for
from policyc.outputs.plan import Output
from policyc.render.html import render_page
from policyc.render.writers import Context, write

_TAGS = {"missing": "overdue", "not-in-force": "draft", "overdue": "overdue", "approval": "overdue",
         "unpublished": "overdue", "late-review": "changed", "level-unknown": "changed",
         "met": "ratified", "elsewhere": "ratified", "not-checked": "superseded"}


def _row(f: Finding, in_force: set) -> dict:
    school = f.school.slug
    href = ""
    if f.policy_id:  # from review/: a school's public page, or its proposed text beside this page
        href = f"../{school}/{f.policy_id}.html" if (school, f.policy_id) in in_force else f"{school}/{f.policy_id}.html"
    elif f.url:
        href = f.url
    met_by = f"{f.policy_title} {f.version}".strip() if f.policy_id else ("Kept outside policyc" if f.url or
                                                                          f.state == "elsewhere" else "")
    approved = ""
    if f.ratified:
        approved = (f.ratified_as_written or format_date(f.ratified)) + (f" by the {f.body}" if f.body else "")
        if f.level:
            approved += f" ({f.level})"
    published = {None: "Not required", True: "Yes", False: "No"}[f.published]
    return {"name": f.requirement.name, "state": STATES[f.state], "tag": _TAGS[f.state], "href": href,
            "met_by": met_by, "approved": approved, "next_review": format_date(f.next_review),
            "published": published, "words": f.words}


def school_summary(rows: list[Finding]) -> str:
    return tally([f for f in rows if f.state != "not-checked"]) or "nothing checked"


def write_compliance(out: Output, ctx: Context) -> None:
    project = ctx.project
    found = findings(project, ctx.histories, ctx.today)
    in_force = {(h.current.school_slug, h.current.policy_id) for h in ctx.histories if h.in_force is not None}
    schools = []
    of_school: dict[str, list[Finding]] = {}
    for f in found:
        of_school.setdefault(f.school.slug, []).append(f)
    for school in project.schools:
        rows = of_school.get(school.slug, [])
        kind = ", ".join(x.replace("-", " ") for x in (school.type, school.phase) if x).capitalize()
        schools.append({"slug": school.slug, "name": school.label, "kind": kind or "Type not given",
                        "typed": bool(school.type), "summary": school_summary(rows),
                        "rows": [_row(f, in_force) for f in rows if f.state != "not-checked"],
                        "not_checked": [f.requirement.name for f in rows if f.state == "not-checked"]})
    html = render_page("compliance.html.j2", schools=schools, trust_name=project.display_name,
                       today=format_date(ctx.today), checked=format_date(statutory().checked), assets=assets_for(out.path))
    write(inside(ctx.root, out.path), html.encode("utf-8"))


COMPLIANCE_WRITERS = {"compliance": write_compliance}
