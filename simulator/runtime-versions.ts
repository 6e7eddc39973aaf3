/** The runtime a report records next to sheetsim's version: Node, and the tz and ICU data bundled with it. */

/** `report.sheetsim` minus sheetsim's own version. */
export interface RuntimeVersions {
  /** `process.version`, e.g. `v20.20.2`. */
  node: string;
  /** `process.versions.tz`, the IANA tz release in Node's ICU, e.g. `2025c`; `none` for a Node built without ICU. */
  tz: string;
  /** `process.versions.icu`, e.g. `78.2`; `none` for a Node built without ICU. */
  icu: string;
}

/** The versions of the Node running now (or of the given `process.version`/`process.versions`). */
export function currentRuntime(version: string = process.version, versions: Readonly<Record<string, string | undefined>> = process.versions): RuntimeVersions {
  return { node: version, tz: versions.tz ?? 'none', icu: versions.icu ?? 'none' };
}

/**
 * What differs between the runtime a report recorded and another one, as `node v20.19.0 → v22.1.0` items;
 * a field the report does not have counts as `unrecorded`.
 */
export function runtimeDifferences(recorded: Partial<RuntimeVersions>, current: RuntimeVersions): string[] {
  const out: string[] = [];
  for (const key of ['node', 'tz', 'icu'] as const) {
    const before = recorded[key] ?? 'unrecorded';
    if (before !== current[key]) out.push(`${key} ${before} → ${current[key]}`);
  }
  return out;
}
