import { request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { DEFAULT_LINGER } from '../src/http/lingering-close';
import { createTestApp, newAppId, type TestApp } from './support/test-app';

interface Outcome {
  status?: number;
  contentType?: string;
  body?: string;
  /** A socket error the client saw while sending (EPIPE, ECONNRESET), after or instead of the answer. */
  sendError?: string;
  /** Bytes the client managed to hand to the socket. */
  written: number;
}

/**
 * Sends `total` bytes of a JSON body with Node's own client, as fast as the socket takes them, the way a
 * client that does not wait for `Expect: 100-continue` does; answers what came back.
 */
function send(
  port: number,
  method: 'PATCH' | 'POST',
  path: string,
  headers: Record<string, string>,
  total: number,
  opts: { chunked?: boolean } = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = { written: 0 };
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      resolve(out);
    };
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method,
      headers: { 'Content-Type': 'application/json', ...headers, ...(opts.chunked ? {} : { 'Content-Length': String(total) }) },
    });
    req.on('response', (res) => {
      out.status = res.statusCode;
      out.contentType = res.headers['content-type'];
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        out.body = text;
      });
      res.on('error', () => undefined);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      out.sendError = e.code ?? e.message;
      settle();
    });
    req.on('close', () => setImmediate(settle));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    chunk[0] = 0x7b; // '{' first, so the body is not refused for its start
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        const ok = req.write(n === chunk.length ? chunk : chunk.subarray(0, n), () => (out.written += n));
        if (!ok) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
    // The answer may come while the body is still going out; `close` settles once the exchange is over.
  });
}

/**
 * A client that never stops to read: writes the request line, headers and `total` bytes of body on a bare
 * socket, collecting whatever the server answers; answers whether the server cut it off before the end.
 */
function sendRaw(port: number, authorization: string, total: number): Promise<{ answer: string; written: number; cutOff: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let written = 0;
    let cutOff = false;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    socket.on('error', () => (cutOff = true));
    socket.on('close', () => resolve({ answer, written, cutOff: cutOff || written < total }));
    socket.write(
      `PATCH /v1/settings/customers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${total}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const pump = () => {
      while (!socket.destroyed && written < total) {
        const n = Math.min(chunk.length, total - written);
        written += n;
        if (!socket.write(chunk.subarray(0, n))) return void socket.once('drain', pump);
      }
      if (!socket.destroyed) socket.end();
    };
    pump();
  });
}

describe('A body over the limit is answered 413 and the client receives it (API.md "The served contract is exact")', () => {
  let t: TestApp;
  let port: number;
  const appId = newAppId();
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  const TWENTY_MB = 20 * 1024 * 1024;

  it('20 MB sent with Content-Length by Node http: the client gets the 413 problem, not EPIPE or ECONNRESET', async () => {
    const r = await send(port, 'PATCH', '/v1/settings/customers', t.auth(appId), TWENTY_MB);
    expect(r.sendError).toBeUndefined();
    expect(r.status).toBe(413);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(r.body!)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('20 MB sent chunked (no Content-Length): the 413 problem arrives too', async () => {
    const r = await send(port, 'PATCH', '/v1/settings/customers', t.auth(appId), TWENTY_MB, { chunked: true });
    expect(r.sendError).toBeUndefined();
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body!)).toMatchObject({ code: 'payload_too_large' });
  });

  it('the events endpoint (5 MB limit) answers 20 MB the same way, and nothing of it is stored', async () => {
    const r = await send(port, 'POST', '/v1/events', t.auth(appId), TWENTY_MB);
    expect(r.sendError).toBeUndefined();
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body!)).toMatchObject({ code: 'payload_too_large' });
  });

  it('the linger is bounded: a client that ignores the 413 and keeps sending is cut off past the bound', async () => {
    const total = DEFAULT_LINGER.maxBytes * 4;
    const r = await sendRaw(port, t.auth(appId).Authorization, total);
    expect(r.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.answer).toMatch(/"code":"payload_too_large"/);
    expect(r.cutOff).toBe(true);
    expect(r.written).toBeLessThan(total);
  });

  it('the server still answers on new connections afterwards, and the settings were not changed', async () => {
    const s = await t.http().get('/v1/settings/customers').set(t.auth(appId));
    expect(s.status).toBe(200);
    expect(s.body.timezone).toBe('UTC');
  });
});
