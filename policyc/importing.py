"""`policyc import FILE`: an existing policy document added to a trust's sources, checked at once."""

from __future__ import annotations

from pathlib import Path

from policyc.compile.resolve import walk_blocks
from policyc.errors import InvalidSource, UserError, display_path
from policyc.importers.assemble import Imported, assemble
from policyc.importers.read import read_document
from policyc.importers.yamlout import add_school_policy
from policyc.pipeline import check


def import_document(document: Path, source: Path, placeholders: bool = False,
                    policy_id: str | None = None) -> tuple[Imported, list[str]]:
    """Write the trust (if new), the policy and its school into `source`; return what was done and a report."""
    if not document.is_file():
        raise UserError(f"{display_path(document)}: no such file")
    imported = assemble(read_document(document), document.name, placeholders, policy_id)
    plan: dict[Path, str] = {}
    before: dict[Path, str] = {}  # files that were there already, as they were
    for rel, text in imported.files.items():
        path = source / rel
        if rel == "trust.yaml" and path.exists():
            continue  # an existing trust keeps its own settings
        if rel.startswith("schools/") and path.is_file():
            before[path] = path.read_text(encoding="utf-8")
            plan[path] = add_school_policy(before[path], imported.overlay)
            continue
        if path.exists():
            raise UserError(f"{display_path(path)} already exists; policyc import never overwrites a file "
                            "(give another id with --id, or move the file)")
        plan[path] = text
    written = []
    try:
        for path, text in plan.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w" if path in before else "x", encoding="utf-8") as f:
                f.write(text)
            written.append(path)
        _, policies, warnings = check(source)
    except BaseException as exc:
        for path in written:  # only what this import made or changed, put back as it was
            if path in before:
                path.write_text(before[path], encoding="utf-8")
            else:
                path.unlink()
        if isinstance(exc, InvalidSource):
            raise UserError("the imported files did not validate, so none were kept (a bug in the importer):\n"
                            + "\n".join(str(p) for p in exc.errors)) from None
        raise
    report = [f"{'added the policy to' if p in before else 'wrote'} {display_path(p)}" for p in written]
    if (source / "trust.yaml") not in written and imported.cover_rows:
        report += [f"the trust's own ratification_block shows the cover; this document's cover said: {row!r}"
                   for row in imported.cover_rows]
    report += [f"could not place: {u.line()}" for u in imported.unplaced]
    report += [f"placeholder offered (use --placeholders): {o}" for o in imported.offered]
    report += [f"warning: {w}" for w in warnings]
    report += _number_report(policies, imported)
    return imported, report


def _number_report(policies, imported: Imported) -> list[str]:
    """Numbers the document had that the built policy will not have, and the other way round."""
    mine = [p for p in policies if p.policy_id == imported.policy_id and p.school_slug == imported.school_slug]
    built: set[str] = set()
    for policy in mine:
        built |= {p.number for p in policy.parts if p.number}
        built |= {b.number for p in policy.parts for b in walk_blocks(p.blocks) if b.number}
    lost = sorted(imported.numbers - built)
    extra = sorted(built - imported.numbers)
    out = [f"numbered {n} in the document, but not in the built policy" for n in lost]
    out += [f"numbered {n} in the built policy, but not in the document" for n in extra]
    return out
