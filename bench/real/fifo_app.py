"""The control for the latency checks: an ASGI app whose model is exact. Every request
waits its turn at a gate of `FIFO_SLOTS` slots (4), strictly first come first served,
then holds its slot for `FIFO_MS` (20 ms) of `asyncio.sleep`. No database, no pool, no
GIL contention: the simulation of it (4 workers, 20 ms of constant I/O) leaves nothing
out but the server's own per-request CPU, which is small here. Whatever spread its
measured latency shows beyond the simulation's is the measurement's (wrk, the kernel,
the shared machine), not any server's.
"""

import asyncio
import collections
import os

SLOTS = int(os.environ.get("FIFO_SLOTS", "4"))
HOLD_S = float(os.environ.get("FIFO_MS", "20")) / 1000

free = SLOTS
waiting: collections.deque = collections.deque()


async def app(scope, receive, send):
    global free
    if scope["type"] != "http":
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
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})
