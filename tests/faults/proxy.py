"""A fault-injecting HTTP proxy for tests: sits between a client and a loopback server and, for
the first N matching requests of each kind of fault, answers 5xx/429 (with or without
Retry-After, in seconds or as an HTTP date), drops the connection part-way, stalls, truncates,
flips a byte of the body, lies in Content-Length / Content-Range / ETag, ignores Range, redirects,
sends huge headers, or rewrites the body (broken index pages).

One request per client connection (the proxy asks the server for `Connection: close` and closes
after each response); everything is bounded: every fault by its counter, every connection by a
timeout, the proxy by `max_requests`; it listens on 127.0.0.1 only and forwards to 127.0.0.1 only.

    with FaultProxy(upstream_port, status_first=3, status=503, retry_after=1) as proxy:
        url = f"http://127.0.0.1:{proxy.port}/file"

`match` (a regular expression searched in the request path) limits every fault to the requests
it matches; the others pass through untouched.

Or from a shell: python3 proxy.py UPSTREAM_PORT --status-first 3 --status 503 --retry-after 1
"""

import argparse
import asyncio
import email.utils
import re
import threading
import time

REASONS = {200: "OK", 206: "Partial Content", 302: "Found", 429: "Too Many Requests",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class FaultProxy:
    def __init__(self, upstream_port, *, match=None, status_first=0, status=503, retry_after=None,
                 drop_first=0, drop_after=65536, stall_first=0, stall_after=65536, stall_seconds=30,
                 truncate_first=0, truncate_after=65536, corrupt_first=0, corrupt_at=1000,
                 refuse_first=0, length_first=0, length_delta=100, range_ignore_first=0,
                 range_total_first=0, range_total_delta=1000, etag_first=0, changed_first=0,
                 redirect_first=0, redirect="origin", huge_header_first=0, huge_header_size=200_000,
                 rewrite_first=0, rewrite=None, max_requests=20000, connection_timeout=60, port=0):
        """retry_after: None, an int/str sent as is, or "date+N" (an HTTP date N s from now).
        length_*: Content-Length plus `length_delta` (the body is unchanged).
        range_ignore_*: a Range starting above byte 0 is removed (200 with the whole file).
        range_total_*: the total of a 206's Content-Range plus `range_total_delta`.
        etag_*: every response gets a new ETag (a load balancer before differing origins).
        changed_*: a 206 gets a new ETag and a flipped byte (the file changed between ranges).
        redirect_*: 302 to "origin" (the upstream itself), "loop" (this proxy, same path) or
        "unresolvable" (a host under .invalid).
        huge_header_*: one response header of `huge_header_size` bytes.
        rewrite_*: rewrite(path, body bytes) -> new body (Content-Length follows).
        port: listen there (0: any free port), so URLs stay the same across proxies."""
        self.upstream_port = upstream_port
        self.match = re.compile(match) if match else None
        self.cfg = dict(status_first=status_first, status=status, retry_after=retry_after,
                        drop_first=drop_first, drop_after=drop_after, stall_first=stall_first,
                        stall_after=stall_after, stall_seconds=stall_seconds,
                        truncate_first=truncate_first, truncate_after=truncate_after,
                        corrupt_first=corrupt_first, corrupt_at=corrupt_at, refuse_first=refuse_first,
                        length_first=length_first, length_delta=length_delta,
                        range_ignore_first=range_ignore_first, range_total_first=range_total_first,
                        range_total_delta=range_total_delta, etag_first=etag_first,
                        changed_first=changed_first, redirect_first=redirect_first, redirect=redirect,
                        huge_header_first=huge_header_first, huge_header_size=huge_header_size,
                        rewrite_first=rewrite_first)
        self.rewrite = rewrite
        self.max_requests = max_requests
        self.connection_timeout = connection_timeout
        self.counts = dict(requests=0, status=0, drop=0, stall=0, truncate=0, corrupt=0, refuse=0,
                           length=0, range_ignore=0, range_total=0, etag=0, changed=0, redirect=0,
                           huge_header=0, rewrite=0)
        self.port = port or None
        self._listen_port = port
        self._etags = 0
        self._loop = None
        self._server = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self):
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("proxy did not start")
        return self

    def stop(self):
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def faults(self):
        """How many faults were injected (every kind together)."""
        return sum(v for k, v in self.counts.items() if k != "requests")

    def _run(self):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self._listen_port, backlog=1024,
                                 reuse_address=True))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            for task in asyncio.all_tasks(self._loop):
                task.cancel()
            self._loop.run_until_complete(asyncio.sleep(0))
            self._loop.close()

    # -- one connection ----------------------------------------------------------------------
    def _take(self, fault, matched=True):
        """True (and counts it) while fault `fault` has uses left and the request matches."""
        if matched and self.counts[fault] < self.cfg[fault + "_first"]:
            self.counts[fault] += 1
            return True
        return False

    async def _handle(self, reader, writer):
        try:
            await asyncio.wait_for(self._serve(reader, writer), timeout=self.connection_timeout)
        except (asyncio.TimeoutError, asyncio.CancelledError, ConnectionError, OSError,
                asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass

    def _retry_after(self):
        value = self.cfg["retry_after"]
        if value is None:
            return ""
        if isinstance(value, str) and value.startswith("date+"):
            value = email.utils.formatdate(time.time() + float(value[5:]), usegmt=True)
        return f"Retry-After: {value}\r\n"

    async def _answer(self, writer, code, extra=""):
        body = f"{code} {REASONS.get(code, 'Error')}\n".encode()
        writer.write(f"HTTP/1.1 {code} {REASONS.get(code, 'Error')}\r\n{extra}"
                     f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        await writer.drain()

    async def _serve(self, reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        self.counts["requests"] += 1
        if self.counts["requests"] > self.max_requests:
            writer.transport.abort()
            return
        lines = head.decode("latin-1").split("\r\n")
        method, path = (lines[0].split(" ") + ["", ""])[:2]
        matched = self.match is None or bool(self.match.search(path))
        if self._take("refuse", matched):
            # Close without a word: the client sees a reset / empty reply.
            writer.transport.abort()
            return
        if self._take("status", matched):
            await self._answer(writer, self.cfg["status"], self._retry_after())
            return
        if self._take("redirect", matched):
            target = {"origin": f"http://127.0.0.1:{self.upstream_port}{path}",
                      "loop": f"http://127.0.0.1:{self.port}{path}",
                      "unresolvable": f"http://airlock-test.invalid{path}"}[self.cfg["redirect"]]
            await self._answer(writer, 302, f"Location: {target}\r\n")
            return
        fault = None
        for name in ("drop", "stall", "truncate", "corrupt"):
            if self._take(name, matched):
                fault = name
                break
        kept = [l for l in lines[1:] if l and not l.lower().startswith(("connection:", "keep-alive:"))]
        range_header = next((l for l in kept if l.lower().startswith("range:")), "")
        m = re.match(r"range:\s*bytes=(\d+)-", range_header, re.I)
        if m and int(m.group(1)) > 0 and self._take("range_ignore", matched):
            kept = [l for l in kept if not l.lower().startswith(("range:", "if-range:"))]
        rewrite = self.rewrite is not None and self._take("rewrite", matched)
        if rewrite:
            kept = [l for l in kept if not l.lower().startswith("accept-encoding:")]
        request = "\r\n".join([lines[0]] + kept + ["Connection: close", "", ""]).encode("latin-1")
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            up_writer.write(request)
            await up_writer.drain()
            resp_head = (await up_reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            status_line, *headers = [h for h in resp_head.split("\r\n") if h]
            code = int(status_line.split(" ")[1])
            headers, flip_at = self._rewrite_head(code, headers, matched, fault)
            if rewrite:
                body = await up_reader.read()
                body = self.rewrite(path, body)
                headers = [h for h in headers if not h.lower().startswith("content-length:")]
                headers.append(f"Content-Length: {len(body)}")
                writer.write(("\r\n".join([status_line] + headers) + "\r\n\r\n").encode("latin-1") + body)
                await writer.drain()
                return
            writer.write(("\r\n".join([status_line] + headers) + "\r\n\r\n").encode("latin-1"))
            sent = 0  # body bytes forwarded
            limit = {"drop": self.cfg["drop_after"], "stall": self.cfg["stall_after"],
                     "truncate": self.cfg["truncate_after"]}.get(fault)
            while True:
                chunk = await up_reader.read(65536)
                if not chunk:
                    break
                if flip_at is not None and sent <= flip_at < sent + len(chunk):
                    i = flip_at - sent
                    chunk = chunk[:i] + bytes([chunk[i] ^ 0xFF]) + chunk[i + 1:]
                if limit is not None and sent + len(chunk) >= limit:
                    writer.write(chunk[: max(0, limit - sent)])
                    await writer.drain()
                    if fault == "stall":
                        await asyncio.sleep(self.cfg["stall_seconds"])
                    if fault in ("drop", "stall"):
                        writer.transport.abort()  # reset, mid-body
                    return  # truncate: a clean close, short of Content-Length
                writer.write(chunk)
                sent += len(chunk)
                await writer.drain()
        finally:
            up_writer.close()

    def _rewrite_head(self, code, headers, matched, fault):
        """The response headers after the header faults; and the body offset to flip, if any."""
        flip_at = self.cfg["corrupt_at"] if fault == "corrupt" else None

        def replace(name, value):
            kept = [h for h in headers if not h.lower().startswith(name.lower() + ":")]
            return kept + [f"{name}: {value}"]

        def get(name):
            for h in headers:
                if h.lower().startswith(name.lower() + ":"):
                    return h.split(":", 1)[1].strip()
            return None

        if code in (200, 206) and get("Content-Length") and self._take("length", matched):
            headers = replace("Content-Length", int(get("Content-Length")) + self.cfg["length_delta"])
        if code == 206 and get("Content-Range") and self._take("range_total", matched):
            first_last, total = get("Content-Range").split("/")
            headers = replace("Content-Range", f"{first_last}/{int(total) + self.cfg['range_total_delta']}")
        if code in (200, 206) and self._take("etag", matched):
            self._etags += 1
            headers = replace("ETag", f'"airlock-proxy-{self._etags}"')
        if code == 206 and self._take("changed", matched):
            self._etags += 1
            headers = replace("ETag", f'"airlock-changed-{self._etags}"')
            flip_at = 0
        if self._take("huge_header", matched):
            headers = headers + ["X-Padding: " + "a" * self.cfg["huge_header_size"]]
        return headers, flip_at


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("upstream_port", type=int)
    for name, default in [("status-first", 0), ("status", 503), ("drop-first", 0), ("drop-after", 65536),
                          ("stall-first", 0), ("stall-after", 65536), ("stall-seconds", 30),
                          ("truncate-first", 0), ("truncate-after", 65536), ("corrupt-first", 0),
                          ("corrupt-at", 1000), ("refuse-first", 0), ("length-first", 0),
                          ("length-delta", 100), ("range-ignore-first", 0), ("range-total-first", 0),
                          ("range-total-delta", 1000), ("etag-first", 0), ("changed-first", 0),
                          ("redirect-first", 0), ("huge-header-first", 0)]:
        parser.add_argument("--" + name, type=int, default=default)
    parser.add_argument("--retry-after", default=None)
    parser.add_argument("--redirect", default="origin", choices=["origin", "loop", "unresolvable"])
    parser.add_argument("--match", default=None)
    parser.add_argument("--seconds", type=float, default=300, help="exit after this long")
    args = vars(parser.parse_args())
    upstream = args.pop("upstream_port")
    seconds = args.pop("seconds")
    with FaultProxy(upstream, **args) as proxy:
        print(proxy.port, flush=True)
        threading.Event().wait(seconds)


if __name__ == "__main__":
    main()
