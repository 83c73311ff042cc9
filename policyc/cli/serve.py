"""`policyc serve`: build, serve the pages and rebuild on every save."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from policyc.cli.parser import EXIT_OK
from policyc.outputs import formats as format_table
from policyc.pipeline import BuildOptions, build, check_all, copies_of, make_document, render_first
from policyc.reports import carried_over
from policyc.serve import OnDemand, serve
from policyc.site.guard import check_output_folder


def serve_command(args, source: Path, output: Path, today: dt.date) -> int:
    check_output_folder(output, source)
    formats = args.format
    options = BuildOptions(source, output, today, formats, strict=args.strict, jobs=1)
    if args.bind not in ("127.0.0.1", "localhost", "::1"):
        print(f"Listening on {args.bind}: other computers on the network can read these pages.", file=sys.stderr)
    def ready(url: str) -> None:
        print(f"Serving on {url}", flush=True)
        if args.open:  # beside the server: a browser command that stays open must not hold up the rebuilds
            import threading
            import webbrowser
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    from policyc.session import Session
    session = Session()  # what every save leaves as it was is kept from one build to the next

    served = {}

    def build_once() -> None:
        """Check; show the new bytes of the open pages that changed; then build the rest."""
        checked = check_all(options.source, options.strict, session)
        state = served.get("state")
        if state is not None and session.built is not None:
            pages = render_first(options, checked, state.viewed(), session)
            if pages:
                state.show(pages)
        report = build(options, checked=checked, session=session)
        for line in carried_over(report.stale, report.removed):  # a web manager syncing output/ should know
            print(line, file=sys.stderr, flush=True)

    def demand(state):  # the formats not built, made when a page or a client asks for them
        served["state"] = state
        others = [f for f in format_table.FORMATS if f.name not in formats]
        return OnDemand(lambda rel: session.built and make_document(options, session.built, rel, session),
                        lambda page: copies_of(options, session.built, page, session) if session.built else [],
                        tuple(f.suffix for f in others), " and ".join(f.description or f.name.upper() for f in
                                                                     format_table.FORMATS if f.name in formats),
                        state, lambda m: print(m, file=sys.stderr, flush=True))
    try:
        serve(source, output, build_once, args.bind, args.port, ready=ready,
              demand=demand)
    finally:
        session.wait()  # the outputs rebuilds replaced are removed before the command ends
    return EXIT_OK
