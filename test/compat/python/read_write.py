"""gspread 6.2.1 against the mock: open, read with render options, every write method, dates and formats."""

import gspread
from gspread.cell import Cell
from gspread.utils import DateTimeOption, ValueInputOption, ValueRenderOption

from compat import api_error, client, emit, spreadsheet_id, typed

gc = client()
out = {"version": gspread.__version__}

sh = gc.open_by_key(spreadsheet_id())
out["open_by_key"] = {"id": sh.id, "title": sh.title, "worksheets": [ws.title for ws in sh.worksheets()]}
ws = sh.worksheet("Operaciones")
out["worksheet"] = {"title": ws.title, "id": ws.id, "row_count": ws.row_count, "col_count": ws.col_count}

# Reads: padded list of lists, a ValueRange, and every render option on the formatted columns.
out["get_all_values"] = ws.get_all_values()
out["get_all_records"] = ws.get_all_records()
vr = ws.get("A1:D3")
out["get"] = {"class": type(vr).__name__, "range": vr.range, "major_dimension": vr.major_dimension, "values": vr}
out["get_unformatted_serial"] = typed(ws.get("B2:C2", value_render_option=ValueRenderOption.unformatted))
out["get_unformatted_string"] = typed(
    ws.get("B2:C2", value_render_option=ValueRenderOption.unformatted, date_time_render_option=DateTimeOption.formatted_string)
)
out["get_formula"] = typed(ws.get("C2:C3", value_render_option=ValueRenderOption.formula))
out["get_columns"] = ws.get("A1:B2", major_dimension="COLUMNS")
out["acell"] = ws.acell("C2").value
out["row_values"] = ws.row_values(2)
out["col_values"] = ws.col_values(1)
batch = ws.batch_get(["A1:B1", "C2:C3", "Z900:Z901"], value_render_option=ValueRenderOption.unformatted)
out["batch_get"] = [{"range": r.range, "major_dimension": r.major_dimension, "values": typed(list(r))} for r in batch]

# Writes, each with the response gspread returns to the caller.
meta = sh.worksheet("Metadata")
out["update"] = meta.update([["u1", "u2"], ["u3", "u4"]], "A2:B3")
out["update_user_entered"] = meta.update([["02-03-2026 10:15:00", "5%", "'0042", "7"]], "C2", value_input_option=ValueInputOption.user_entered)
# A formula is stored as typed (FORMULA render); the mock does not evaluate it (docs/fidelity.md), so only that is read.
sh.worksheet("My Sheet").update([["=1+1"]], "C1", value_input_option=ValueInputOption.user_entered)
out["formula"] = sh.worksheet("My Sheet").get("C1", value_render_option=ValueRenderOption.formula)
out["update_echo"] = meta.update([["e"]], "A9", include_values_in_response=True)
out["batch_update"] = meta.batch_update(
    [{"range": "A4", "values": [["b1"]]}, {"range": "B4:C4", "values": [["b2", 3]]}],
    value_input_option=ValueInputOption.user_entered,
)
out["append_row"] = meta.append_row(["r1", 1, True])
out["append_rows"] = meta.append_rows([["r2", 2.5], ["r3", ""]], value_input_option=ValueInputOption.user_entered)
out["update_cell"] = meta.update_cell(7, 4, "13-05-2026")
cells = [Cell(8, 1, "c1"), Cell(8, 2, "c2"), Cell(9, 2, "c3")]
out["update_cells"] = meta.update_cells(cells)
out["after_writes"] = meta.get_all_values()
out["after_writes_unformatted"] = typed(meta.get("C2:F2", value_render_option=ValueRenderOption.unformatted))

# Production dates: typed into the date-time column with USER_ENTERED, read back three ways.
ws.update_cell(3, 2, "02-03-2026 10:15:00")
out["date_time_roundtrip"] = {
    "formatted": ws.acell("B3").value,
    "serial": typed(ws.get("B3", value_render_option=ValueRenderOption.unformatted)),
    "string": typed(ws.get("B3", value_render_option=ValueRenderOption.unformatted, date_time_render_option=DateTimeOption.formatted_string)),
}
# Sheet management the mock serves, and what it refuses (Drive, unsupported batchUpdate kinds) as APIError.
added = sh.add_worksheet("Extra", rows=5, cols=3)
added.update_title("Extra2")
added.add_rows(2)
found = ws.find("OT-002")
out["manage"] = {
    "added": [added.title, added.row_count, added.col_count],
    "titles_after_add": [w.title for w in sh.worksheets()],
    "find": [found.row, found.col, found.value],
}
sh.del_worksheet(added)
out["manage"]["titles_after_delete"] = [w.title for w in sh.worksheets()]
meta.batch_clear(["A8:B9"])
out["manage"]["after_batch_clear"] = meta.get("A8:B9")
out["refused"] = {
    "open_by_title": api_error(lambda: gc.open("ZEUES test")),
    "insert_row": api_error(lambda: ws.insert_row(["x"], 2)),
}
emit(out)
