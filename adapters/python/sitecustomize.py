"""sheetsim's Python adapter: run an unchanged gspread / google-auth backend against the mock Sheets API.

Put this folder first on PYTHONPATH and set SHEETSIM_SHEETS_URL to the mock's base URL
(`sheetsim adapter python --url URL` prints both). Python imports `sitecustomize` at start-up, so the
backend's own code stays as it is. With SHEETSIM_SHEETS_URL unset this module does nothing.

What it does, each part installed only when its library is imported (nothing is imported eagerly):

* requests (gspread's client is google-auth's AuthorizedSession, a requests.Session; google-auth's token
  refresh also goes through requests): every request to one of Google's API hosts below is sent to the
  mock instead, path and query kept. gspread has no base-URL setting, hence this.
* Starlette / FastAPI: every application's ASGI entry point is wrapped (pure ASGI, no BaseHTTPMiddleware)
  so that the inbound W3C `traceparent` and sheetsim's `x-sheetsim-time` are kept in a ContextVar for
  the request. Sync endpoints run in anyio's threadpool, which copies the context, so they see it too.
* On each Sheets call made while a request is being served, those headers are forwarded, so the mock
  attributes the call to the replayed event. `x-sheetsim-time` (exact mode's virtual clock) is advanced by
  each Sheets response's `x-sheetsim-latency-ms`, so the next call of the same request carries the
  backend's virtual "now" (event start + modelled latency seen). Sleeps of the backend's own (backoff)
  are not seen and not added.

Environment:
  SHEETSIM_SHEETS_URL     the mock's base URL, e.g. http://127.0.0.1:8090 (required to do anything)
  SHEETSIM_ADAPTER_HOSTS  comma-separated hosts to redirect (default: see DEFAULT_HOSTS)
"""

import contextvars
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from urllib.parse import urlsplit

# sheets: the Sheets API. oauth2 / www: Google's token endpoints (a real key file's token_uri) and
# Drive (gspread's open-by-title, create, delete, sharing): the mock serves no Drive API and answers a
# 404, which is better than a test reaching the real Google.
DEFAULT_HOSTS = ("sheets.googleapis.com", "oauth2.googleapis.com", "www.googleapis.com")

# The headers forwarded from the inbound request to Sheets calls.
FORWARDED = ("traceparent", "x-sheetsim-time")

# Sheets calls carry the forwarded headers; token and Drive calls do not (they are not Sheets calls).
SHEETS_HOST = "sheets.googleapis.com"


class Inbound:
    """What one inbound request carries for its Sheets calls; mutable so each call can advance the time."""

    __slots__ = ("traceparent", "time_ms")

    def __init__(self, traceparent, time_ms):
        self.traceparent = traceparent
        self.time_ms = time_ms

    @classmethod
    def from_asgi_headers(cls, headers):
        traceparent = None
        time_ms = None
        for raw_name, raw_value in headers or ():
            name = raw_name.decode("latin-1").lower()
            if name == "traceparent":
                traceparent = raw_value.decode("latin-1").strip()
            elif name == "x-sheetsim-time":
                text = raw_value.decode("latin-1").strip()
                try:
                    time_ms = float(text)
                except ValueError:
                    time_ms = None
        return cls(traceparent, time_ms)

    def headers(self):
        out = {}
        if self.traceparent:
            out["traceparent"] = self.traceparent
        if self.time_ms is not None:
            out["x-sheetsim-time"] = str(int(round(self.time_ms)))
        return out


# The inbound request being served in this context (asyncio task, or a threadpool thread running a copy).
inbound = contextvars.ContextVar("sheetsim_inbound", default=None)


def _target_base():
    url = os.environ.get("SHEETSIM_SHEETS_URL", "").strip()
    return url.rstrip("/") if url else None


def _hosts():
    raw = os.environ.get("SHEETSIM_ADAPTER_HOSTS")
    if raw is None:
        return frozenset(DEFAULT_HOSTS)
    return frozenset(h.strip().lower() for h in raw.split(",") if h.strip())


def rewrite_url(url, base, hosts):
    """The mock's URL for a request to one of `hosts`, else None (the request goes where it was going)."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in hosts:
        return None
    path = parts.path or "/"
    return base + path + ("?" + parts.query if parts.query else "")


def patch_requests(sessions_module):
    """Wrap requests.Session.send: redirect Google hosts to the mock, forward the inbound headers."""
    Session = sessions_module.Session
    if getattr(Session.send, "_sheetsim", False):
        return
    original_send = Session.send
    base = _target_base()
    hosts = _hosts()

    def send(self, request, **kwargs):
        original_host = (urlsplit(request.url).hostname or "").lower()
        target = rewrite_url(request.url, base, hosts)
        if target is None:
            return original_send(self, request, **kwargs)
        request.url = target
        # Proxies were chosen for the Google URL; choose again for the mock's (NO_PROXY applies).
        from requests.utils import get_environ_proxies

        kwargs["proxies"] = get_environ_proxies(target) if self.trust_env else {}
        current = inbound.get() if original_host == SHEETS_HOST else None
        if current is not None:
            for name, value in current.headers().items():
                if name not in request.headers:
                    request.headers[name] = value
        response = original_send(self, request, **kwargs)
        if current is not None and current.time_ms is not None:
            latency = response.headers.get("x-sheetsim-latency-ms")
            try:
                current.time_ms += float(latency) if latency is not None else 0.0
            except ValueError:
                pass
        return response

    send._sheetsim = True
    Session.send = send


def patch_starlette(applications_module):
    """Wrap Starlette.__call__ (FastAPI's calls it too) so each HTTP request's headers land in `inbound`."""
    Starlette = applications_module.Starlette
    if getattr(Starlette.__call__, "_sheetsim", False):
        return
    original_call = Starlette.__call__

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            return await original_call(self, scope, receive, send)
        token = inbound.set(Inbound.from_asgi_headers(scope.get("headers")))
        try:
            return await original_call(self, scope, receive, send)
        finally:
            inbound.reset(token)

    __call__._sheetsim = True
    Starlette.__call__ = __call__


class _PatchingLoader(importlib.abc.Loader):
    """Runs the real loader, then the patch, once the module's code has run."""

    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._patch(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _PostImportHooks(importlib.abc.MetaPathFinder):
    """Patch a module right after its first import, so importing this adapter costs nothing else."""

    def __init__(self, patches):
        self._patches = dict(patches)

    def find_spec(self, fullname, path, target=None):
        patch = self._patches.get(fullname)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        del self._patches[fullname]
        spec.loader = _PatchingLoader(spec.loader, patch)
        return spec


def _chain_next_sitecustomize():
    """Run the sitecustomize this one shadows (e.g. a distribution's), as Python would have without us."""
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.origin is None or os.path.abspath(spec.origin) == os.path.abspath(__file__):
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


def install():
    """Install the patches (now for modules already imported, on first import for the others)."""
    if _target_base() is None:
        return False
    patches = {"requests.sessions": patch_requests, "starlette.applications": patch_starlette}
    pending = {}
    for name, patch in patches.items():
        module = sys.modules.get(name)
        if module is not None:
            patch(module)
        else:
            pending[name] = patch
    if pending:
        sys.meta_path.insert(0, _PostImportHooks(pending))
    return True


try:
    _chain_next_sitecustomize()
except Exception as err:  # a broken shadowed sitecustomize must not stop the backend; Python would only warn too
    sys.stderr.write("sheetsim adapter: the shadowed sitecustomize failed: %r\n" % (err,))

install()
