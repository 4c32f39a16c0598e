#!/usr/bin/env python3
"""A stand-in database for the pool control: a TCP server on 127.0.0.1 that answers each
line it reads with `ok` after `FIFO_MS` (20 ms), like `SELECT pg_sleep(0.02)`, on as many
connections at once as it is given. Its answer reaches the app as a socket event, the way
a real driver's result does (an `asyncio.sleep` wakes the app from a timer instead,
which the loop runs after the socket events of the same turn).

    python3 sleep_db.py PORT
"""

import asyncio
import os
import sys

HOLD_S = float(os.environ.get("FIFO_MS", "20")) / 1000


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while line := await reader.readline():
            if line.startswith(b"q"):  # a query; anything else (a reset) is answered at once
                await asyncio.sleep(HOLD_S)
            writer.write(b"ok\n")
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main(port: int) -> None:
    server = await asyncio.start_server(serve, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
