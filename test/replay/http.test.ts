import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDriver, decodeBody, type HttpDriver } from '../../simulator/replay/http.ts';

let server: Server | undefined;
let driver: HttpDriver | undefined;
let accepted = 0;

afterEach(async () => {
  await driver?.close();
  driver = undefined;
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

// Echoes what it received; answers JSON, plain text or a chunked body depending on the path.
async function start(): Promise<string> {
  accepted = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/text') {
        res.setHeader('content-type', 'text/plain');
        res.end('plain ñ');
      } else if (req.url === '/chunked') {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.write('{"parts":["uno",');
        setTimeout(() => res.end('"dós"]}'), 5);
      } else if (req.url === '/bad-json') {
        res.setHeader('content-type', 'application/json');
        res.end('{not json');
      } else {
        res.statusCode = req.url === '/missing' ? 404 : 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, url: req.url, body, type: req.headers['content-type'] ?? null, seq: req.headers['x-sheetsim-seq'] ?? null }));
      }
    });
  });
  server.on('connection', () => (accepted += 1));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createDriver', () => {
  it('sends the trace request with its headers and JSON body, and returns status, text and parsed JSON', async () => {
    driver = createDriver({ url: await start(), connections: 2, timeoutMs: 5000 });
    const res = await driver.send({ method: 'POST', path: '/api/x', body: { tag: 'OT-001', n: 1 } }, { 'x-sheetsim-seq': '7' });
    expect(res.status).toBe(200);
    expect(res.error).toBeNull();
    expect(res.json).toEqual({ method: 'POST', url: '/api/x', body: '{"tag":"OT-001","n":1}', type: 'application/json', seq: '7' });
    expect(JSON.parse(res.text)).toEqual(res.json);
    const get = await driver.send({ method: 'GET', path: '/missing' }, {});
    expect(get.status).toBe(404);
    expect(get.json).toMatchObject({ method: 'GET', body: '', type: null });
  });

  it('joins a body that arrives in several chunks, decodes UTF-8, and parses JSON only when the server says JSON', async () => {
    driver = createDriver({ url: await start(), connections: 2, timeoutMs: 5000 });
    const chunked = await driver.send({ method: 'GET', path: '/chunked' }, {});
    expect(chunked.json).toEqual({ parts: ['uno', 'dós'] });
    const text = await driver.send({ method: 'GET', path: '/text' }, {});
    expect(text).toEqual({ status: 200, error: null, text: 'plain ñ', json: undefined });
    const bad = await driver.send({ method: 'GET', path: '/bad-json' }, {});
    expect(bad).toEqual({ status: 200, error: null, text: '{not json', json: undefined });
  });

  it('keeps a path prefix of the target URL', async () => {
    driver = createDriver({ url: `${await start()}/prefix/`, connections: 1, timeoutMs: 5000 });
    const res = await driver.send({ method: 'GET', path: '/api/health' }, {});
    expect(res.json).toMatchObject({ url: '/prefix/api/health' });
  });

  it('pre-opens sockets that later requests use instead of connecting again', async () => {
    driver = createDriver({ url: await start(), connections: 4, timeoutMs: 5000 });
    expect(await driver.preconnect!(3)).toBe(3);
    // Three requests at once: each needs its own socket (no pipelining); all three are the pre-opened ones.
    const results = await Promise.all([1, 2, 3].map((i) => driver!.send({ method: 'GET', path: `/p${i}` }, {})));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(accepted).toBe(3);
  });

  it('serves more concurrent requests than it pre-opened, and closes the sockets and clients it never used', async () => {
    driver = createDriver({ url: await start(), connections: 6, timeoutMs: 5000 });
    expect(await driver.preconnect!(4)).toBe(4);
    // Two rounds of six at once: four go out on the pre-opened sockets, two on sockets the pool opens itself.
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => driver!.send({ method: 'GET', path: `/r${round}-${i}` }, {})));
      expect(results.map((r) => (r.json as { url: string }).url)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `/r${round}-${i}`));
    }
    expect(accepted).toBe(6);
    await driver.close();
    driver = undefined;
    const open = await new Promise<number>((r) => setTimeout(() => server!.getConnections((_e, n) => r(n)), 100));
    expect(open).toBe(0);
  });

  it('closes what it pre-opened when no request was ever sent', async () => {
    driver = createDriver({ url: await start(), connections: 3, timeoutMs: 5000 });
    expect(await driver.preconnect!(3)).toBe(3);
    await driver.close();
    driver = undefined;
    const open = await new Promise<number>((r) => setTimeout(() => server!.getConnections((_e, n) => r(n)), 100));
    expect(open).toBe(0);
  });

  it('classifies a refused connection, with or without pre-opened sockets, and never rejects', async () => {
    const url = await start();
    server!.close();
    server = undefined;
    driver = createDriver({ url, connections: 2, timeoutMs: 2000 });
    expect(await driver.preconnect!(2)).toBe(0);
    const res = await driver.send({ method: 'GET', path: '/' }, {});
    expect(res).toEqual({ status: null, error: 'ECONNREFUSED', text: '', json: undefined });
  });

  it('classifies a server that never answers as a timeout', async () => {
    server = createServer(() => undefined); // accepts, never responds
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    driver = createDriver({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: 1, timeoutMs: 200 });
    const res = await driver.send({ method: 'GET', path: '/' }, {});
    expect(res.status).toBeNull();
    expect(res.error).toBe('TIMEOUT');
  });
});

describe('decodeBody', () => {
  it('decodes a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('{"a":"ñ"}', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of ñ
    expect(decodeBody(200, 'application/json', [bytes.subarray(0, cut), bytes.subarray(cut)]).json).toEqual({ a: 'ñ' });
    expect(decodeBody(204, undefined, [])).toEqual({ status: 204, error: null, text: '', json: undefined });
  });
});
