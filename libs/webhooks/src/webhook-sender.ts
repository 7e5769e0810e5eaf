import { Inject, Injectable } from '@nestjs/common';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
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

/**
 * Sends one signed attempt: the host is resolved and checked by the guard first, and the connection goes to
 * the address that was checked. A status arriving within the timeout ends the attempt (the body is read and
 * dropped); redirects are not followed (a 3xx is a failed attempt).
 */
@Injectable()
export class WebhookSender {
  constructor(
    private readonly guard: UrlGuard,
    @Inject(WEBHOOKS_OPTIONS) private readonly opts: ResolvedWebhooksOptions,
  ) {}

  async send(target: { url: string; secret: string }, deliveryId: string, body: string): Promise<AttemptOutcome> {
    let resolved;
    try {
      resolved = await this.guard.resolve(target.url);
    } catch (err) {
      if (err instanceof UrlNotAllowed) return { statusCode: null, error: `webhook_url_not_allowed: ${err.message}`, refused: true };
      throw err;
    }
    const { url, addresses } = resolved;
    const pinned = addresses[0];
    const lookup: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as (e: null, a: typeof addresses) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body).toString(),
      'user-agent': USER_AGENT,
      ...signatureHeaders(target.secret, deliveryId, body),
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<AttemptOutcome>((resolve) => {
      let done = false;
      const finish = (o: AttemptOutcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(o);
      };
      const req = send(url, { method: 'POST', headers, lookup, agent: false }, (res: IncomingMessage) => {
        res.resume();
        res.on('error', () => undefined);
        finish({ statusCode: res.statusCode ?? null, error: null });
        // A receiver that keeps the body open past the timeout is not waited for.
        setTimeout(() => res.destroy(), this.opts.timeoutMs).unref();
      });
      const timer = setTimeout(() => {
        finish({ statusCode: null, error: `No answer within ${this.opts.timeoutMs} ms` });
        req.destroy();
      }, this.opts.timeoutMs);
      req.on('error', (err) => finish({ statusCode: null, error: `${(err as NodeJS.ErrnoException).code ?? 'ERROR'}: ${err.message}` }));
      req.end(body);
    });
  }
}
