import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { signatureHeaders } from './signing';
import { UrlGuard, UrlNotAllowed } from './url-guard';
import { WEBHOOKS_OPTIONS, type ResolvedWebhooksOptions } from './webhooks.options';

/** What one attempt came to: a status from the receiver, or an error before there was one. */
export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  /** The URL is refused by the private-address guard (a DNS change since the webhook was saved, or the setting). */
  refused?: boolean;
}

export const USER_AGENT = 'CDP-Webhooks/1.0';

/** Receivers (host and checked address) whose idle connections are kept; the least recently used go first. */
const MAX_AGENTS = 256;
/** Connections open at once to one receiver address, and idle ones kept for it. */
const MAX_SOCKETS = 8;
const MAX_FREE_SOCKETS = 4;
/** An idle connection is closed after this long (below the 5 s most servers keep one open, so we close first). */
const IDLE_MS = 4_000;

/**
 * Sends one signed attempt: the host is resolved and checked by the guard first, and the connection goes to
 * the address that was checked. A status arriving within the timeout decides the attempt (the body is read and
 * dropped); redirects are not followed (a 3xx is a failed attempt).
 *
 * Connections are kept alive between attempts, in one agent per scheme, host, port and checked address: the
 * agent connects only to that address, so a connection it reuses always goes where the guard said yes, and a
 * host that now resolves elsewhere gets a fresh agent (and is checked again, before every attempt).
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  private readonly agents = new Map<string, HttpAgent>();

  constructor(
    private readonly guard: UrlGuard,
    @Inject(WEBHOOKS_OPTIONS) private readonly opts: ResolvedWebhooksOptions,
  ) {}

  onModuleDestroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  async send(target: { url: string; secret: string }, deliveryId: string, body: string): Promise<AttemptOutcome> {
    let resolved;
    try {
      resolved = await this.guard.resolve(target.url);
    } catch (err) {
      if (err instanceof UrlNotAllowed) return { statusCode: null, error: `webhook_url_not_allowed: ${err.message}`, refused: true };
      throw err;
    }
    const { url, addresses } = resolved;
    const agent = this.agentFor(url, addresses[0]);
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body).toString(),
      'user-agent': USER_AGENT,
      ...signatureHeaders(target.secret, deliveryId, body),
    };
    const outcome = await this.attempt(url, agent, headers, body);
    // A kept connection the receiver closed just as it was reused (its idle timeout): the request most likely
    // never reached it, so it goes once more at once, on a new connection. At least once either way: a
    // receiver may see the same webhook-id twice.
    if (outcome.staleConnection) return this.attempt(url, agent, headers, body);
    return outcome;
  }

  /** The agent of this receiver address, created on first use (the least recently used one is closed past the bound). */
  private agentFor(url: URL, pinned: { address: string; family: number }): HttpAgent {
    const key = `${url.protocol}//${url.host}@${pinned.address}`;
    let agent = this.agents.get(key);
    if (agent) this.agents.delete(key);
    else {
      const lookup: LookupFunction = (_host, options, callback) => {
        if ((options as { all?: boolean }).all) (callback as (e: null, a: (typeof pinned)[]) => void)(null, [pinned]);
        else callback(null, pinned.address, pinned.family);
      };
      const options = { keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_FREE_SOCKETS, timeout: IDLE_MS, lookup };
      agent = url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
      if (this.agents.size >= MAX_AGENTS) {
        const [oldest, old] = this.agents.entries().next().value!;
        this.agents.delete(oldest);
        old.destroy();
      }
    }
    this.agents.set(key, agent);
    return agent;
  }

  private attempt(
    url: URL,
    agent: HttpAgent,
    headers: Record<string, string>,
    body: string,
  ): Promise<AttemptOutcome & { staleConnection?: boolean }> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let done = false;
      const finish = (o: AttemptOutcome & { staleConnection?: boolean }) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(o);
      };
      // The status ends the attempt once the (short) body is read and dropped, so the connection is free for
      // the next one; a receiver that keeps the body open past the timeout is not waited for (nor kept).
      let status: number | null | undefined;
      const answered = () => finish({ statusCode: status ?? null, error: null });
      const req = send(url, { method: 'POST', headers, agent }, (res: IncomingMessage) => {
        status = res.statusCode ?? null;
        clearTimeout(timer);
        const drop = setTimeout(() => {
          answered();
          res.destroy();
        }, this.opts.timeoutMs).unref();
        res.on('error', answered);
        res.on('end', answered);
        res.on('close', () => {
          clearTimeout(drop);
          answered();
        });
        res.resume();
      });
      const timer = setTimeout(() => {
        finish({ statusCode: null, error: `No answer within ${this.opts.timeoutMs} ms` });
        req.destroy();
      }, this.opts.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (status !== undefined) return answered();
        const stale = req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        finish({ statusCode: null, error: `${err.code ?? 'ERROR'}: ${err.message}`, staleConnection: stale });
      });
      req.end(body);
    });
  }
}
