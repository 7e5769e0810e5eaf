// The subset of pg-copy-streams 7 the benchmark uses (the package ships no types).
declare module 'pg-copy-streams' {
  import type { Readable, Writable } from 'node:stream';
  import type { Submittable } from 'pg';
  export function from(text: string): Writable & Submittable;
  export function to(text: string): Readable & Submittable;
}
