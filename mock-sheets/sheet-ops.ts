/**
 * spreadsheets.get / create / batchUpdate against the store: the Spreadsheet resource as Google shapes it, and the
 * sheet-level requests the mock supports (addSheet, deleteSheet, updateSheetProperties). Any other request kind is
 * a clear 400 naming it.
 */
import seedrandom from 'seedrandom';
import { badRequest, invalidPayload } from './errors.ts';
import { resolveRange } from './ranges.ts';
import { DEFAULT_LOCALE, DEFAULT_TIME_ZONE, sheetIdFor, type SheetRow, type SheetsStore, type SpreadsheetRow } from './store.ts';
import { checkCellLimit } from './value-ops.ts';
import { bodyObject } from './wire.ts';

/** SheetProperties as Google answers them. */
export interface SheetPropertiesOut {
  sheetId: number;
  title: string;
  index: number;
  sheetType: 'GRID';
  gridProperties: { rowCount: number; columnCount: number };
  hidden?: boolean;
}

/** Google's SheetProperties for a stored sheet. */
export function sheetProperties(sheet: SheetRow): SheetPropertiesOut {
  const out: SheetPropertiesOut = {
    sheetId: sheet.sheetId,
    title: sheet.title,
    index: sheet.index,
    sheetType: 'GRID',
    gridProperties: { rowCount: sheet.rowCount, columnCount: sheet.columnCount },
  };
  if (sheet.hidden) out.hidden = true;
  return out;
}

