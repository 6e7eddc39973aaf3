"""A tiny backend in the founding users' shape, for sheetsim's end-to-end compatibility test.

FastAPI + gspread 6.2.1 + google-auth (service account) under uvicorn, configured the way theirs is:
GOOGLE_SHEET_ID, GOOGLE_APPLICATION_CREDENTIALS_JSON (the key file's JSON *content*) and GOOGLE_AUDIT_SHEET_ID;
it refuses to boot without any of them. It knows nothing of sheetsim: gspread talks to https://sheets.googleapis.com
and only the adapter (sitecustomize on PYTHONPATH) sends it to the mock. Like theirs, it keeps wall-clock time
(datetime.now in America/Santiago) and random uuids, and its `async def` endpoints call synchronous gspread.

Endpoints (docs/contract.md, reduced): GET /api/health, POST /api/v4/occupation/iniciar and /finalizar,
GET /api/v4/uniones/{tag}/disponibles and /metricas. A union's id is `{OT}+{N_UNION}` from the OT column, and
rows whose N_UNION is outside 1..20 are skipped, as the real model does.
"""

import json
import os
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import gspread
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from gspread.utils import rowcol_to_a1
from pydantic import BaseModel


def _required(name):
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(f"{name} is not set: this backend refuses to boot without it")
    return value


SHEET_ID = _required("GOOGLE_SHEET_ID")
AUDIT_SHEET_ID = _required("GOOGLE_AUDIT_SHEET_ID")
CREDENTIALS = json.loads(_required("GOOGLE_APPLICATION_CREDENTIALS_JSON"))
TZ = ZoneInfo("America/Santiago")
AUDIT_TABS = ("Lista", "Audit", "Snapshots_Legacy")

gc = gspread.service_account_from_dict(CREDENTIALS)
book = gc.open_by_key(SHEET_ID)
audit = gc.open_by_key(AUDIT_SHEET_ID)
missing = [t for t in AUDIT_TABS if t not in [w.title for w in audit.worksheets()]]
if missing:
    raise RuntimeError(f"audit spreadsheet {AUDIT_SHEET_ID} lacks {missing}")

operaciones = book.worksheet("Operaciones")
uniones = book.worksheet("Uniones")
metadata = book.worksheet("Metadata")
trabajadores = book.worksheet("Trabajadores")

# Boot reads, as theirs does once per process: headers, the tag → row map, the OT → union rows map, the workers.
OP_HEADER = operaciones.row_values(1)
OP_COL = {name: i for i, name in enumerate(OP_HEADER)}
TAG_ROW = {tag: i + 2 for i, tag in enumerate(operaciones.col_values(OP_COL["TAG_SPOOL"] + 1)[1:]) if tag}
UN_ROWS = uniones.get_all_values()
UN_COL = {name: i for i, name in enumerate(UN_ROWS[0])}
OT_UNION_ROWS = {}
for r, row in enumerate(UN_ROWS[1:], start=2):
    OT_UNION_ROWS.setdefault(row[UN_COL["OT"]], []).append(r)
WORKERS = {}
for row in trabajadores.get_all_values()[1:]:
    if len(row) >= 5 and row[4].upper() == "TRUE":
        WORKERS[int(row[0])] = f"{row[1][:1].upper()}{row[2][:1].upper()}({row[0]})"

app = FastAPI()


class IniciarRequest(BaseModel):
    tag_spool: str
    worker_id: int
    worker_nombre: str
    operacion: str


class FinalizarRequest(BaseModel):
    tag_spool: str
    worker_id: int
    operacion: str
    selected_unions: list[str] = []


def now():
    t = datetime.now(TZ)
    return t.strftime("%d-%m-%Y %H:%M:%S"), t.strftime("%d-%m-%Y")


def detail(status, message):
    return JSONResponse(status_code=status, content={"detail": message})


def spool_row(tag):
    row = TAG_ROW.get(tag)
    if row is None:
        return None, None
    values = operaciones.row_values(row)
    values += [""] * (len(OP_HEADER) - len(values))
    return row, values


def op_cell(row, name):
    return rowcol_to_a1(row, OP_COL[name] + 1)


def occupation_range(row):
    # Ocupado_Por, Fecha_Ocupacion and version are adjacent (BO:BQ).
    return f"{op_cell(row, 'Ocupado_Por')}:{op_cell(row, 'version')}"


