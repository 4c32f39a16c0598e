"""The Starlette app of the database series (ASGI, an asyncpg pool), for uvicorn on
asyncio or uvloop: `dbapp_starlette:app`. Routes in dbapps.py."""

from __future__ import annotations

import json
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.responses import Response as StarletteResponse
from starlette.routing import Route

from dbapps import (STATS, ablocking_route, amixed_route, apk_route, aquery, asleep_route, close_apool,
                    open_apool)


@asynccontextmanager
async def _lifespan(app):
    await open_apool()
    yield
    await close_apool()


async def _s_sleep(request):
    await asleep_route()
    return PlainTextResponse("ok\n")


async def _s_pk(request):
    return StarletteResponse(await apk_route(), media_type="application/json")


async def _s_mixed(request):
    await amixed_route()
    return PlainTextResponse("ok\n")


async def _s_blocking(request):
    await ablocking_route()
    return PlainTextResponse("ok\n")


async def _s_plain(request):
    return PlainTextResponse("ok\n")


async def _s_ready(request):
    await aquery("SELECT 1")
    return PlainTextResponse("ok\n")


async def _s_stats(request):
    return StarletteResponse(json.dumps(STATS.report()), media_type="application/json")


async def _s_stats_reset(request):
    STATS.reset()
    return PlainTextResponse("ok\n")


app = Starlette(lifespan=_lifespan, routes=[
    Route("/sleep", _s_sleep), Route("/pk", _s_pk), Route("/mixed", _s_mixed),
    Route("/blocking", _s_blocking), Route("/plain", _s_plain), Route("/ready", _s_ready),
    Route("/stats", _s_stats), Route("/stats/reset", _s_stats_reset),
])
