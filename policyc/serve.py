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
import re
import socket
import sys
import threading
import time
import traceback
import urllib.parse
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
    fetch("{state}?page=" + encodeURIComponent(location.pathname), {{cache: "no-store"}}).then(function (r) {{ return r.json(); }})
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


MAKING_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Making {what}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}}</style></head>
<body><main><h1>Making {what}</h1>
<p>This preview builds only {built}; {what} is being made now from the sources as they are, and shows here
when it is ready.</p></main>
<script>
(function () {{
  setInterval(function () {{
    fetch("{state}?file={file}", {{cache: "no-store"}}).then(function (r) {{ return r.json(); }})
      .then(function (s) {{ if (!s.making) {{ location.reload(); }} }}).catch(function () {{}});
  }}, 500);
}})();
</script></body></html>"""
PREVIEW_BAR = ('<p style="margin:0;padding:.4rem 1rem;background:#fff;border-bottom:1px solid #555;'
               'font:14px/1.4 system-ui,sans-serif">Preview: {links} (made when opened)</p>')


class OnDemand:
    """The documents of formats serve does not build (its PDFs, when it builds HTML), made
    when they are asked for: `make(rel)` makes the one at `rel` current in the output (or
    says there is none); `copies(rel)` gives, for a page, those documents of the same name.

    Why a thread per document and a page that waits: a PDF takes seconds, and a browser
    shown nothing for that long looks broken, so it is told what is being made; a client
    that is not a browser gets the file once it is made. One document is made at a time,
    never while a rebuild writes the output. `copies(rel)` names documents in the folder of
    the page at `rel`."""

    def __init__(self, make: Callable[[str], object], copies: Callable[[str], list[tuple[str, str]]],
                 suffixes: tuple[str, ...], built: str, state: "BuildState", say: Callable[[str], None]) -> None:
        self.make, self.copies, self.suffixes = make, copies, tuple(f".{s}" for s in suffixes)
        self.built = built  # the formats serve builds, in words: "HTML"
        self.state, self.say = state, say
        self.jobs: dict[str, threading.Thread] = {}
        self.failed: dict[str, str] = {}
        self._lock = threading.Lock()

    def wants(self, rel: str) -> bool:
        return rel.endswith(self.suffixes)

    def start(self, rel: str) -> threading.Thread:
        with self._lock:
            job = self.jobs.get(rel)
            if job is None or not job.is_alive():
                job = threading.Thread(target=self._run, args=(rel,), daemon=True)
                self.jobs[rel] = job
                job.start()
            return job

    def making(self, rel: str) -> bool:
        job = self.jobs.get(rel)
        return job is not None and job.is_alive()

    def _run(self, rel: str) -> None:
        with self.state.lock:
            try:
                self.make(rel)
                self.failed.pop(rel, None)
            except UserError as exc:
                self.failed[rel] = f"policyc: error: {exc}"
                self.say(self.failed[rel])
            except Exception as exc:  # noqa: BLE001 - a bug: reported, and the server goes on
                self.failed[rel] = (f"policyc: internal error (a bug in policyc, not in your files) while making "
                                    f"{rel}: {type(exc).__name__}: {exc}")
                self.say(self.failed[rel] + "\n" + "".join(traceback.format_exception(exc)).rstrip())


@dataclass
class BuildState:
    """The last build's outcome; `build` counts builds so pages know when to reload."""

    build: int = 0
    problems: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    viewing: dict = field(default_factory=dict)  # page (path in the output) -> when an open copy last polled
    early: dict = field(default_factory=dict)  # page -> its new bytes, shown before the rest of a rebuild is written
    writing: bool = False  # a rebuild is under way

    def viewed(self, within: float = 5.0) -> set[str]:
        """The pages open in a browser now (each polls the state every 0.7 s)."""
        now = time.monotonic()
        return {page for page, when in list(self.viewing.items()) if now - when < within}

    def show(self, pages: dict[str, bytes]) -> None:
        """Serve these pages' new bytes at once, and tell open pages to reload: the page being
        read is current while the rest of the rebuild is written (the build then replaces them
        with the same bytes on disk and counts once more)."""
        self.early = {**self.early, **pages}
        self.problems = ""
        self.build += 1


