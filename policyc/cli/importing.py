"""`policyc import FILE|FOLDER`: the importers' reports as terminal text."""

from __future__ import annotations

from policyc.cli.common import _arg, _is_default_source, _recover
from policyc.cli.parser import EXIT_INVALID, EXIT_OK
from policyc.errors import UsageError, display_path


def _import(args) -> int:
    from policyc.importing import import_document, import_overlay
    if args.source.is_dir():
        _recover(args.source)
    if args.document.is_dir():
        return _import_folder(args)
    if args.model:
        if args.placeholders or args.policy_id:
            raise UsageError("--model writes a school's overlay on an existing policy: "
                             "--placeholders and --id are for a new model")
        imported, report = import_overlay(args.document, args.source, args.model, args.school)
    else:
        imported, report = import_document(args.document, args.source, args.placeholders, args.policy_id,
                                           args.school)
    for line in report:
        print(line)
    source = "" if _is_default_source(args.source) else f" --source {_arg(args.source)}"
    print(f"Imported {imported.policy_id} for {imported.school_slug}. Next: "
          f"policyc validate{source}, then policyc build{source} --school {imported.school_slug}")
    return EXIT_OK


def _import_folder(args) -> int:
    """`policyc import FOLDER`: every document in it, with one report; exit 1 if any was refused."""
    from policyc.importing import import_folder
    if args.model or args.policy_id:
        raise UsageError(f"{_arg(args.document)} is a folder: --model and --id name one document's policy, so "
                         "import that document by itself")
    result = import_folder(args.document, args.source, args.placeholders, args.school)
    checking = 0
    for document, imported, report in result.imported:
        print(f"{display_path(document)}: imported as {imported.policy_id} for {imported.school_slug}")
        for line in report:
            print(f"  {line}")
        checking += result.needs_checking(report)
    for document, why in result.refused:
        named = f"{display_path(document)}: "
        print(f"{named}not imported: {why[len(named):] if why.startswith(named) else why}")
        if "already exists" in why:
            print(f"  if it is a school's own copy of that policy: policyc import {_arg(document)} --model ID "
                  "--school SLUG")
    for document, why in result.skipped:
        print(f"{display_path(document)}: skipped: {why}")
    total = len(result.imported) + len(result.refused)
    words = [f"Imported {len(result.imported)} of {total} document{'s' if total != 1 else ''}"]
    if checking:
        words.append(f"{checking} with lines marked check: to read")
    if result.refused:
        words.append(f"{len(result.refused)} not imported")
    if result.skipped:
        words.append(f"{len(result.skipped)} file{'s' if len(result.skipped) != 1 else ''} skipped")
    source = "" if _is_default_source(args.source) else f" --source {_arg(args.source)}"
    print("; ".join(words) + "." + (f" Next: policyc validate{source}, then policyc build{source}"
                                   if result.imported else ""))
    return EXIT_INVALID if result.refused else EXIT_OK
