"""Shared by the compatibility scripts: the gspread client of the founding users' flow, and JSON output.

The scripts observe; test/compat/gspread.test.ts asserts. Each prints one JSON object on stdout. Python types
that JSON would blur (int vs float) are reported by name with `typed`.
"""

import json
import os
import sys

import gspread


def client():
    """gspread's service-account flow, unchanged: the key file's token_uri is the mock's /token."""
    return gspread.service_account(filename=os.environ["SHEETSIM_COMPAT_CREDENTIALS"])


def spreadsheet_id():
    return os.environ["SHEETSIM_COMPAT_SPREADSHEET"]


def typed(value):
    """[type name, value] for a scalar, recursively for lists (what gspread handed the caller)."""
    if isinstance(value, list):
        return [typed(v) for v in value]
    return [type(value).__name__, value]


def api_error(call):
    """Run `call`; the APIError it raises as plain data, or None when it did not raise."""
    try:
        call()
    except gspread.exceptions.APIError as err:
        return {
            "class": type(err).__name__,
            "code": err.code,
            "status": err.error.get("status"),
            "message": err.error.get("message"),
            "http_status": err.response.status_code,
        }
    return None


def emit(result):
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
