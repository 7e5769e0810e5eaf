import type { DuplicateReason } from '../dto/duplicate.dto';

/** How strongly each kind of evidence says "the same person" on its own. */
const WEIGHT: Record<Exclude<DuplicateReason, 'similar_name'>, number> = { alias: 0.95, same_phone: 0.9, same_email: 0.8 };
/** A similar name is weaker evidence: its trigram similarity (0–1) scaled by this. */
const NAME_WEIGHT = 0.6;

/**
 * X4: a suggestion's score in [0, 1], combining independent evidence as 1 − Π(1 − wᵢ): a shared phone alone
 * gives 0.9, phone and e-mail 0.98; a similar name adds its similarity × 0.6.
 */
export function duplicateScore(reasons: readonly DuplicateReason[], nameSimilarity: number | null): number {
  let miss = 1;
  for (const r of new Set(reasons)) {
    if (r === 'similar_name') miss *= 1 - NAME_WEIGHT * clamp(nameSimilarity ?? 0);
    else miss *= 1 - WEIGHT[r];
  }
  return Math.round((1 - miss) * 1000) / 1000;
}

/** Reasons in a stable order: the strongest evidence first. */
export function orderReasons(reasons: Iterable<DuplicateReason>): DuplicateReason[] {
  const order: DuplicateReason[] = ['alias', 'same_phone', 'same_email', 'similar_name'];
  const set = new Set(reasons);
  return order.filter((r) => set.has(r));
}

const clamp = (n: number): number => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0);
