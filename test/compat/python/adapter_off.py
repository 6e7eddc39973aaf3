"""With SHEETSIM_SHEETS_URL unset the adapter is imported (it is on PYTHONPATH) but patches nothing."""

import builtins
import sys

import requests
import starlette.applications

emit_patched = {
    "sitecustomize": getattr(sys.modules.get("sitecustomize"), "__file__", None),
    "send_patched": getattr(requests.Session.send, "_sheetsim", False),
    "starlette_patched": getattr(starlette.applications.Starlette.__call__, "_sheetsim", False),
    # A sitecustomize further on PYTHONPATH (a distribution's, a user's) still runs: the adapter chains to it.
    "shadowed_ran": getattr(builtins, "SHEETSIM_COMPAT_SHADOWED", False),
}
import json

print(json.dumps(emit_patched, sort_keys=True))