/** The Spreadsheet resource (spreadsheets.get); `ranges` limits the sheets listed to those the ranges name. */
export function spreadsheetResource(spreadsheet: SpreadsheetRow, sheets: readonly SheetRow[], ranges: string[] = []): object {
  let listed = sheets;
  if (ranges.length > 0) {
    const wanted = new Set(ranges.map((r) => resolveRange(sheets, r, true).sheet.sid));
    listed = sheets.filter((s) => wanted.has(s.sid));
  }
  return {
    spreadsheetId: spreadsheet.id,
    properties: {
      title: spreadsheet.title,
      locale: spreadsheet.locale,
      autoRecalc: 'ON_CHANGE',
      timeZone: spreadsheet.timeZone,
      defaultFormat: {
        backgroundColor: { red: 1, green: 1, blue: 1 },
        padding: { top: 2, right: 3, bottom: 2, left: 3 },
        verticalAlignment: 'BOTTOM',
        wrapStrategy: 'OVERFLOW_CELL',
        textFormat: { foregroundColor: {}, fontFamily: 'arial,sans,sans-serif', fontSize: 10, bold: false, italic: false, strikethrough: false, underline: false },
      },
    },
    sheets: listed.map((sheet) => ({ properties: sheetProperties(sheet) })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${spreadsheet.id}/edit`,
  };
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A 44-character spreadsheet id, reproducible for a seed and the number of spreadsheets already stored. */
export function newSpreadsheetId(seed: number, ordinal: number): string {
  const random = seedrandom(`${seed}:spreadsheet:${ordinal}`);
  let id = '1';
  while (id.length < 44) id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length)];
  return id;
}

function gridOf(raw: unknown, at: string): { rowCount?: number; columnCount?: number } {
  if (raw === undefined) return {};
  const grid = bodyObject(raw, ['rowCount', 'columnCount', 'frozenRowCount', 'frozenColumnCount', 'hideGridlines'], at);
  const out: { rowCount?: number; columnCount?: number } = {};
  for (const key of ['rowCount', 'columnCount'] as const) {
    const value = grid[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw invalidPayload(`Invalid value at '${at}.${key}': expected a positive whole number, got ${JSON.stringify(value)}.`);
    }
    out[key] = value;
  }
  return out;
}

interface SheetPropsIn {
  sheetId?: number;
  title?: string;
  index?: number;
  hidden?: boolean;
  rowCount?: number;
  columnCount?: number;
}

const SHEET_PROPERTY_FIELDS = ['sheetId', 'title', 'index', 'sheetType', 'gridProperties', 'hidden', 'tabColor', 'tabColorStyle', 'rightToLeft'];

function sheetPropsOf(raw: unknown, at: string): SheetPropsIn {
  const obj = bodyObject(raw ?? {}, SHEET_PROPERTY_FIELDS, at);
  const out: SheetPropsIn = {};
  if (obj.sheetId !== undefined) {
    if (typeof obj.sheetId !== 'number' || !Number.isInteger(obj.sheetId) || obj.sheetId < 0) {
      throw invalidPayload(`Invalid value at '${at}.sheetId': expected a whole number, got ${JSON.stringify(obj.sheetId)}.`);
    }
    out.sheetId = obj.sheetId;
  }
  if (obj.title !== undefined) {
    if (typeof obj.title !== 'string') throw invalidPayload(`Invalid value at '${at}.title': expected a string, got ${JSON.stringify(obj.title)}.`);
    out.title = obj.title;
  }
  if (obj.index !== undefined) {
    if (typeof obj.index !== 'number' || !Number.isInteger(obj.index) || obj.index < 0) {
      throw invalidPayload(`Invalid value at '${at}.index': expected a whole number, got ${JSON.stringify(obj.index)}.`);
    }
    out.index = obj.index;
  }
  if (obj.hidden !== undefined) {
    if (typeof obj.hidden !== 'boolean') throw invalidPayload(`Invalid value at '${at}.hidden': expected true or false, got ${JSON.stringify(obj.hidden)}.`);
    out.hidden = obj.hidden;
  }
  if (obj.sheetType !== undefined && obj.sheetType !== 'GRID') {
    throw badRequest(`Invalid value at '${at}.sheetType': sheetsim supports only GRID sheets, got ${JSON.stringify(obj.sheetType)}`);
  }
  return { ...out, ...gridOf(obj.gridProperties, `${at}.gridProperties`) };
}

/** spreadsheets.create: a new spreadsheet (default one `Sheet1` of 1000×26) with a seeded id. */
export function createSpreadsheet(store: SheetsStore, seed: number, body: unknown): object {
  const obj = bodyObject(body, ['spreadsheetId', 'properties', 'sheets', 'namedRanges', 'developerMetadata', 'dataSources']);
  const props = bodyObject(obj.properties ?? {}, ['title', 'locale', 'timeZone', 'autoRecalc', 'defaultFormat', 'iterativeCalculationSettings', 'spreadsheetTheme'], 'properties');
  if (props.title !== undefined && typeof props.title !== 'string') throw invalidPayload(`Invalid value at 'properties.title': expected a string.`);
  const rawSheets = obj.sheets ?? [];
  if (!Array.isArray(rawSheets)) throw invalidPayload(`Invalid value at 'sheets': expected an array of sheets.`);
  let ordinal = store.spreadsheetCount();
  let id = newSpreadsheetId(seed, ordinal);
  while (store.spreadsheet(id)) id = newSpreadsheetId(seed, ++ordinal);
  const sheets = (rawSheets.length === 0 ? [{ properties: {} }] : rawSheets).map((raw, i) => {
    const wrapper = bodyObject(raw, ['properties', 'data', 'merges', 'conditionalFormats', 'filterViews', 'protectedRanges', 'basicFilter', 'charts'], `sheets[${i}]`);
    const p = sheetPropsOf(wrapper.properties, `sheets[${i}].properties`);
    const title = p.title ?? `Sheet${i + 1}`;
    return { sheetId: p.sheetId ?? (i === 0 ? 0 : sheetIdFor(id, title)), title, rowCount: p.rowCount ?? 1000, columnCount: p.columnCount ?? 26, hidden: p.hidden ?? false };
  });
  const titles = new Set<string>();
  for (const sheet of sheets) {
    if (titles.has(sheet.title)) throw badRequest(`Invalid sheets: A sheet with the name "${sheet.title}" already exists. Please enter another name.`);
    titles.add(sheet.title);
  }
  const row: SpreadsheetRow = {
    id,
    title: typeof props.title === 'string' ? props.title : 'Untitled spreadsheet',
    locale: typeof props.locale === 'string' ? props.locale : DEFAULT_LOCALE,
    timeZone: typeof props.timeZone === 'string' ? props.timeZone : DEFAULT_TIME_ZONE,
  };
  const stored = store.createSpreadsheet(row, sheets);
  checkCellLimit(stored, stored[0]!);
  return spreadsheetResource(row, stored);
}

const SUPPORTED_REQUESTS = ['addSheet', 'deleteSheet', 'updateSheetProperties'];

function kindOf(request: unknown, i: number): [string, unknown] {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw invalidPayload(`Invalid value at 'requests[${i}]': expected an object with one request kind, got ${JSON.stringify(request)}.`);
  }
  const keys = Object.keys(request);
  if (keys.length !== 1) throw badRequest(`Invalid requests[${i}]: expected exactly one request kind, got ${keys.length === 0 ? 'none' : keys.join(', ')}`);
  const kind = keys[0]!;
  if (!SUPPORTED_REQUESTS.includes(kind)) {
    throw badRequest(`Invalid requests[${i}]: sheetsim does not support '${kind}' (supported: ${SUPPORTED_REQUESTS.join(', ')}; see docs/fidelity.md)`);
  }
  return [kind, (request as Record<string, unknown>)[kind]];
}

function findSheet(sheets: readonly SheetRow[], sheetId: unknown, where: string): SheetRow {
  const sheet = sheets.find((s) => s.sheetId === sheetId);
  if (!sheet) throw badRequest(`${where}No grid with id: ${String(sheetId)}`);
  return sheet;
}

/** Renumber tab indexes 0..n-1 in the given order. */
function reindex(store: SheetsStore, ordered: readonly SheetRow[]): void {
  ordered.forEach((sheet, index) => {
    if (sheet.index !== index) store.updateSheet({ ...sheet, index });
  });
}

/** spreadsheets.batchUpdate: apply every request in order (the caller's transaction makes it all or nothing). */
export function batchUpdateSpreadsheet(store: SheetsStore, spreadsheet: SpreadsheetRow, body: unknown): { replies: object[]; cells: number } {
  const obj = bodyObject(body, ['requests', 'includeSpreadsheetInResponse', 'responseRanges', 'responseIncludeGridData']);
  const requests = obj.requests ?? [];
  if (!Array.isArray(requests)) throw invalidPayload(`Invalid value at 'requests': expected an array of requests.`);
  if (requests.length === 0) throw badRequest('Must specify at least one request.');
  const kinds = requests.map((r, i) => kindOf(r, i));
  const replies: object[] = [];
  kinds.forEach(([kind, payload], i) => {
    const where = `Invalid requests[${i}].${kind}: `;
    const sheets = store.sheets(spreadsheet.id);
    if (kind === 'addSheet') {
      const req = bodyObject(payload ?? {}, ['properties'], `requests[${i}].addSheet`);
      const p = sheetPropsOf(req.properties, `requests[${i}].addSheet.properties`);
      let n = sheets.length + 1;
      while (sheets.some((s) => s.title === `Sheet${n}`)) n++;
      const title = p.title ?? `Sheet${n}`;
      if (sheets.some((s) => s.title === title)) throw badRequest(`${where}A sheet with the name "${title}" already exists. Please enter another name.`);
      let sheetId = p.sheetId ?? sheetIdFor(spreadsheet.id, title);
      if (p.sheetId !== undefined && sheets.some((s) => s.sheetId === sheetId)) throw badRequest(`${where}Sheet with id ${sheetId} already exists.`);
      while (sheets.some((s) => s.sheetId === sheetId)) sheetId++;
      const newSheet = { sheetId, title, rowCount: p.rowCount ?? 1000, columnCount: p.columnCount ?? 26, hidden: p.hidden ?? false };
      checkCellLimit([...sheets, { ...newSheet, sid: -1, spreadsheetId: spreadsheet.id, index: 0 }], { ...newSheet, sid: -1, spreadsheetId: spreadsheet.id, index: 0 }, where);
      const added = store.addSheet(spreadsheet.id, newSheet, p.index ?? sheets.length);
      replies.push({ addSheet: { properties: sheetProperties(added) } });
    } else if (kind === 'deleteSheet') {
      const req = bodyObject(payload ?? {}, ['sheetId'], `requests[${i}].deleteSheet`);
      const sheet = findSheet(sheets, req.sheetId, where);
      if (sheets.length === 1) throw badRequest(`${where}You can't remove all the sheets in a document.`);
      store.deleteSheet(sheet.sid);
      reindex(store, sheets.filter((s) => s.sid !== sheet.sid));
      replies.push({});
    } else {
      const req = bodyObject(payload ?? {}, ['properties', 'fields'], `requests[${i}].updateSheetProperties`);
      if (typeof req.fields !== 'string' || req.fields.trim() === '') throw badRequest(`${where}At least one field must be updated, but 'fields' is empty.`);
      const p = sheetPropsOf(req.properties, `requests[${i}].updateSheetProperties.properties`);
      const sheet = findSheet(sheets, p.sheetId ?? 0, where);
      // gspread's resize() writes the mask path with '/' (`gridProperties/rowCount`); Google accepts it as '.'.
      const fields = req.fields.split(',').map((f) => f.trim().replaceAll('/', '.'));
      const has = (name: string): boolean => fields.includes('*') || fields.includes(name) || (name.startsWith('gridProperties.') && fields.includes('gridProperties'));
      const updated: SheetRow = { ...sheet };
      for (const field of fields) {
        if (!['*', 'title', 'index', 'hidden', 'gridProperties', 'gridProperties.rowCount', 'gridProperties.columnCount', 'sheetId'].includes(field)) {
          throw badRequest(`${where}sheetsim does not support updating '${field}' (supported: title, index, hidden, gridProperties.rowCount, gridProperties.columnCount)`);
        }
      }
      if (has('title') && p.title !== undefined && p.title !== sheet.title) {
        if (sheets.some((s) => s.title === p.title)) throw badRequest(`${where}A sheet with the name "${p.title}" already exists. Please enter another name.`);
        updated.title = p.title;
      }
      if (has('hidden')) updated.hidden = p.hidden ?? false;
      if (has('gridProperties.rowCount') && p.rowCount !== undefined) updated.rowCount = p.rowCount;
      if (has('gridProperties.columnCount') && p.columnCount !== undefined) updated.columnCount = p.columnCount;
      if (updated.hidden && sheets.every((s) => s.sid === sheet.sid || s.hidden)) throw badRequest(`${where}You can't hide all the sheets in a document.`);
      checkCellLimit(sheets, updated, where);
      store.updateSheet(updated);
      if (has('index') && p.index !== undefined && p.index !== sheet.index) {
        const others = store.sheets(spreadsheet.id).filter((s) => s.sid !== sheet.sid);
        others.splice(Math.min(p.index, others.length), 0, { ...updated });
        reindex(store, others);
      }
      replies.push({});
    }
  });
  return { replies, cells: 0 };
}