def unions_of(ot):
    """The OT's unions as (sheet row, id, n, dn, tipo, arm_done, sol_done); N outside 1..20 is skipped."""
    rows = OT_UNION_ROWS.get(ot, [])
    if not rows:
        return []
    first, last = rows[0], rows[-1]
    # Unformatted: numbers as numbers whatever the sheet's locale renders (es_CL writes 0,5).
    values = uniones.get(f"A{first}:L{last}", value_render_option=gspread.utils.ValueRenderOption.unformatted)
    out = []
    for offset, row in enumerate(values):
        row = list(row) + [""] * (12 - len(row))
        try:
            n = int(row[UN_COL["N_UNION"]])
        except (TypeError, ValueError):
            continue
        if not 1 <= n <= 20 or str(row[UN_COL["OT"]]) != ot:
            continue
        out.append({
            "row": first + offset,
            "id": f"{row[UN_COL['OT']]}+{n}",
            "n": n,
            "dn": float(row[UN_COL["DN_UNION"]] or 0),
            "tipo": row[UN_COL["TIPO_UNION"]],
            "arm": row[UN_COL["ARM_FECHA_FIN"]] != "",
            "sol": row[UN_COL["SOL_FECHA_FIN"]] != "",
        })
    return out


def sheets_error(err):
    code = err.response.status_code if getattr(err, "response", None) is not None else 500
    return detail(503, f"Error al actualizar Google Sheets: {code}")


@app.get("/api/health")
async def health():
    return {"status": "healthy", "sheets_connection": "ok", "audit_tabs": list(AUDIT_TABS)}


@app.post("/api/v4/occupation/iniciar")
async def iniciar(req: IniciarRequest):
    try:
        row, values = spool_row(req.tag_spool)
        if row is None:
            return detail(404, f"Spool {req.tag_spool} not found")
        if values[OP_COL["Ocupado_Por"]]:
            return detail(409, {"error": "SPOOL_OCCUPIED", "occupied_by": values[OP_COL["Ocupado_Por"]]})
        stamp, day = now()
        token = str(uuid.uuid4())
        operaciones.batch_update([{"range": occupation_range(row), "values": [[req.worker_nombre, stamp, token]]}], value_input_option="USER_ENTERED")
        metadata.append_row(
            [str(uuid.uuid4()), stamp, "INICIAR_SPOOL", req.tag_spool, str(req.worker_id), req.worker_nombre, req.operacion, "INICIAR", day,
             json.dumps({"lock_token": token, "fecha_ocupacion": stamp, "v4_operation": "INICIAR"}), ""],
            value_input_option="USER_ENTERED",
        )
    except gspread.exceptions.APIError as err:
        return sheets_error(err)
    return {"success": True, "tag_spool": req.tag_spool, "message": f"Spool {req.tag_spool} iniciado por {req.worker_nombre}",
            "action_taken": None, "unions_processed": None, "pulgadas": None, "metrologia_triggered": None, "new_state": None}


