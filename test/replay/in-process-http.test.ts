/**
 * sendInProcess, the socket-less exchange of exact mode's embedded target: a Fastify app answers it as it answers
 * HTTP (routes, hooks, body parsing and its limit, error handler), sees the URL as sent, and a connection the app
 * destroys fails the exchange as a reset socket does.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { sendInProcess } from '../../simulator/replay/in-process-http.ts';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

function app(): FastifyInstance {
  const a = Fastify({ bodyLimit: 64 });
  apps.push(a);
  a.addHook('onRequest', async (req, reply) => {
    if (req.headers.authorization !== 'Bearer ok') return reply.code(401).send({ error: 'no credential' });
  });
  a.post('/echo/*', async (req, reply) => reply.header('x-seen-url', req.url).header('x-multi', ['a', 'b']).send({ body: req.body, ip: req.ip }));
  a.get('/drop', async (_req, reply) => {
    reply.hijack();
    reply.raw.socket?.destroy();
  });
  a.get('/boom', async () => {
    throw new Error('boom');
  });
  return a;
}

describe('sendInProcess', () => {
  it("runs the app's hooks, parser and route, with the URL exactly as sent", async () => {
    const a = app();
    const url = "/echo/values/%27My%20Sheet%27!A1:B2?x=1&x=2";
    const res = await sendInProcess(a, { method: 'POST', url, headers: { authorization: 'Bearer ok', 'content-type': 'application/json' }, body: '{"n":1}' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-seen-url']).toBe(url);
    expect(res.headers['x-multi']).toEqual(['a', 'b']);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body.toString())).toEqual({ body: { n: 1 }, ip: '127.0.0.1' });
    expect(res.headers['content-length']).toBe(String(res.body.length));
  });

  it('answers as the app does when a hook refuses, the body is over its limit, the route throws or is missing', async () => {
    const a = app();
    const refused = await sendInProcess(a, { method: 'POST', url: '/echo/x', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect([refused.statusCode, JSON.parse(refused.body.toString())]).toEqual([401, { error: 'no credential' }]);
    const big = await sendInProcess(a, { method: 'POST', url: '/echo/x', headers: { authorization: 'Bearer ok', 'content-type': 'application/json' }, body: `{"s":"${'x'.repeat(100)}"}` });
    expect(big.statusCode).toBe(413);
    const thrown = await sendInProcess(a, { method: 'GET', url: '/boom', headers: { authorization: 'Bearer ok' } });
    expect(thrown.statusCode).toBe(500);
    const missing = await sendInProcess(a, { method: 'GET', url: '/nowhere', headers: { authorization: 'Bearer ok' } });
    expect(missing.statusCode).toBe(404);
  });

  it('fails with ECONNRESET when the app destroys the connection, instead of hanging', async () => {
    const a = app();
    await expect(sendInProcess(a, { method: 'GET', url: '/drop', headers: { authorization: 'Bearer ok' } })).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('waits for an app that is not ready yet', async () => {
    const a = Fastify();
    apps.push(a);
    a.get('/late', async () => ({ ok: true }));
    const res = await sendInProcess(a, { method: 'GET', url: '/late', headers: {} });
    expect([res.statusCode, res.body.toString()]).toEqual([200, '{"ok":true}']);
  });
});
