"""The HTTP server under `policyc serve`: a bounded pool of workers, fed only whole requests,
answering only to its own address.

Why not ThreadingHTTPServer: that one starts a thread for every connection, without bound,
and a thread waits as long as its client likes; three hundred connections that never
finish their request hold three hundred threads. Here one thread gathers each request's
head without blocking (a client that dawdles past a few seconds is let go, and the oldest
waiting are let go first when too many wait), and only a whole request goes to a small pool
of workers, each with a time limit on the socket. A request whose Host is not one of this
server's names (a page of another site that renamed itself to 127.0.0.1: DNS rebinding)
is for the handler to refuse, by `answers_to`.
"""

from __future__ import annotations

import http.server
import ipaddress
import selectors
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor


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