@app.post("/api/v4/occupation/finalizar")
async def finalizar(req: FinalizarRequest):
    try:
        row, values = spool_row(req.tag_spool)
        if row is None:
            return detail(404, f"Spool {req.tag_spool} not found")
        worker = WORKERS.get(req.worker_id)
        if worker is None:
            return detail(404, f"Worker {req.worker_id} not found")
        if not values[OP_COL["Ocupado_Por"]].endswith(f"({req.worker_id})"):
            return detail(403, {"error": "NO_AUTORIZADO", "message": "Worker doesn't own this spool"})
        stamp, day = now()
        clear = {"range": occupation_range(row), "values": [["", "", str(uuid.uuid4())]]}
        if not req.selected_unions:
            operaciones.batch_update([clear], value_input_option="USER_ENTERED")
            metadata.append_row([str(uuid.uuid4()), stamp, "SPOOL_CANCELADO", req.tag_spool, str(req.worker_id), worker, req.operacion, "CANCELAR", day,
                                 json.dumps({"reason": "zero_unions_selected"}), ""], value_input_option="USER_ENTERED")
            return {"success": True, "tag_spool": req.tag_spool, "message": "Trabajo cancelado - sin uniones seleccionadas", "action_taken": "CANCELADO",
                    "unions_processed": 0, "pulgadas": None, "metrologia_triggered": False, "new_state": None}
        unions = unions_of(values[OP_COL["OT"]])
        by_id = {u["id"]: u for u in unions}
        unknown = [i for i in req.selected_unions if i not in by_id]
        if unknown:
            return detail(503, f"Union IDs not found: {unknown}")
        arm = req.operacion == "ARM"
        selected = [by_id[i] for i in dict.fromkeys(req.selected_unions)]
        if any((u["arm"] if arm else (u["sol"] or not u["arm"])) for u in selected):
            return detail(409, {"error": "UNIONS_UNAVAILABLE"})
        date_col, worker_col = ("ARM_FECHA_FIN", "ARM_WORKER") if arm else ("SOL_FECHA_FIN", "SOL_WORKER")
        cells = []
        for u in selected:
            cells.append({"range": rowcol_to_a1(u["row"], UN_COL[date_col] + 1), "values": [[stamp]]})
            cells.append({"range": rowcol_to_a1(u["row"], UN_COL[worker_col] + 1), "values": [[worker]]})
        uniones.batch_update(cells, value_input_option="USER_ENTERED")
        evento = "UNION_ARM_REGISTRADA" if arm else "UNION_SOLD_REGISTRADA"
        ids = [u["id"] for u in selected]
        rows = [[str(uuid.uuid4()), stamp, evento, req.tag_spool, str(req.worker_id), worker, req.operacion, "COMPLETAR", day,
                 json.dumps({"union_count": len(ids), "pulgadas": round(sum(u["dn"] for u in selected), 1), "union_ids": ids}), ""]]
        rows += [[str(uuid.uuid4()), stamp, evento, req.tag_spool, str(req.worker_id), worker, req.operacion, "COMPLETAR", day,
                  json.dumps({"union_id": u["id"]}), u["n"]] for u in selected]
        metadata.append_rows(rows, value_input_option="USER_ENTERED")
        operaciones.batch_update([clear], value_input_option="USER_ENTERED")
    except gspread.exceptions.APIError as err:
        return sheets_error(err)
    done = set(ids)
    if arm:
        complete = all(u["arm"] or u["id"] in done for u in unions)
    else:
        complete = all(u["sol"] or u["id"] in done or u["tipo"] not in ("BW", "BR", "SO", "FILL", "LET") for u in unions)
    action = "COMPLETAR" if complete else "PAUSAR"
    message = f"Operación completada - {len(ids)} uniones procesadas" if complete else f"Trabajo pausado - {len(ids)} uniones procesadas"
    return {"success": True, "tag_spool": req.tag_spool, "message": message, "action_taken": action, "unions_processed": len(ids),
            "pulgadas": None, "metrologia_triggered": False, "new_state": None}


@app.get("/api/v4/uniones/{tag}/disponibles")
async def disponibles(tag: str, operacion: str):
    try:
        row, values = spool_row(tag)
        if row is None:
            return detail(404, f"Spool {tag} not found")
        unions = unions_of(values[OP_COL["OT"]])
    except gspread.exceptions.APIError as err:
        return sheets_error(err)
    arm = operacion == "ARM"
    listed = [u for u in unions if (not u["arm"] if arm else (u["arm"] and not u["sol"]))]
    return {"tag_spool": tag, "operacion": operacion, "count": len(listed),
            "unions": [{"id": u["id"], "n_union": u["n"], "dn_union": u["dn"], "tipo_union": u["tipo"]} for u in listed]}


@app.get("/api/v4/uniones/{tag}/metricas")
async def metricas(tag: str):
    try:
        row, values = spool_row(tag)
        if row is None:
            return detail(404, f"Spool {tag} not found")
        unions = unions_of(values[OP_COL["OT"]])
    except gspread.exceptions.APIError as err:
        return sheets_error(err)
    if not unions:
        return detail(404, f"No unions found for spool {tag}")
    return {"tag_spool": tag, "total_uniones": len(unions), "arm_completadas": sum(u["arm"] for u in unions),
            "sold_completadas": sum(u["sol"] for u in unions),
            "pulgadas_arm": round(sum(u["dn"] for u in unions if u["arm"]), 2),
            "pulgadas_sold": round(sum(u["dn"] for u in unions if u["sol"]), 2)}
