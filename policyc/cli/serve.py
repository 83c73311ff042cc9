"""`policyc serve`: build, serve the pages and rebuild on every save."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from policyc.cli.parser import EXIT_OK
from policyc.pipeline import BuildOptions, build
from policyc.serve import serve
from policyc.site.guard import check_output_folder


def _serve(args, source: Path, output: Path, today: dt.date) -> int:
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
    try:
        serve(source, output, lambda: build(options, session=session), args.bind, args.port, ready=ready)
    finally:
        session.wait()  # the outputs rebuilds replaced are removed before the command ends
    return EXIT_OK
