"""The aiohttp app of the database series (an asyncpg pool), for gunicorn's aiohttp
worker: `dbapp_aiohttp:app_factory`. Routes in dbapps.py."""

from __future__ import annotations

import json

from aiohttp import web

from dbapps import (STATS, ablocking_route, amixed_route, apk_route, aquery, asleep_route, close_apool,
                    open_apool)


async def app_factory():
    """The application factory gunicorn's aiohttp worker awaits."""
    def text(body: str = "ok\n"):
        return web.Response(text=body)

    async def sleep(request):
        await asleep_route()
        return text()

    async def pk(request):
        return web.Response(text=await apk_route(), content_type="application/json")

    async def mixed(request):
        await amixed_route()
        return text()

    async def blocking(request):
        await ablocking_route()
        return text()

    async def plain(request):
        return text()

    async def ready(request):
        await aquery("SELECT 1")
        return text()

    async def stats(request):
        return web.Response(text=json.dumps(STATS.report()), content_type="application/json")

    async def stats_reset(request):
        STATS.reset()
        return text()

    async def pool_ctx(app):
        await open_apool()
        yield
        await close_apool()

    app = web.Application()
    app.cleanup_ctx.append(pool_ctx)
    for path, handler in (("/sleep", sleep), ("/pk", pk), ("/mixed", mixed), ("/blocking", blocking),
                          ("/plain", plain), ("/ready", ready), ("/stats", stats),
                          ("/stats/reset", stats_reset)):
        app.router.add_get(path, handler)
    return app
