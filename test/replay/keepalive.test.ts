import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDriver } from '../../simulator/replay/http.ts';
import { KEEPALIVE_IDLE_MS } from '../../simulator/replay/keepalive-watch.ts';

const OK = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\n{}';

/**
 * A server that answers the first request on a connection and closes the connection, unanswered, when the second
 * one arrives: what uvicorn does when its keep-alive timer fires as a request is written. Counts what it received.
 */
function closingServer(): Promise<{ server: Server; url: string; received: () => number }> {
  let received = 0;
  const server = createServer((socket: Socket) => {
    let onSocket = 0;
    socket.on('data', (chunk) => {
      for (const _ of chunk.toString('latin1').matchAll(/\r\n\r\n/g)) {
        received += 1;
        onSocket += 1;
        if (onSocket === 1) socket.write(OK);
        else socket.destroy();
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, received: () => received });
  }));
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(() => r(undefined)) : r(undefined)));
  server = undefined;
});

describe('a keep-alive socket the server closes as a request is written', () => {
  it('is KEEPALIVE_CLOSED, apart from ECONNRESET, and the request is not sent again', async () => {
    const s = await closingServer();
    server = s.server;
    const driver = createDriver({ url: s.url, connections: 1, timeoutMs: 5000 });
    try {
      const first = await driver.send({ method: 'POST', path: '/api/v4/occupation/iniciar', body: { a: 1 } }, {});
      expect(first.status).toBe(200);
      // Idle long enough to be a keep-alive socket (not a timing assertion: any longer wait gives the same answer).
      await new Promise((r) => setTimeout(r, KEEPALIVE_IDLE_MS + 200));
      const second = await driver.send({ method: 'POST', path: '/api/v4/occupation/iniciar', body: { a: 2 } }, {});
      expect(second).toMatchObject({ status: null, error: 'KEEPALIVE_CLOSED' });
      expect(s.received()).toBe(2); // received once, never resent
    } finally {
      await driver.close();
    }
  });

  it('a busy socket lost before any answer stays ECONNRESET (a real failure)', async () => {
    const s = await closingServer();
    server = s.server;
    const driver = createDriver({ url: s.url, connections: 1, timeoutMs: 5000 });
    try {
      // The second request right after the first answer: the socket was not idle, so losing it is a failure.
      const a = await driver.send({ method: 'GET', path: '/x' }, {});
      expect(a.status).toBe(200);
      const b = await driver.send({ method: 'POST', path: '/y', body: {} }, {});
      expect(b).toMatchObject({ status: null, error: 'ECONNRESET' });
    } finally {
      await driver.close();
    }
  });
});
