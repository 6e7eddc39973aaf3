"""The adapter's Starlette/FastAPI path without a server: requests are driven through the ASGI interface.

A sync endpoint (run in FastAPI's threadpool) and an async one read the workbook with gspread; the inbound
traceparent and x-sheetsim-time must reach the mock on their Sheets calls, and nothing when the request has none.
"""

import asyncio
import sys

import requests
from fastapi import FastAPI

from compat import client, emit, spreadsheet_id

gc = client()
sh = gc.open_by_key(spreadsheet_id())  # at boot: no inbound request, nothing to forward
app = FastAPI()


@app.get("/sync")
def sync_endpoint():
    ws = sh.worksheet("Operaciones")
    ws.get("A1")
    ws.get("A2")
    return {"ok": True}


@app.get("/async")
async def async_endpoint():
    sh.values_get("Metadata!A1")
    return {"ok": True}


async def call(path, headers):
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
    }
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"]


async def main():
    statuses = [
        await call("/sync", {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "x-sheetsim-time": "1772449200000"}),
        await call("/async", {"traceparent": "00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}),
        await call("/sync", {}),
    ]
    return statuses


statuses = asyncio.run(main())
emit({
    "statuses": statuses,
    "send_patched": getattr(requests.Session.send, "_sheetsim", False),
    "sitecustomize": sys.modules["sitecustomize"].__file__,
})
