"""Google's size limits as gspread (requests over http.client, which sends the whole body first) meets them."""

from compat import api_error, client, emit, spreadsheet_id

gc = client()
ws = gc.open_by_key(spreadsheet_id()).worksheet("Metadata")
big_body = [["x" * 40_000] * 10 for _ in range(28)]  # 11.2 MB of JSON
emit({
    "body_11mb": api_error(lambda: ws.update(big_body, "A2")),
    "cell_50001": api_error(lambda: ws.update([["y" * 50_001]], "A2")),
    "url_100kb": api_error(lambda: ws.batch_get(["A%d" % (i + 1) for i in range(5000)])),
    "still_serving": ws.get("A1"),
})
