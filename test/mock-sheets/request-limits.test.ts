/**
 * Size limits answered so the client hears them (issue 12, gap 5): an 11 MB body sent in full before reading
 * (what Python's http.client does) gets Google's 400, not EPIPE; a 100 KB URL gets Google's 414 page, not
 * Node's bare 431. These need a real socket: app.inject bypasses Node's HTTP parser.
 */
import type { FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../mock-sheets/errors.ts';
import { MAX_URL_BYTES, readBodyText } from '../../mock-sheets/request-limits.ts';
import { buildTestMock, SPREADSHEET_ID } from './mock-fixture.ts';

let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = await buildTestMock({ auth: 'none' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app.close();
});

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/** Write the whole request (head and body) before reading anything, as http.client does, then read the answer. */
function sendWholeThenRead(head: string, body: Buffer = Buffer.alloc(0)): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!match) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      resolve({ status: Number(match[1]), headers: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.write(head);
    socket.end(body);
  });
}

function decodeChunked(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

describe('an oversized body', () => {
  it('sent whole before reading, is answered with Google’s 400 body after the mock read it', async () => {
    const body = Buffer.from(JSON.stringify({ values: [['x'.repeat(11 * 1_048_576)]] }));
    const path = `/v4/spreadsheets/${SPREADSHEET_ID}/values/Metadata:append?valueInputOption=RAW`;
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const answer = await sendWholeThenRead(head, body);
    expect(answer.status).toBe(400);
    const text = /transfer-encoding: chunked/i.test(answer.headers) ? decodeChunked(answer.body) : answer.body;
    expect(JSON.parse(text).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: `Request payload size exceeds the limit: ${MAX_PAYLOAD_BYTES} bytes.` });
  });

  it('readBodyText drains past the limit before refusing, and gives up past the drain limit', async () => {
    const chunks = () => Readable.from([Buffer.alloc(6, 'a'), Buffer.alloc(6, 'b'), Buffer.alloc(6, 'c')]);
    await expect(readBodyText(chunks(), 18, 20, 100)).resolves.toBe('aaaaaabbbbbbcccccc');
    const drained = chunks();
    await expect(readBodyText(drained, 18, 10, 100)).rejects.toMatchObject({ code: 400, reason: 'payloadTooLarge' });
    expect(drained.readableEnded).toBe(true);
    const abandoned = chunks();
    await expect(readBodyText(abandoned, 18, 5, 8)).rejects.toMatchObject({ code: 400 });
    expect(abandoned.destroyed).toBe(true);
    await expect(readBodyText(chunks(), 1000, 5, 8)).rejects.toMatchObject({ code: 400 });
  });
});

describe('an oversized URL or header block', () => {
  it('a 100 KB URL gets Google’s 414 page', async () => {
    const ranges = Array.from({ length: 5000 }, (_, i) => `ranges=Metadata!A${i + 1}`).join('&');
    expect(ranges.length).toBeGreaterThan(100_000);
    const answer = await sendWholeThenRead(`GET /v4/spreadsheets/${SPREADSHEET_ID}/values:batchGet?${ranges} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(414);
    expect(answer.headers).toMatch(/content-type: text\/html/i);
    expect(answer.body).toContain('The requested URL is too large to process.');
  });

  it(`a URL just under ${MAX_URL_BYTES} bytes is served`, async () => {
    const prefix = `/v4/spreadsheets/${SPREADSHEET_ID}/values/Metadata!A1?quotaUser=`;
    const path = prefix + 'u'.repeat(MAX_URL_BYTES - prefix.length);
    const answer = await sendWholeThenRead(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(200);
  });

  it('a range path segment longer than 100 characters reaches the route (no router 414)', async () => {
    const range = `Metadata!A${'0'.repeat(150)}1:B2`;
    const answer = await sendWholeThenRead(`GET /v4/spreadsheets/${SPREADSHEET_ID}/values/${encodeURIComponent(range)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Metadata!A1:B2');
  });

  it('headers past the 1 MiB limit get Google’s 413 page, not a bare 431', async () => {
    const answer = await sendWholeThenRead(`GET /v4/spreadsheets/${SPREADSHEET_ID} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(1_100_000)}\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('Your client issued a request that was too large.');
  });
});