def rebuild(state: BuildState, build_once: Callable[[], None], say: Callable[[str], None]) -> None:
    """Run one build; keep its problems (located, as the CLI prints them) for the pages.

    A build that fails for any other reason is a bug in policyc, not the end of the server:
    the page says so, the terminal shows where, and the next save builds again."""
    with state.lock:
        state.writing = True
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
        state.early = {}
        state.build += 1
        state.writing = False


def make_handler(output: Path, state: BuildState, demand: OnDemand | None = None) -> type:
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
                told = {"build": state.build, "problems": state.problems, "writing": state.writing}
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                asked = query.get("file")
                for page in query.get("page", [])[:1]:
                    rel = "/".join(part for part in page.split("/") if part not in ("", ".", ".."))
                    if not rel or page.endswith("/"):
                        rel = f"{rel}/index.html" if rel else "index.html"
                    state.viewing[rel] = time.monotonic()
                if demand is not None and asked:
                    told["making"] = demand.making(asked[0])
                return self._send(json.dumps(told).encode(), "application/json")
            reload = RELOAD.format(build=state.build, state=STATE_PATH)
            rel = self._rel()
            if state.problems and (self._wants_page() or demand is not None and demand.wants(rel)):
                count = state.problems.count("\n") and "problems" or "a problem"
                page = ERROR_PAGE.format(count=count, problems=html.escape(state.problems), reload=reload)
                return self._send(page.encode("utf-8", "backslashreplace"), "text/html; charset=utf-8")
            if demand is not None and demand.wants(rel):
                job = demand.start(rel)
                job.join(0.3)
                if job.is_alive() and "text/html" in self.headers.get("Accept", ""):
                    page = MAKING_PAGE.format(what=html.escape(_document_words(rel)), file=urllib.parse.quote(rel),
                                              state=STATE_PATH, built=html.escape(demand.built))
                    return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
                job.join()
                if rel in demand.failed:
                    return self._plain(500, demand.failed[rel] + "\n")
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                target = target / "index.html"
            early = state.early.get(target.relative_to(output).as_posix()) if target.is_relative_to(output) else None
            if target.suffix == ".html" and (early is not None or target.is_file()):
                page = early.decode("utf-8") if early is not None else target.read_text(encoding="utf-8")
                if demand is not None:  # at the top, in the flow of the page: it covers nothing
                    bar = _bar(demand, target.relative_to(output).as_posix())
                    # after the skip link, so a keyboard reaches "Skip to main content" first
                    page = re.sub(r'(<body\b[^>]*>\s*(?:<a class="skip-link"[^>]*>[^<]*</a>)?)', lambda m: m.group(1) + bar,
                                  page, count=1) if bar else page
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

        def _rel(self) -> str:
            """The path asked for, relative to the output folder ("" for the folder itself)."""
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            return "/".join(part for part in path.split("/") if part not in ("", ".", ".."))

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


def _document_words(rel: str) -> str:
    kind = {"pdf": "the PDF", "docx": "the Word file"}.get(rel.rsplit(".", 1)[-1], "the file")
    return f"{kind} {rel.rsplit('/', 1)[-1]}"


def _bar(demand: OnDemand, rel: str) -> str:
    """Links to this page's copies in the formats made on demand (added to served pages only)."""
    try:
        copies = demand.copies(rel)
    except Exception:  # noqa: BLE001 - the bar is a convenience; the page is served without it
        return ""
    if not copies:
        return ""
    links = " · ".join(f'<a href="{html.escape(urllib.parse.quote(href.rsplit("/", 1)[-1]))}">{html.escape(label)}</a>'
                       for href, label in copies)
    return PREVIEW_BAR.format(links=links)


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
          stop: threading.Event | None = None,
          demand: Callable[["BuildState"], OnDemand] | None = None) -> None:
    """Build, serve and watch until Ctrl-C (or `stop` is set). `demand`, given the state,
    makes the OnDemand that makes the documents of formats not built."""
    from watchfiles import (
        watch,  # well-kept, event-based (inotify), ignores editors' temporary files
    )

    stop = stop or threading.Event()
    state = BuildState()
    output.mkdir(parents=True, exist_ok=True)
    server = listen(host, port, make_handler(output, state, demand(state) if demand else None))  # before the build: a bad address fails at once
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
