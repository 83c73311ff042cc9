"""Where every output goes, and the relative link from one output to another.

Every path here is relative to the output folder, with forward slashes. The plan asks it
where each document goes; the writers, the site and the diff command ask it how one file
links another (`relative`, as Sphinx's builders ask get_target_uri and relative_uri) and
where a file's stylesheet and fonts are (`assets_for`). Moving an output is a change here.

    index.html, dashboard.html, reviews.ics, assets/        the trust's
    <school>/<policy>.<suffix>                                what is in force, published
    <school>/archive/<policy>-<version>.<suffix>              every ratified version
    <school>/index.html, register.json, accessibility.html, ...  <school>/assets/   the school's bundle (BUNDLE_FILES)
    review/<school>/<policy>.<suffix>                         drafts and proposed versions
    review/<school>/changes/<policy>-<from>-to-<to>.<suffix>  redlines
    review/<school or trust-board>/<policy>-review-pack.<suffix>
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

REVIEW = "review"  # drafts, proposed versions, redlines and review packs: outside every school's folder
BOARD = "trust-board"  # the review area's folder for what the trust board approves once for every school
ASSETS = "assets"  # the stylesheet and fonts, at the output root and in each school's folder
TRUST_INDEX = "index.html"
DASHBOARD = "dashboard.html"
COMPLIANCE = f"{REVIEW}/compliance.html"  # the trust's own check of every school: never in a bundle
TRUST_CALENDAR = "reviews.ics"

ACCESSIBILITY = "accessibility.html"  # each bundle's accessibility statement, linked from every public page
# A school's bundle, beside its policies: (file name, output kind).
BUNDLE_FILES = (("index.html", "school-index"), ("register.json", "register-json"),
                ("register.csv", "register-csv"), ("policies-fragment.html", "fragment"),
                ("sitemap.xml", "sitemap"), ("reviews.ics", "calendar-school"),
                (ACCESSIBILITY, "accessibility"))
SCHOOL_INDEX = BUNDLE_FILES[0][0]


def public_path(policy, suffix: str, policy_id: str = "") -> str:
    """Where `policy` (or, given `policy_id`, that sibling of it at the same school) is published."""
    return f"{policy.school_slug}/{policy_id or policy.policy_id}.{suffix}"


def review_path(policy, suffix: str, policy_id: str = "") -> str:
    """Drafts and proposed versions: outside every school's folder, never linked from public pages."""
    return f"{REVIEW}/{policy.school_slug}/{policy_id or policy.policy_id}.{suffix}"


def archive_path(policy, version: str, suffix: str) -> str:
    return f"{policy.school_slug}/archive/{policy.policy_id}-{version}.{suffix}"


def changes_path(policy, old: str, new: str, suffix: str) -> str:
    """The redline from `old` to `new` (version numbers, "draft", "model"), the build's and the diff command's."""
    return f"{REVIEW}/{policy.school_slug}/changes/{policy.policy_id}-{old}-to-{new}.{suffix}"


def redline_path(history, suffix: str) -> str:
    """The build's redline: from the version last ratified to the draft."""
    return changes_path(history.current, history.changed_since.version, "draft", suffix)


def pack_path(policy, suffix: str) -> str:
    """The review pack a clerk sends before the meeting: the school's, or for a policy the
    trust board approves once for every school, the board's."""
    folder = BOARD if policy.approver == "trust" else policy.school_slug
    return f"{REVIEW}/{folder}/{policy.policy_id}-review-pack.{suffix}"


def school_assets(school: str) -> str:
    return f"{school}/{ASSETS}"


def school_file(school: str, name: str) -> str:
    """One file of a school's bundle (BUNDLE_FILES)."""
    return f"{school}/{name}"


def in_review(path: str) -> bool:
    return path.startswith(f"{REVIEW}/")


def is_archived(path: str) -> bool:
    return "/archive/" in path


@lru_cache(maxsize=1 << 16)
def relative(target: str, source: str) -> str:
    """The link from the file at `source` to the file at `target` (kept: a trust's pages ask
    for the same few thousand links on every build, and relpath asks the system where it is)."""
    return posixpath.relpath(target, posixpath.dirname(source))


def assets_for(path: str) -> str:
    """The relative way from a file to its assets: each school folder carries its own copy,
    so a school's bundle works uploaded on its own."""
    if "/" not in path:
        return f"{ASSETS}/"
    parts = path.split("/")
    if parts[:2] == [REVIEW, BOARD] or path == COMPLIANCE:  # the trust's own pages: the trust's own assets
        return relative(ASSETS, path) + "/"
    school = parts[1] if parts[0] == REVIEW else parts[0]  # the review area borrows the school's assets
    return relative(school_assets(school), path) + "/"


def as_of_path(school: str, name: str) -> str:
    """`policyc as-of`'s PDFs: the trust's own record of what was in force, in the review area."""
    return f"{REVIEW}/{school}/as-of/{name}"
