"""`policyc serve`: build, serve the output on loopback, rebuild on every save.

Why a page that replaces a stale one: someone editing a policy must never read the last
good build and think it is what they just wrote. While the sources have errors, every
page served is the list of problems, each at its file:line:column; once they are fixed,
the page reloads itself. The reload script is added only to pages as they are served:
the files written to output/ never carry it.

Why a server of its own making rather than ThreadingHTTPServer: that one starts a thread for
every connection, without bound, and a thread waits as long as its client likes; three
hundred connections that never finish their request hold three hundred threads. Here one
thread gathers each request's head without blocking (a client that dawdles past a few
seconds is let go, and the oldest waiting are let go first when too many wait), and only a
whole request goes to a small pool of workers, each with a time limit on the socket. What
it serves is what the output folder holds once links are resolved, and only to a browser
that asked for this server by its own address: a page on another site that renamed itself
to 127.0.0.1 (DNS rebinding) is refused, so the review area's drafts stay on this computer.
"""

from __future__ import annotations

import errno
import html
import http.server
import io
import ipaddress
import json
import os
import selectors
import socket
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
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


ANSWER_SECONDS = 10.0  # a worker's time limit on each read and write of a client's socket
HEAD_SECONDS = 5.0  # a request's head must arrive whole within this
HEAD_BYTES = 65536  # and within this many bytes (http.server's own limit on a line)
WORKERS = 8
MOST_WAITING = 1000  # connections whose request has not arrived; past this the oldest are closed


class LocalServer(http.server.HTTPServer):
    """HTTPServer with a bounded pool of workers, fed only whole requests (see the module's docstring)."""

    request_queue_size = 128  # connections the system holds before they are accepted (HTTPServer's: 5)

    def __init__(self, address: tuple[str, int], handler: type, workers: int = WORKERS) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)
        self._bound = address[0]
        self.names = _own_names(address[0])
        self.heads: dict = {}  # connection -> its request's head, for the handler
        self._waiting: dict = {}  # connection -> [bytes so far, deadline, client address]
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="policyc-serve")
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._started = False

    def answers_to(self, host: str) -> bool:
        """Whether a request's Host names this server: one of its names, with this port or none."""
        host = host.strip().lower()
        if host.startswith("["):  # [::1]:8000
            name, _, rest = host.partition("]")
            name += "]"
            if rest and not rest.startswith(":"):
                return False
            port = rest[1:]
        else:
            name, _, port = host.partition(":")
        if port and port != str(self.server_address[1]):
            return False
        # Listening everywhere, any of this computer's addresses is this server; a name is
        # this server only if it is one of its own (a rebinding site's name never is).
        return name in self.names or (_everywhere(self._bound) and _an_address(name))

    def url_host(self) -> str:
        host = self.server_address[0]
        return f"{'[' + host + ']' if ':' in host else host}:{self.server_address[1]}"

    def serve_forever(self, poll_interval: float = 0.25) -> None:
        self._started = True
        self.socket.setblocking(False)
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            try:
                while not self._stop.is_set():
                    for key, _ in selector.select(poll_interval):
                        if key.fileobj is self.socket:
                            self._accept(selector)
                        else:
                            self._gather(selector, key.fileobj)
                    self._let_go_of_late(selector)
            finally:
                for connection in list(self._waiting):
                    self._drop(selector, connection)
                self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        if self._started:
            self._stopped.wait()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _accept(self, selector) -> None:
        while True:
            try:
                connection, client = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of descriptors, or the client gone already: the next round tries again
                return
            if len(self._waiting) >= MOST_WAITING:
                oldest = min(self._waiting, key=lambda c: self._waiting[c][1])
                self._drop(selector, oldest)
            connection.setblocking(False)
            self._waiting[connection] = [b"", time.monotonic() + HEAD_SECONDS, client]
            selector.register(connection, selectors.EVENT_READ)

    def _gather(self, selector, connection) -> None:
        entry = self._waiting.get(connection)
        if entry is None:
            return
        try:
            data = connection.recv(HEAD_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client hung up before asking anything
            self._drop(selector, connection)
            return
        entry[0] += data
        if b"\r\n\r\n" in entry[0] or b"\n\n" in entry[0] or len(entry[0]) >= HEAD_BYTES:
            selector.unregister(connection)
            del self._waiting[connection]
            self.heads[connection] = entry[0]
            self._pool.submit(self._answer, connection, entry[2])

    def _answer(self, connection, client) -> None:
        try:
            connection.setblocking(True)
            self.finish_request(connection, client)
        except Exception:  # noqa: BLE001 - a client that hung up or stalled: nothing for the terminal
            pass
        finally:
            self.heads.pop(connection, None)
            self.shutdown_request(connection)

    def _let_go_of_late(self, selector) -> None:
        now = time.monotonic()
        for connection in [c for c, (_, deadline, _) in self._waiting.items() if deadline < now]:
            self._drop(selector, connection)

    def _drop(self, selector, connection) -> None:
        self._waiting.pop(connection, None)
        try:
            selector.unregister(connection)
        except (KeyError, ValueError):
            pass
        connection.close()


def _own_names(host: str) -> frozenset[str]:
    """The names a browser may give as Host for this server: loopback's and the --bind
    address; for an address that listens everywhere, this computer's own names too."""
    names = {"localhost", "127.0.0.1", "[::1]", f"[{host.lower()}]" if ":" in host else host.lower()}
    if _everywhere(host):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(names)


def _everywhere(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


def _an_address(name: str) -> bool:
    """An IP address as a Host gives it (10.0.0.5, [fe80::1]): a browser asking by number."""
    try:
        ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
    except ValueError:
        return False
    return ":" not in name or name.startswith("[")


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
