"""A fault-injecting HTTP proxy for tests: sits between a client and a loopback server and, for
the first N requests of each kind of fault, answers 503/429 with Retry-After, drops the
connection part-way, stalls, truncates, or flips a byte of the body.

One request per client connection (the proxy asks the server for `Connection: close` and closes
after each response); everything is bounded (counters, timeouts) and bound to 127.0.0.1.

    with FaultProxy(upstream_port, status_first=3, status=503, retry_after=1) as proxy:
        url = f"http://127.0.0.1:{proxy.port}/file"

Or from a shell: python3 proxy.py UPSTREAM_PORT --status-first 3 --status 503 --retry-after 1
"""

import argparse
import asyncio
import threading


class FaultProxy:
    def __init__(self, upstream_port, *, status_first=0, status=503, retry_after=None,
                 drop_first=0, drop_after=65536, stall_first=0, stall_after=65536, stall_seconds=30,
                 truncate_first=0, truncate_after=65536, corrupt_first=0, corrupt_at=1000,
                 refuse_first=0):
        self.upstream_port = upstream_port
        self.cfg = dict(status_first=status_first, status=status, retry_after=retry_after,
                        drop_first=drop_first, drop_after=drop_after, stall_first=stall_first,
                        stall_after=stall_after, stall_seconds=stall_seconds,
                        truncate_first=truncate_first, truncate_after=truncate_after,
                        corrupt_first=corrupt_first, corrupt_at=corrupt_at, refuse_first=refuse_first)
        self.counts = dict(requests=0, status=0, drop=0, stall=0, truncate=0, corrupt=0, refuse=0)
        self.port = None
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

    def _run(self):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024))
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
    def _take(self, fault):
        """True (and counts it) while fault `fault` has uses left."""
        if self.counts[fault] < self.cfg[fault + "_first"]:
            self.counts[fault] += 1
            return True
        return False

    async def _handle(self, reader, writer):
        try:
            await asyncio.wait_for(self._serve(reader, writer), timeout=120)
        except (asyncio.TimeoutError, asyncio.CancelledError, ConnectionError, OSError,
                asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass

    async def _serve(self, reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        self.counts["requests"] += 1
        if self._take("refuse"):
            # Close without a word: the client sees a reset / empty reply.
            writer.transport.abort()
            return
        if self._take("status"):
            code = self.cfg["status"]
            reason = {429: "Too Many Requests", 503: "Service Unavailable"}.get(code, "Error")
            extra = ""
            if self.cfg["retry_after"] is not None:
                extra = f"Retry-After: {self.cfg['retry_after']}\r\n"
            body = f"{code} {reason}\n".encode()
            writer.write(f"HTTP/1.1 {code} {reason}\r\n{extra}Content-Length: {len(body)}\r\n"
                         f"Connection: close\r\n\r\n".encode() + body)
            await writer.drain()
            return
        fault = None
        for name in ("drop", "stall", "truncate", "corrupt"):
            if self._take(name):
                fault = name
                break
        # Forward the request with Connection: close.
        lines = head.decode("latin-1").split("\r\n")
        kept = [l for l in lines[1:] if l and not l.lower().startswith(("connection:", "keep-alive:"))]
        request = "\r\n".join([lines[0]] + kept + ["Connection: close", "", ""]).encode("latin-1")
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            up_writer.write(request)
            await up_writer.drain()
            resp_head = await up_reader.readuntil(b"\r\n\r\n")
            writer.write(resp_head)
            sent = 0  # body bytes forwarded
            limit = {"drop": self.cfg["drop_after"], "stall": self.cfg["stall_after"],
                     "truncate": self.cfg["truncate_after"]}.get(fault)
            while True:
                chunk = await up_reader.read(65536)
                if not chunk:
                    break
                if fault == "corrupt" and sent <= self.cfg["corrupt_at"] < sent + len(chunk):
                    i = self.cfg["corrupt_at"] - sent
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("upstream_port", type=int)
    for name, default in [("status-first", 0), ("status", 503), ("drop-first", 0), ("drop-after", 65536),
                          ("stall-first", 0), ("stall-after", 65536), ("stall-seconds", 30),
                          ("truncate-first", 0), ("truncate-after", 65536), ("corrupt-first", 0),
                          ("corrupt-at", 1000), ("refuse-first", 0)]:
        parser.add_argument("--" + name, type=int, default=default)
    parser.add_argument("--retry-after", default=None)
    parser.add_argument("--seconds", type=float, default=300, help="exit after this long")
    args = vars(parser.parse_args())
    upstream = args.pop("upstream_port")
    seconds = args.pop("seconds")
    with FaultProxy(upstream, **args) as proxy:
        print(proxy.port, flush=True)
        threading.Event().wait(seconds)


if __name__ == "__main__":
    main()
