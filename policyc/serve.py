"""`policyc serve`: build, serve the output on loopback, rebuild on every save.

Why a page that replaces a stale one: someone editing a policy must never read the last
good build and think it is what they just wrote. While the sources have errors, every
page served is the list of problems, each at its file:line:column; once they are fixed,
the page reloads itself. The reload script is added only to pages as they are served:
the files written to output/ never carry it.

What it serves is what the output folder holds once links are resolved, and only to a
browser that asked for this server by its own address (policyc/local_server.py says how
requests are taken in): a page on another site that renamed itself to 127.0.0.1 (DNS
rebinding) is refused, so the review area's drafts stay on this computer.
"""

from __future__ import annotations

import errno
import html
import http.server
import io
import json
import os
import socket
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from policyc.errors import InvalidSource, UsageError, UserError
from policyc.local_server import ANSWER_SECONDS, LocalServer

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
    """Run one build; keep its problems (located, as the CLI prints them) for the pages.

    A build that fails for any other reason is a bug in policyc, not the end of the server:
    the page says so, the terminal shows where, and the next save builds again."""
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
        except Exception as exc:  # noqa: BLE001 - a bug: reported, and the server goes on
            problems = (f"policyc: internal error (a bug in policyc, not in your files): "
                        f"{type(exc).__name__}: {exc}. Save again to retry; please report it with the terminal's "
                        f"message.")
            say(problems + "\n" + "".join(traceback.format_exception(exc)).rstrip())
        state.problems = problems
        state.build += 1


def make_handler(output: Path, state: BuildState) -> type:
    class Handler(http.server.SimpleHTTPRequestHandler):
        timeout = ANSWER_SECONDS  # a client that stops reading the answer is let go

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(output), **kwargs)

        def setup(self) -> None:
            super().setup()
            self.rfile.close()  # the request was read already, by LocalServer: it is handed over whole
            self.rfile = io.BytesIO(self.server.heads.pop(self.request, b""))

        def log_message(self, format: str, *args) -> None:  # the terminal is for problems
            pass

        def do_HEAD(self) -> None:
            if self._refused():
                return
            super().do_HEAD()

        def do_GET(self) -> None:
            if self._refused():
                return
            if self.path.split("?")[0] == STATE_PATH:
                return self._send(json.dumps({"build": state.build, "problems": state.problems}).encode(),
                                  "application/json")
            reload = RELOAD.format(build=state.build, state=STATE_PATH)
            if state.problems and self._wants_page():
                count = state.problems.count("\n") and "problems" or "a problem"
                page = ERROR_PAGE.format(count=count, problems=html.escape(state.problems), reload=reload)
                return self._send(page.encode("utf-8", "backslashreplace"), "text/html; charset=utf-8")
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                page = target.read_text(encoding="utf-8")
                page = page.replace("</body>", reload + "</body>", 1) if "</body>" in page else page + reload
                return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
            return super().do_GET()

        def _refused(self) -> bool:
            """Refuse a Host this server is not, and a file that is outside output/ once links are resolved."""
            host = self.headers.get("Host")
            if host is not None and not self.server.answers_to(host):
                self._plain(421, "This server answers only to the address it listens on, such as "
                                 f"{self.server.url_host()}: open the pages at that address.\n")
                return True
            root = os.path.realpath(output)
            real = os.path.realpath(self.translate_path(self.path))
            if real != root and not real.startswith(root + os.sep):
                self._plain(404, "Not found: this server shows only the files in the output folder.\n")
                return True
            return False

        def _plain(self, code: int, text: str) -> None:
            body = text.encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

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



def listen(host: str, port: int, handler: type) -> LocalServer:
    """The server, bound; a port in use or an address that cannot be had is a UsageError."""
    try:
        return LocalServer((host, port), handler)
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
