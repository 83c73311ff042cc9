"""Each school bundle's accessibility statement: what the pages were checked for, their
known limits, and whom to ask for another format.

Why it is written from data: a statement that claims a test nobody ran, or gives an address
nobody reads, misleads the reader it is for. The checks listed are the ones policyc's own
test suite runs on every kind of page it makes (tests/test_browser.py, tests/render/test_pdf.py);
the contact is the school's `accessibility:` or else the trust's; with neither, the page says
to ask the school, by its website where it has one, and names no address.
"""

from __future__ import annotations

from policyc.text.dates import format_date
from policyc.model import Accessibility, Project, School
from policyc.names import inside
from policyc.outputs import formats, layout
from policyc.outputs.plan import Output
from policyc.render.html import GENERATOR, render_page
from policyc.render.writers import Context, write


def contact_for(project: Project, school: School) -> Accessibility:
    """The school's own contact for another format, else the trust's; empty when neither gives one."""
    return school.accessibility or project.trust.accessibility


def who_to_ask(school: School, contact: Accessibility) -> str:
    """Whom the statement tells a reader to ask, in the sources' words: the contact's name, else
    the school by its name; never a name or an office the sources do not give."""
    if contact.contact:
        return contact.contact
    return school.own_name or "the school"


def write_accessibility(out: Output, ctx: Context) -> None:
    school = next(s for s in ctx.project.schools if s.slug == out.school)
    contact = contact_for(ctx.project, school)
    html = render_page(
        "accessibility.html.j2", school=school, trust_name=ctx.project.trust.name, contact=contact,
        ask=who_to_ask(school, contact), assets=layout.assets_for(out.path), prepared=format_date(ctx.today),
        made_by=GENERATOR, pdf=formats.PRINTED in ctx.formats, word=_word_offered(ctx),
        index=layout.relative(layout.school_file(school.slug, layout.SCHOOL_INDEX), out.path))
    write(inside(ctx.root, out.path), html.encode("utf-8"))


def _word_offered(ctx: Context) -> bool:
    """Whether the public pages link a copy to edit in Word (the trust's publish: word_download)."""
    return ctx.project.trust.word_download and any(
        f.download_when == "word_download" and f.name in ctx.formats for f in formats.FORMATS)


ACCESSIBILITY_WRITERS = {"accessibility": write_accessibility}
