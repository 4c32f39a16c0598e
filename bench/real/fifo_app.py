"""The control for the latency checks: an ASGI app whose model is exact. Every request
waits its turn at a gate of `FIFO_SLOTS` slots (4), strictly first come first served,
then holds its slot for `FIFO_MS` (20 ms) of `asyncio.sleep`. No database, no pool, no
GIL contention: the simulation of it (4 workers, 20 ms of constant I/O) leaves nothing
out but the server's own per-request CPU, which is small here. Whatever spread its
measured latency shows beyond the simulation's is the measurement's (wrk, the kernel,
the shared machine), not any server's.

Two more gates test how an asyncio pool hands over its connections (`FIFO_GATE`):
`queue` keeps the slots in an asyncio.LifoQueue, as asyncpg's pool keeps its
connections, and holds them with `asyncio.sleep`; `socket` does the same with real
connections to `sleep_db.py` (on `FIFO_DB_PORT`), so that a slot comes back on a socket
event, as a query's result and asyncpg's reset do.
"""

import asyncio
import collections
import os

SLOTS = int(os.environ.get("FIFO_SLOTS", "4"))
HOLD_S = float(os.environ.get("FIFO_MS", "20")) / 1000
# "fifo": the slot is handed to the longest waiter. "queue": the slots are items of an
# asyncio.LifoQueue, as asyncpg's pool keeps its connections.
GATE = os.environ.get("FIFO_GATE", "fifo")
slots: asyncio.LifoQueue = asyncio.LifoQueue()
for _ in range(SLOTS):
    slots.put_nowait(None)

free = SLOTS
waiting: collections.deque = collections.deque()
connections: asyncio.LifoQueue = asyncio.LifoQueue()
opened = False


async def query_over_socket() -> None:
    global opened
    if not opened:
        opened = True
        port = int(os.environ["FIFO_DB_PORT"])
        for _ in range(SLOTS):
            connections.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    reader, writer = await connections.get()
    try:
        writer.write(b"q\n")
        await reader.readline()
    finally:
        if os.environ.get("FIFO_RESET"):
            await asyncio.shield(reset_and_put(reader, writer))
        else:
            connections.put_nowait((reader, writer))


async def reset_and_put(reader, writer) -> None:
    """asyncpg's release: a reset query on the connection (a round trip), in a task of
    its own (`asyncio.shield`), then the connection goes back into the queue."""
    writer.write(b"r\n")
    await reader.readline()
    connections.put_nowait((reader, writer))


async def app(scope, receive, send):
    global free
    if scope["type"] != "http":
        return
    if GATE == "socket":
        await query_over_socket()
        await reply(send)
        return
    if GATE == "queue":
        await slots.get()
        try:
            await asyncio.sleep(HOLD_S)
        finally:
            slots.put_nowait(None)
        await reply(send)
        return
    if free > 0 and not waiting:
        free -= 1
    else:
        turn = asyncio.get_running_loop().create_future()
        waiting.append(turn)
        await turn  # the slot is handed over by the request that frees it
    try:
        await asyncio.sleep(HOLD_S)
    finally:
        if waiting:
            waiting.popleft().set_result(None)
        else:
            free += 1
    await reply(send)


async def reply(send):
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})
