import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, and whether its signature verified with the `standardwebhooks` library. */
export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  verified: boolean;
  verifyError?: string;
  path: string;
  /** The sender's end of the connection the request came on (the same for requests on a kept connection). */
  remotePort?: number;
  userAgent?: string;
  contentType?: string;
}

/** What the receiver answers: a status, after an optional delay (longer than the sender's timeout stands for a hang). */
export type Reply = { status: number; delayMs?: number };

/**
 * A real HTTP receiver on 127.0.0.1 in the test process: it verifies every request with `standardwebhooks`
 * against the secret it is told (`secret`), keeps what it got in order, and answers with `reply`.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  secret = '';
  reply: (r: Received, nth: number) => Reply = () => ({ status: 204 });
  private readonly pending = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const holder: { receiver?: WebhookReceiver } = {};
    const server = createServer((req, res) => void holder.receiver!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/hooks`);
    holder.receiver = receiver;
    return receiver;
  }

  /** The requests that carried this delivery id, in arrival order. */
  of(deliveryId: string): Received[] {
    return this.received.filter((r) => r.id === deliveryId);
  }

  async close(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => String(req.headers[name] ?? '');
    const r: Received = {
      id: header('webhook-id'),
      timestamp: header('webhook-timestamp'),
      signature: header('webhook-signature'),
      body,
      payload: JSON.parse(body) as Received['payload'],
      verified: false,
      path: req.url ?? '',
      remotePort: req.socket.remotePort,
      userAgent: req.headers['user-agent'],
      contentType: req.headers['content-type'],
    };
    try {
      new Webhook(this.secret).verify(body, {
        'webhook-id': r.id,
        'webhook-timestamp': r.timestamp,
        'webhook-signature': r.signature,
      });
      r.verified = true;
    } catch (err) {
      r.verifyError = (err as Error).message;
    }
    this.received.push(r);
    const reply = this.reply(r, this.received.length);
    const answer = () => {
      if (!res.destroyed) res.writeHead(reply.status, { 'content-type': 'text/plain' }).end('ok');
    };
    if (!reply.delayMs) return answer();
    const t = setTimeout(() => {
      this.pending.delete(t);
      answer();
    }, reply.delayMs);
    this.pending.add(t);
  }
}
