/** Random choices of the backend (uuids, jitter): seeded when replaying exactly, crypto otherwise. */
import { randomUUID } from 'node:crypto';
import seedrandom from 'seedrandom';

/** Where the backend's uuids and backoff jitter come from. */
export interface RandomSource {
  /** A uuid4 string. */
  uuid(): string;
  /** A number in [0, 1) for backoff jitter. */
  jitter(): number;
}

/** A deterministic source: the same seed gives the same uuids and jitter in the same order. */
export function seededRandom(seed: number): RandomSource {
  const ids = seedrandom(String(seed));
  // Jitter has its own stream so that a retry (which happens only under faults) never shifts the uuids.
  const jitter = seedrandom(`${seed}:jitter`);
  return {
    uuid: () => uuidFromBytes(Array.from({ length: 16 }, () => Math.floor(ids() * 256))),
    jitter: () => jitter(),
  };
}

/** A non-repeating source for live use, so a restarted backend never reuses a Metadata ID. */
export function cryptoRandom(seed: number): RandomSource {
  const jitter = seedrandom(`${seed}:jitter`);
  return { uuid: () => randomUUID(), jitter: () => jitter() };
}

/** Format 16 bytes as an RFC 4122 version-4 uuid. */
export function uuidFromBytes(bytes: number[]): string {
  const b = bytes.slice(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
