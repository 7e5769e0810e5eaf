/**
 * Retries `check` (an assertion) until it passes or `timeoutMs` runs out, then throws its last failure: for
 * effects that happen after the response, such as domain events handed on by the outbox relay once the
 * change has committed.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() >= end) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
