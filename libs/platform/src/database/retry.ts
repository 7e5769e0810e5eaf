/**
 * Runs `run` again when it fails with an error `retryOn` accepts (a deadlock, a serialisation failure, a
 * row that moved under a lock), at most `attempts` times in all, after a short random pause that grows with
 * each attempt (so two transactions that collided do not collide again in step). Any other error, or the
 * last attempt's, is thrown (through `onGiveUp` when given, to turn an internal signal into a real error).
 */
export async function retrying<T>(
  run: () => Promise<T>,
  opts: { attempts: number; retryOn: (err: unknown) => boolean; onGiveUp?: (err: unknown) => unknown; pauseMs?: number },
): Promise<T> {
  const pause = opts.pauseMs ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!opts.retryOn(err) || attempt >= opts.attempts) throw opts.onGiveUp ? opts.onGiveUp(err) : err;
      await new Promise((r) => setTimeout(r, Math.random() * pause * attempt));
    }
  }
}

/** PostgreSQL's deadlock_detected (40P01) or serialization_failure (40001): the transaction can simply run again. */
export function isRetryableConflict(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === '40P01' || code === '40001';
}

/** PostgreSQL's foreign_key_violation (23503), as both drivers report it. */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; name?: string } | undefined;
  return e?.code === '23503' || e?.name === 'ForeignKeyConstraintViolationException';
}
