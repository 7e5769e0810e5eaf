import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { WEBHOOKS_OPTIONS, type ResolvedWebhooksOptions } from './webhooks.options';

/** Ranges no webhook is sent to (API.md: private, loopback, link-local), plus the unroutable and shared ones. */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv6');

/** The 16 bytes of an IPv6 address (dotted IPv4 tail included), or undefined when it is not one. */
function ipv6Bytes(addr: string): number[] | undefined {
  if (isIP(addr) !== 6) return undefined;
  let text = addr.split('%')[0];
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail[1].split('.').map(Number);
    text = text.slice(0, -tail[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const n = parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
}

/** True when the address is in a range webhooks must not reach; IPv4 inside IPv6 (mapped, NAT64) is judged as IPv4. */
export function isBlockedAddress(addr: string): boolean {
  const family = isIP(addr);
  if (family === 4) return BLOCKED.check(addr, 'ipv4');
  const bytes = ipv6Bytes(addr);
  if (!bytes) return true;
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const mapped = zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff;
  const nat64 = bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12);
  if (mapped || nat64) return BLOCKED.check(bytes.slice(12).join('.'), 'ipv4');
  return BLOCKED.check(addr.split('%')[0], 'ipv6');
}

/** Why a URL may not receive webhooks. */
export class UrlNotAllowed extends Error {}

export interface ResolvedTarget {
  url: URL;
  /** The addresses the host resolved to, every one of them allowed; the request connects to the first. */
  addresses: { address: string; family: number }[];
}

/**
 * The private-address guard: a webhook URL is `http(s)://` and its host is not, and does not resolve to, an
 * address in a blocked range (`localhost` included), unless the operator allows them. Checked at creation and
 * again before every attempt; the attempt then connects to the address that was checked (no second lookup
 * that a DNS change could answer differently).
 */
@Injectable()
export class UrlGuard {
  constructor(@Inject(WEBHOOKS_OPTIONS) private readonly opts: ResolvedWebhooksOptions) {}

  /** The URL's target, or `UrlNotAllowed` saying why not. */
  async resolve(raw: string): Promise<ResolvedTarget> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new UrlNotAllowed('The URL is not valid');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UrlNotAllowed('The URL must be https:// or http://');
    if (url.username || url.password) throw new UrlNotAllowed('The URL may not carry a user name or password');
    const host = url.hostname
      .replace(/^\[(.*)\]$/, '$1')
      .replace(/\.$/, '')
      .toLowerCase();
    if (!host) throw new UrlNotAllowed('The URL has no host');
    const allowPrivate = this.opts.allowPrivateUrls;
    if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost')))
      throw new UrlNotAllowed(`${host} is a local address; webhooks go to public addresses only`);
    let addresses: { address: string; family: number }[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
    else {
      try {
        addresses = await lookup(host, { all: true, verbatim: true });
      } catch {
        throw new UrlNotAllowed(`The host ${host} could not be resolved`);
      }
      if (!addresses.length) throw new UrlNotAllowed(`The host ${host} could not be resolved`);
    }
    if (!allowPrivate) {
      const blocked = addresses.find((a) => isBlockedAddress(a.address));
      if (blocked)
        throw new UrlNotAllowed(
          `${host === blocked.address ? host : `${host} resolves to ${blocked.address}, which`} is in a private, loopback or link-local range; webhooks go to public addresses only`,
        );
    }
    return { url, addresses };
  }
}
