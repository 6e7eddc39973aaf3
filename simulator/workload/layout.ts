/** Tab layouts of the ZEUES workbook (spec §4), exactly as the production and staging sheets hold them. */

/** Operaciones, the 75-column header verified on the staging sheet (spec §4.1). */
export const OPERACIONES_HEADER: readonly string[] = [
  'id', 'NV', 'OT', 'CT', 'ITEM', 'SPLIT',
  'TAG_SPOOL', 'STATUS_NV', 'Status_Spool', 'Ubicación', 'Cliente', 'OC',
  'Item_OC', 'PLANO_KRONOS N°', 'Rev.', 'Plano_Referencia', 'Marca_Placa', 'Prioridad',
  'Notas', 'Fecha_Compromiso', 'Fecha_Estimada_Entrega', 'DIAM', 'PD_Soldadura', 'PD_Ranurado',
  'PD_Hilo', 'Peso_Kg', 'Area_m2', 'Tipo Armado', 'Tipo_NDT', 'Tipo_PH',
  'Tipo_Revestimiento', 'Tipo_Pintura', 'Tipo_Embalaje', 'Fecha_Ingenieria', 'Fecha_Materiales', 'Fecha_Armado',
  'Armador', 'Fecha_Soldadura', 'Soldador', 'Fecha_QC_Metrología', 'Fecha_NDT', 'OK NDT si/no/Rep',
  'N°_nforme_PT', 'N°_Informe_UT_ RX', 'Fecha_PH', 'N°_Informe_PH', 'Fecha_Revestimiento', 'Fecha_QC_Revestimiento',
  'Fecha_Envio_Pintura', 'GD_envio_Pintura', 'Fecha_Pintura', 'Taller_Pintura', 'Informe_Pintura', 'Fecha_QC_Pintura',
  'Fecha_Liberación', 'N°_Acta_Libración', 'Packing_list', 'Fecha_GD', 'Guia_Despacho', 'Precio Fabricación',
  'Precio Revestimiento', 'Precio Pintura', 'Precio Embalaje', 'Precio Total', 'FLAG', 'MatSys',
  'Ocupado_Por', 'Fecha_Ocupacion', 'version', 'Estado_Detalle', 'Total_Uniones', 'Uniones_ARM_Completadas',
  'Uniones_SOLD_Completadas', 'Pulgadas_ARM', 'Pulgadas_SOLD',
];

/** Uniones, the 17-column layout used from 2026-02-04 and at HEAD (spec §4.2). */
export const UNIONES_HEADER: readonly string[] = [
  'ID', 'OT', 'N_UNION', 'TAG_SPOOL', 'DN_UNION', 'TIPO_UNION', 'ARM_FECHA_INICIO', 'ARM_FECHA_FIN', 'ARM_WORKER',
  'SOL_FECHA_INICIO', 'SOL_FECHA_FIN', 'SOL_WORKER', 'NDT_UNION', 'R_NDT_UNION', 'NDT_FECHA', 'NDT_STATUS', 'version',
];

/** Metadata, the 11 positional columns A–K with the staging sheet's lower-case names (spec §4.3). */
export const METADATA_HEADER: readonly string[] = [
  'id', 'timestamp', 'evento_tipo', 'tag_spool', 'worker_id', 'worker_nombre', 'operacion', 'accion', 'fecha_operacion',
  'metadata_json', 'N_UNION',
];

/** Trabajadores, the 5-column layout with a numeric Id (spec §4.4). */
export const TRABAJADORES_HEADER: readonly string[] = ['Id', 'Nombre', 'Apellido', 'Rol', 'Activo'];

/** Roles: one row per (worker, role); a worker may have several (spec §4.4). */
export const ROLES_HEADER: readonly string[] = ['Id', 'Rol', 'Activo'];

/** Audit workbook (`GOOGLE_AUDIT_SHEET_ID`), tab `Lista`: the supervisor's list of spools (spec §4, HEAD). */
export const LISTA_HEADER: readonly string[] = ['TAG_SPOOL', 'Added_At', 'Updated_At', 'Notes'];

/** Audit workbook, tab `Audit`: the UI audit log. */
export const AUDIT_HEADER: readonly string[] = ['ID', 'Timestamp', 'Session_ID', 'Event_Type', 'TAG_SPOOL', 'Modal', 'Route', 'Payload_JSON'];

/** Audit workbook, tab `Snapshots_Legacy`. */
export const SNAPSHOTS_LEGACY_HEADER: readonly string[] = ['Snapshot_ID', 'Captured_At', 'Raw_JSON', 'User_Agent'];

/** Union types that need SOLD after ARM; any other type (FW) is ARM-only (docs/contract.md). */
export const SOLD_REQUIRED_TYPES: readonly string[] = ['BW', 'BR', 'SO', 'FILL', 'LET'];

/** DN_UNION values of the real seed script, in inches (spec §7). */
export const DN_VALUES: readonly number[] = [0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0];

/** 0-based index of a header name, or throw (a typo here must fail loudly, not write a wrong column). */
export function columnIndex(header: readonly string[], name: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`no column '${name}' in layout`);
  return i;
}
