"""The document model: frozen dataclasses every stage passes along."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from policyc.errors import Position


@dataclass(frozen=True)
class Duties:
    must_lead: str = ""
    must: tuple[str, ...] = ()
    must_not_lead: str = ""
    must_not: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListItem:
    """A list item with a list of its own beneath it (a role, then its duties)."""

    text: str
    items: tuple["ListItem | str", ...] = ()
    list_style: str = ""  # "bullet", "letter", "roman" or "" for the usual one at its depth


def item_texts(items) -> list[str]:
    """Every text in a list, nested lists included, in reading order."""
    out: list[str] = []
    for item in items:
        if isinstance(item, ListItem):
            out.append(item.text)
            out += item_texts(item.items)
        else:
            out.append(item)
    return out


@dataclass(frozen=True)
class ClauseBody:
    """The words of a clause; an option's choice is one of these."""

    title: str = ""
    text: str = ""
    items: tuple["ListItem | str", ...] = ()  # a plain string, or an item with its own list
    list_style: str = ""  # "bullet", "letter", "roman" or "" for the policy's default
    after: str = ""
    duties: Optional[Duties] = None
    clauses: tuple["Clause", ...] = ()


@dataclass(frozen=True)
class BodyPart:
    """One typed piece of a clause body, in reading order (see body_parts)."""

    kind: str  # "title" (plain words), "text" and "after" (Markdown), "lead" (inline), "items" (a list)
    text: str = ""
    items: tuple["ListItem | str", ...] = ()
    list_style: str = ""  # for "items": "bullet", "letter", "roman" or "" for the usual one


def body_parts(body: ClauseBody, list_style: str = "") -> list[BodyPart]:
    """The pieces of a clause body as they read: title, text, items, each duty list with its
    lead, after-text. The one walk over a body: a new field of a clause is added here, and
    every reader of the words (the comparison, the redline, the names check) follows it."""
    parts = [BodyPart("title", body.title), BodyPart("text", body.text),
             BodyPart("items", items=body.items, list_style=list_style or body.list_style)]
    if body.duties:
        for lead, items in ((body.duties.must_lead, body.duties.must), (body.duties.must_not_lead, body.duties.must_not)):
            parts += [BodyPart("lead", lead), BodyPart("items", items=items, list_style="bullet")]
    parts.append(BodyPart("after", body.after))
    return [p for p in parts if p.text or p.items]


@dataclass(frozen=True)
class Clause:
    id: str
    body: ClauseBody
    position: Position
    numbered: Optional[bool] = None
    phases: tuple[str, ...] = ()
    option: str = ""
    choices: tuple[tuple[str, Optional[ClauseBody]], ...] = ()
    origin: str = "model"  # "model", "added" or "replaced"
    change: tuple[str, ...] = ()  # (reason, proposed by) for the edit awaiting ratification
    change_at: Optional[Position] = None  # where the reason is written


@dataclass(frozen=True)
class Section:
    id: str
    kind: str
    title: str
    clauses: tuple[Clause, ...]
    position: Position
    numbered: bool = True
    number_clauses: bool = True
    phases: tuple[str, ...] = ()
    origin: str = "model"
    contents_title: str = ""
    change: tuple[str, ...] = ()  # (reason, proposed by)
    change_at: Optional[Position] = None  # where the reason is written


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    default: str
    choices: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ChangeEntry:
    date: Optional[dt.date]  # None for changes not yet ratified
    summary: str
    paragraphs: str = ""
    version: str = ""
    owner: str = ""


@dataclass(frozen=True)
class ChangeColumn:
    field: str
    heading: str
    format: str = "numeric"  # how a date column writes its dates


@dataclass(frozen=True)
class BlockRow:
    """One row of the ratification block: a label and the fact it shows."""

    label: str
    value: str
    format: str = "long"
    roles: tuple[str, ...] = ()  # for a signatory row: who signs, shown blank until they have
    after: str = ""  # text after the value, as in "Signed ____ Headteacher"


@dataclass(frozen=True)
class BlockLayout:
    """Where the ratification block goes and how it is headed (house style, or one policy's)."""

    position: str = "start"  # start, end or both
    heading: str = "Ratification"  # "" for no heading
    status_line: bool = True  # the "Status: ... · Version" line under the title
    rows: tuple[BlockRow, ...] = ()  # a policy's own rows; () keeps the trust's


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str


