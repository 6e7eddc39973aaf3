"""A 429 from the mock's per-user quota, as gspread raises it (no retry: gspread's plain client)."""

from compat import api_error, client, emit, spreadsheet_id

gc = client()
sh = gc.open_by_key(spreadsheet_id())  # read 1 (spreadsheets.get)
ws = sh.worksheet("Metadata")  # read 2: gspread fetches the metadata again
statuses = []
errors = []
for i in range(3):
    err = api_error(lambda: ws.update([["w%d" % i]], "A2"))
    statuses.append(429 if err else 200)
    if err:
        errors.append(err)
read_error = api_error(lambda: ws.get("A1"))
emit({"write_statuses": statuses, "write_error": errors[0] if errors else None, "read_error": read_error})
