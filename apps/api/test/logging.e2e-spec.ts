import { createTestApp, newAppId, type TestApp } from './support/test-app';

/** JSON log lines with the request's id (README "Environment": LOG_LEVEL); what each level writes per request. */
describe('Request logs', () => {
  const appId = newAppId();

  async function linesOf(level: string, send: (t: TestApp) => Promise<string>): Promise<{ lines: Record<string, unknown>[]; id: string }> {
    const lines: Record<string, unknown>[] = [];
    const t = await createTestApp({
      env: { LOG_LEVEL: level },
      logStream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    try {
      const id = await send(t);
      return { lines, id };
    } finally {
      await t.close();
    }
  }

  const listCustomers = async (t: TestApp) => {
    const r = await t.http().get('/v1/customers?search=token%3Dabc').set(t.auth(appId)).expect(200);
    return r.headers['x-request-id'] as string;
  };

  it('at info, each finished request writes one line with its id, its app and its status, and no credentials', async () => {
    const { lines, id } = await linesOf('info', listCustomers);
    const done = lines.filter((l) => (l.req as { id?: string } | undefined)?.id === id);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ msg: 'request completed', appId, req: { method: 'GET' }, res: { statusCode: 200 } });
    const text = JSON.stringify(done[0]);
    expect(text).not.toMatch(/Bearer|authorization/i);
  });

  it('a refused request is logged too, without an app', async () => {
    const { lines, id } = await linesOf('info', async (t) => {
      const r = await t.http().get('/v1/customers').expect(401);
      return r.headers['x-request-id'] as string;
    });
    const done = lines.filter((l) => (l.req as { id?: string } | undefined)?.id === id);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ res: { statusCode: 401 } });
    expect(done[0].appId).toBeUndefined();
  });

  it('at warn, requests that succeed write nothing', async () => {
    const { lines, id } = await linesOf('warn', listCustomers);
    expect(id).toBeTruthy();
    expect(lines.filter((l) => l.req !== undefined || l.msg === 'request completed')).toEqual([]);
  });
});
