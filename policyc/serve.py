"""`policyc serve`: build, serve the output on loopback, rebuild on every save.

Why a page that replaces a stale one: someone editing a policy must never read the last
good build and think it is what they just wrote. While the sources have errors, every
page served is the list of problems, each at its file:line:column; once they are fixed,
the page reloads itself. The reload script is added only to pages as they are served:
the files written to output/ never carry it.
"""

from __future__ import annotations

import errno
import html
import http.server
import json
import socket
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from policyc.errors import InvalidSource, UsageError, UserError

STATE_PATH = "/__policyc/state"
RELOAD = """<script>
(function () {{
  var seen = {build};
  setInterval(function () {{
    fetch("{state}", {{cache: "no-store"}}).then(function (r) {{ return r.json(); }})
      .then(function (s) {{ if (s.build !== seen) {{ location.reload(); }} }}).catch(function () {{}});
  }}, 700);
}})();
</script>"""
ERROR_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Problems in the sources</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}}
pre{{white-space:pre-wrap;background:#fff4f4;border-left:6px solid #b10e1e;padding:1rem}}</style></head>
<body><main><h1>The sources have {count}</h1>
<p>Nothing was rebuilt: fix these and save; this page reloads by itself.</p>
<pre>{problems}</pre></main>{reload}</body></html>"""


@dataclass
class BuildState:
    """The last build's outcome; `build` counts builds so pages know when to reload."""

    build: int = 0
    problems: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)


def rebuild(state: BuildState, build_once: Callable[[], None], say: Callable[[str], None]) -> None:
    """Run one build; keep its problems (located, as the CLI prints them) for the pages."""
    with state.lock:
        try:
            build_once()
            problems = ""
            say("Rebuilt: no problems.")
        except InvalidSource as exc:
            problems = "\n".join(str(p) for p in [*exc.errors, *exc.warnings])
            say(problems + f"\n{len(exc.errors)} problem(s); the pages show them until they are fixed.")
        except UserError as exc:
            problems = f"policyc: error: {exc}"
            say(problems)
        state.problems = problems
        state.build += 1


def make_handler(output: Path, state: BuildState) -> type:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(output), **kwargs)

        def log_message(self, format: str, *args) -> None:  # the terminal is for problems
            pass

        def do_GET(self) -> None:
            if self.path.split("?")[0] == STATE_PATH:
                return self._send(json.dumps({"build": state.build, "problems": state.problems}).encode(),
                                  "application/json")
            reload = RELOAD.format(build=state.build, state=STATE_PATH)
            if state.problems and self._wants_page():
                count = state.problems.count("\n") and "problems" or "a problem"
                page = ERROR_PAGE.format(count=count, problems=html.escape(state.problems), reload=reload)
                return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                page = target.read_text(encoding="utf-8")
                page = page.replace("</body>", reload + "</body>", 1) if "</body>" in page else page + reload
                return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
            return super().do_GET()

        def _wants_page(self) -> bool:
            path = self.path.split("?")[0]
            return path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
    return Handler


def listen(host: str, port: int, handler: type) -> http.server.ThreadingHTTPServer:
    """The server, bound; a port in use or an address that cannot be had is a UsageError."""
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except socket.gaierror:
        raise UsageError(f"--bind {host}: there is no such address to listen on; give an address of this "
                         f"computer, such as 127.0.0.1 (the default)") from None
    except OverflowError:
        raise UsageError(f"--port {port}: give a port from 0 to 65535 (0 picks a free one)") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            free = next_free_port(host, port)
            also = f", or --port {free}, the next free one" if free else ""
            raise UsageError(f"port {port} on {host} is already in use (another 'policyc serve'?): "
                             f"give --port 0 to pick a free port{also}") from None
        if exc.errno in (errno.EADDRNOTAVAIL, errno.EACCES):
            why = "is not an address of this computer" if exc.errno == errno.EADDRNOTAVAIL else \
                "needs more rights than this user has"
            raise UsageError(f"cannot listen on {host}:{port}: it {why}; "
                             f"try the default, --bind 127.0.0.1, or a port above 1023") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def next_free_port(host: str, port: int) -> int:
    """The first port after `port` that can be bound now, or 0 if none of the next 100."""
    for candidate in range(port + 1, min(port + 101, 65536)):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            try:
                probe.bind((host, candidate))
                return candidate
            except OSError:
                continue
    return 0


def serve(source: Path, output: Path, build_once: Callable[[], None], host: str, port: int,
          say: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True),
          ready: Callable[[str], None] = lambda url: print(f"Serving on {url}", flush=True),
          stop: threading.Event | None = None) -> None:
    """Build, serve and watch until Ctrl-C (or `stop` is set)."""
    from watchfiles import (
        watch,  # well-kept, event-based (inotify), ignores editors' temporary files
    )

    stop = stop or threading.Event()
    state = BuildState()
    output.mkdir(parents=True, exist_ok=True)
    server = listen(host, port, make_handler(output, state))  # before the build: a bad address fails at once
    rebuild(state, build_once, say)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://{host}:{server.server_address[1]}/"
    waiting = True
    try:
        # yield_on_timeout: an empty set each half second when nothing changed. The first
        # yield means the watcher is in place, and only then is the address announced, so
        # a save made right after "Serving on" is never missed.
        for changes in watch(source, stop_event=stop, debounce=300, raise_interrupt=True,
                             rust_timeout=500, yield_on_timeout=True):
            if waiting:
                ready(url)
                waiting = False
            if not changes:
                continue
            say("Sources changed; rebuilding...")
            rebuild(state, build_once, say)
    except KeyboardInterrupt:  # Ctrl-C: the output is as the last good build left it; no library message
        pass
    finally:
        say("Stopped.")
        server.shutdown()
        server.server_close()
