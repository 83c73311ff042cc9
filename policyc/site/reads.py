"""What each page of the site is made from, so serve writes again only the pages a save changed.

Why it is said here, beside the writers, and not found by hashing their output: a site page
costs its rendering, and at a trust's size nearly all of a rebuild is rendering hundreds of
pages that come out as they were. A school's pages (its index, fragment, registers, sitemap,
calendar and accessibility statement) read the trust, that school, that school's policy
histories, the formats, the date and the size of its public PDFs; the trust's own pages
(its index, the dashboard, the compliance page and the trust calendar) read every school,
policy and history. Nothing else: `tests/test_session.py` builds with and without a session
after random edits and compares every byte.

The model's objects are compared by identity: serve's session gives back the very objects of
the last build for everything a save left alone, and a frozen object that is the same one
says the same. Everything else is compared by value. A kind of page not named here is always
written again.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

from policyc.outputs import formats
from policyc.outputs.layout import BUNDLE_FILES, public_path
from policyc.outputs.plan import Output
from policyc.render.writers import Context

SCHOOL_PAGES = frozenset(kind for _, kind in BUNDLE_FILES)
TRUST_PAGES = frozenset({"trust-index", "dashboard", "compliance", "calendar-trust"})


class Reads(NamedTuple):
    objects: tuple  # compared by identity
    values: tuple  # compared by value

    def same_as(self, other: Optional["Reads"]) -> bool:
        return (other is not None and self.values == other.values and len(self.objects) == len(other.objects)
                and all(a is b for a, b in zip(self.objects, other.objects)))


def page_reads(out: Output, ctx: Context) -> Optional[Reads]:
    """What the page `out` is made from in `ctx` (once its documents are written: ctx.sizes),
    or None for a page whose reads are not known here."""
    project = ctx.project
    printed = formats.get(formats.PRINTED).suffix
    common = (out.path, out.format, out.school, tuple(ctx.formats), ctx.today, project.display_name)
    if out.format in SCHOOL_PAGES and out.school:
        school = next((s for s in project.schools if s.slug == out.school), None)
        histories = ctx.histories_of(out.school)
        sizes = tuple(ctx.sizes.get(public_path(h.current, printed)) for h in histories)
        return Reads((project.trust, school, *histories), (*common, sizes))
    if out.format in TRUST_PAGES and not out.school:
        return Reads((project.trust, *project.schools, *project.policies, *ctx.histories),
                     (*common, tuple(sorted(ctx.sizes.items()))))
    return None
