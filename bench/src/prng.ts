/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so that the generated data set is the same for the
 * same seed on every machine, and a UUIDv7 built from a chosen millisecond and PRNG bits (ids ordered like
 * the rows' creation times, as the service's own ids are).
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string) {
    let s = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** 32 random bits as an unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Picks by weight: `weights[i]` is the relative frequency of `items[i]`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i];
      if (r < 0) return items[i];
    }
    return items[items.length - 1];
  }

  /** Rank in [0, n) with a Zipf-like skew (rank 0 the most frequent). */
  zipf(n: number, s = 1.1): number {
    // Inverse of the continuous approximation of the harmonic CDF: cheap and good enough for value skew.
    const u = this.next();
    if (s === 1) return Math.min(n - 1, Math.floor(Math.exp(u * Math.log(n + 1)) - 1));
    const a = 1 - s;
    const max = (Math.pow(n + 1, a) - 1) / a;
    return Math.min(n - 1, Math.max(0, Math.floor(Math.pow(u * max * a + 1, 1 / a) - 1)));
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += this.u32().toString(16).padStart(8, '0');
    return out.slice(0, chars);
  }
}

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A UUIDv7 (RFC 9562) for millisecond `ms`, its random bits from `rng`. */
export function uuidv7(ms: number, rng: Prng): string {
  const t = Math.floor(ms).toString(16).padStart(12, '0');
  const randA = (rng.u32() & 0x0fff).toString(16).padStart(3, '0');
  const variant = (0x8 | (rng.u32() & 0x3)).toString(16);
  const randB = rng.hex(15);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${randA}-${variant}${randB.slice(0, 3)}-${randB.slice(3, 15)}`;
}