@dataclass(frozen=True)
class Ratification:
    status: str = "draft"  # draft, approved, ratified, adopted (in force; the record gives what the document gives)
    body: str = ""
    date: Optional[dt.date] = None
    minute: str = ""
    signatories: tuple[Signatory, ...] = ()
    version: str = ""
    issued: str = ""
    review_cycle: str = ""
    next_review: Optional[dt.date] = None
    updated: Optional[dt.date] = None
    written: tuple[tuple[str, str], ...] = ()  # field -> a date as written to the month or year ("Sept 2023")
    meeting: Optional[dt.date] = None  # when the approving body is to consider the text awaiting ratification

    def shown(self, name: str) -> str:
        """A date written to the month or year, as written; "" when it was a full date."""
        return dict(self.written).get(name, "")


@dataclass(frozen=True)
class Contents:
    show: bool = True
    title: str = "Contents"
    note: str = ""


@dataclass(frozen=True, kw_only=True)  # by name: a field added in the middle cannot land in another's place
class ModelPolicy:
    id: str
    title: str
    sections: tuple[Section, ...]
    source: str
    subtitle: str = ""
    numbering: str = "1.1"
    review_cycle: str = ""  # as written; "" when the policy does not say (annually, unless adopted as it stands)
    contents: Contents = Contents()
    preamble: str = ""
    options: tuple[Option, ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    history: tuple[ChangeEntry, ...] = ()
    positions: tuple[tuple[str, Position], ...] = ()  # where top-level texts were written
    approver: str = "school"  # "school": each school's own body; "trust": the trust board, once for all
    layout: tuple[tuple[str, object], ...] = ()  # what this policy's ratification_layout changes in the trust's
    opening: str = ""  # untitled text before the first section
    phases: tuple[str, ...] = ()  # applies_to: the phases of school this policy is for; () for all
    schools: tuple[str, ...] = ()  # applies_to: the schools (slugs) it is for, whatever their phase; () for all
    approving_body: str = ""  # a named body for this policy, overriding the usual one
    reasons: tuple[tuple[str, str, str], ...] = ()  # (clause or section id, reason, proposed by): `reasons:`
    meeting: Optional[dt.date] = None  # when the approving body (the trust board) is to consider a change
    meets: tuple[str, ...] = ()  # the requirements (statutory or the trust's own) this policy satisfies
    owner: str = ""  # the role that owns it (a key of the trust's roles); "" for the trust's house style

    def at(self, key: str) -> Position:
        return dict(self.positions).get(key, Position(self.source))


@dataclass(frozen=True)
class Addition:
    position: Position
    after: str = ""
    before: str = ""
    into: str = ""
    clause: Optional[Clause] = None
    section: Optional[Section] = None


@dataclass(frozen=True)
class Overlay:
    """How one school tailors one model policy."""

    policy_id: str
    position: Position
    title: str = ""
    options: tuple[tuple[str, str, Position], ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    remove: tuple[tuple[str, Position], ...] = ()
    replace: tuple[Clause | Section, ...] = ()
    add: tuple[Addition, ...] = ()
    ratification: Ratification = Ratification()
    ratification_position: Optional[Position] = None
    history: tuple[ChangeEntry, ...] = ()
    applies: Optional[bool] = None  # the school's own choice: True opts in, False opts out
    reason: str = ""  # why it opts in or out
    reasons: tuple[tuple[str, str, str], ...] = ()  # why clauses changed: (id, reason, proposed by)
    reasons_at: tuple[tuple[str, Position], ...] = ()  # where each of them is written


@dataclass(frozen=True, kw_only=True)
class Elsewhere:
    """A requirement a school meets with a document policyc does not hold, and where it is."""

    requirement: str
    url: str = ""  # where it is published
    note: str = ""
    position: Position


@dataclass(frozen=True, kw_only=True)
class Requirement:
    """One thing a school must have: a statutory policy or document, or one the trust asks for."""

    id: str
    name: str
    types: tuple[str, ...] = ()  # maintained, academy, free-school; () for every kind of school
    phases: tuple[str, ...] = ()  # () for every phase
    boarding: bool = False  # only for boarding schools
    sixth_form: bool = False  # only where there is a sixth form
    review: str = ""  # a review cycle (annually, every 4 years ...), "live", or "" when none is set
    approval: str = ""  # the lowest level that may approve it: board, committee, governor, headteacher
    publish: tuple[str, ...] = ()  # the kinds of school that must publish it on their website
    sources: tuple[str, ...] = ()  # keys of the list's cited pages
    note: str = ""
    position: Optional[Position] = None  # where the trust wrote it; None for the shipped list


@dataclass(frozen=True)
class Logo:
    """A trust's or school's logo, read and checked from the sources (source/brand.py): the
    renderers use these bytes and never open a file of the sources themselves."""

    data: bytes  # an SVG or PNG file's bytes; in every document's cache key (engine/keys.py)
    media_type: str  # image/svg+xml or image/png
    alt: str  # its text alternative, required
    width: float  # its size in CSS pixels, for its proportions
    height: float

    @property
    def data_uri(self) -> str:
        import base64  # only the page writers need it
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True)
class Brand:
    """A logo and an accent colour (#rrggbb, 4.5:1 or more on white); none by default: the house style's."""

    logo: Optional[Logo] = None
    accent: str = ""

    def over(self, below: "Brand") -> "Brand":
        """This brand where it says something, `below` (the trust's) where it does not."""
        return Brand(self.logo or below.logo, self.accent or below.accent)


@dataclass(frozen=True, kw_only=True)
class Compliance:
    """What the trust says about checking its schools against the requirements."""

    check: tuple[str, ...] = ()  # only these requirements are checked; () for all that apply
    levels: tuple[tuple[str, str], ...] = ()  # approving body's name -> board, committee, governor, headteacher
    review: tuple[tuple[str, str, Position], ...] = ()  # requirement -> a tighter cycle the trust sets
    requirements: tuple[Requirement, ...] = ()  # the trust's own
    positions: tuple[tuple[str, Position], ...] = ()  # "check.N", "levels.NAME" -> where written

    def at(self, key: str, default: Position) -> Position:
        return dict(self.positions).get(key, default)


@dataclass(frozen=True, kw_only=True)
class Accessibility:
    """Whom a reader asks for a policy in another format: only what the sources write."""

    contact: str = ""  # who answers, in words ("the school office")
    email: str = ""
    phone: str = ""
    address: str = ""  # a postal address, its lines as written

    def __bool__(self) -> bool:
        return bool(self.email or self.phone or self.address or self.contact)


@dataclass(frozen=True)
class RoleHolder:
    title: str
    name: str = ""


@dataclass(frozen=True, kw_only=True)  # by name: a field added in the middle cannot land in another's place
class School:
    slug: str
    name: str
    phase: str
    source: str
    short_name: str = ""
    website: str = ""
    approving_body: str = ""
    roles: tuple[tuple[str, RoleHolder], ...] = ()
    terms: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    overlays: tuple[Overlay, ...] = ()
    publish_url: str = ""  # where the school's bundle is published, for absolute sitemap URLs
    type: str = ""  # maintained, academy or free-school: which requirements apply; "" when not said
    boarding: bool = False
    sixth_form: bool = False
    elsewhere: tuple["Elsewhere", ...] = ()  # requirements met by documents kept outside policyc
    brand: Brand = Brand()  # the school's own logo or accent, over the trust's
    accessibility: Accessibility = Accessibility()  # its own contact for another format; empty: the trust's

    def overlay(self, policy_id: str) -> Optional[Overlay]:
        return next((o for o in self.overlays if o.policy_id == policy_id), None)

    @property
    def own_name(self) -> str:
        """What the school's documents call it: its name, else its short name; "" if neither."""
        return self.name or self.short_name

    @property
    def label(self) -> str:
        """How the trust's own pages (dashboard, indexes, calendars) list it: its own name, or
        for a setting whose documents give none, its slug, so no list has an empty link."""
        return self.own_name or self.slug


DEFAULT_COLUMNS = (
    ChangeColumn("date", "Date of change"),
    ChangeColumn("paragraphs", "Paragraphs affected"),
    ChangeColumn("summary", "Summary of update"),
)

DEFAULT_BLOCK = (
    BlockRow("Ratified by {{ body.name }} on", "date"),
    BlockRow("Policy version", "version"),
    BlockRow("Review cycle", "review_cycle"),
    BlockRow("Next review date", "next_review"),
    BlockRow("Signed by the {{ signatory.role }}", "signatory", roles=("Chair of Governors", "Headteacher")),
)


@dataclass(frozen=True, kw_only=True)
class HouseStyle:
    """What the trust has every printed page carry besides title, school, version and standing."""

    uncontrolled_note: bool = False  # "Uncontrolled when printed" on every page
    owner: str = ""  # the role that owns every policy unless a policy names its own
    owner_at: Optional[Position] = None  # where `owner` was written


@dataclass(frozen=True, kw_only=True)  # by name: a field added in the middle cannot land in another's place
class Trust:
    name: str
    approving_body: str
    source: str
    short_name: str = ""
    type: str = ""
    website: str = ""
    roles: tuple[tuple[str, str], ...] = ()
    terms: tuple[tuple[str, str], ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    change_columns: tuple[ChangeColumn, ...] = DEFAULT_COLUMNS
    ratification_block: tuple[BlockRow, ...] = DEFAULT_BLOCK
    unratified: str = "omit"  # a policy never ratified: left off the public bundle, or "list"ed as in preparation
    board: str = "Board of Trustees"  # approves the policies whose approver is the trust
    layout: BlockLayout = BlockLayout()
    row_positions: tuple[Position, ...] = ()  # where each row of ratification_block is written
    word_download: bool = False  # public pages link the Word file, for schools that let readers edit a copy
    web_managers: bool = False  # each school's index lists the register, fragment, sitemap and calendar
    compliance: Compliance = Compliance()
    brand: Brand = Brand()  # logo and accent colour for every document
    accessibility: Accessibility = Accessibility()  # whom to ask for another format, unless a school says
    house_style: HouseStyle = HouseStyle()

    def row_at(self, i: int) -> Position:
        return self.row_positions[i] if i < len(self.row_positions) else Position(self.source)


@dataclass(frozen=True)
class Project:
    """Everything in one source folder, checked."""

    trust: Trust
    policies: tuple[ModelPolicy, ...]
    schools: tuple[School, ...]

    @property
    def display_name(self) -> str:
        """The trust's name, or where a source gives none, the one school's or 'All schools'."""
        if self.trust.name:
            return self.trust.name
        return self.schools[0].name if len(self.schools) == 1 else "All schools"


# --- after resolution -------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """A resolved clause: the words chosen for this school, and later its number."""

    id: str
    body: ClauseBody
    children: tuple["Block", ...]
    position: Position
    numbered: bool
    list_style: str
    origin: str = "model"
    number: str = ""


def walk_blocks(blocks):
    """Every block and its children's, depth first, in reading order."""
    for block in blocks:
        yield block
        yield from walk_blocks(block.children)



@dataclass(frozen=True)
class Part:
    """A resolved section."""

    id: str
    kind: str
    title: str
    blocks: tuple[Block, ...]
    position: Position
    numbered: bool
    origin: str = "model"
    number: str = ""
    contents_title: str = ""


@dataclass(frozen=True, kw_only=True)  # by name: a field added in the middle cannot land in another's place
class ResolvedPolicy:
    """One concrete policy for one school: what the writers render and history compares."""

    policy_id: str
    school_slug: str
    school_name: str
    trust_name: str
    title: str
    subtitle: str
    numbering: str
    contents: Contents
    preamble: str
    parts: tuple[Part, ...]
    placeholders: tuple[tuple[str, str], ...]  # name -> value, the fixed set for this school
    ratification: Ratification
    body: str
    history: tuple[ChangeEntry, ...]
    change_columns: tuple[ChangeColumn, ...]
    ratification_block: tuple[BlockRow, ...]
    options: tuple[tuple[str, str, str], ...] = ()  # (label, choice id, choice meaning)
    # The files it came from, as named in messages (relative to where policyc runs): never shown
    # in a document, so left out of its cache key (engine/keys.py).
    sources: tuple[str, ...] = field(default=(), metadata={"shown": False})
    in_force: str = ""  # the ratified version still in force while this text awaits ratification
    superseded_by: str = ""  # for an archived version: the version that replaced it
    approver: str = "school"  # who approves it: "school" (its own body) or "trust" (the trust board)
    layout: BlockLayout = BlockLayout()
    opening: str = ""  # untitled text before the first section
    policy_links: tuple[tuple[str, str, str], ...] = ()  # [[policy#clause]] -> (words, page link), this school's copies
    reasons: tuple[tuple[str, str, str], ...] = ()  # (clause or section id, reason, proposed by), as the sources give them
    word_download: bool = False  # the public page offers the Word file (the trust's publish: word_download)
    period: str = ""  # for `policyc as-of`: "In force from ... to ...", printed on every page
    brand: Brand = Brand()  # the school's logo and accent, else the trust's
    owner: str = ""  # the title, at this school, of the role that owns the policy: "Policy owner: ..."
    uncontrolled_note: bool = False  # every printed page says "Uncontrolled when printed" (house style)
    published_at: str = ""  # the policy's public page, absolute, when the school gives publish_url

    def reason_for(self, item_id: str) -> tuple[str, str]:
        """Why a clause or section was changed, and who proposed it: ("", "") when no one said."""
        return next(((why, by) for i, why, by in self.reasons if i == item_id), ("", ""))

    def placeholder_map(self) -> dict[str, str]:
        return dict(self.placeholders)
