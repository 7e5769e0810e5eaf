import { RE2JS } from 're2js';
import safeRegex from 'safe-regex2';

/** The longest pattern an admin may configure. */
export const MAX_PATTERN_LENGTH = 200;

// Quantifiers that can consume most of a 256-character identifier. Adjacent ones that overlap backtrack
// polynomially (`a*a*a*b`) in a backtracking engine; the limit stays as a bound on how much a pattern may say.
const MAX_WIDE_QUANTIFIERS = 3;
const WIDE_BOUND = 16;

/** A compiled identifier pattern: `test` says whether the whole identifier matches. */
export interface IdentifierMatcher {
  test(identifier: string): boolean;
}

export type PatternResult = { regex: IdentifierMatcher; problem?: undefined } | { regex?: undefined; problem: string };

// Patterns are compiled once per process; the cap keeps a stream of distinct patterns from growing it forever.
const compiled = new Map<string, PatternResult>();
const MAX_CACHED = 500;

/**
 * Compiles an admin's pattern so that it matches the whole identifier and cannot stall the server: the
 * identifier is user input, and the service matches it on the event loop shared by every app. Matching runs on
 * RE2 (re2js), whose time is linear in the identifier whatever the pattern: bounded repeats such as seven
 * `a{0,16}` in a row cost a backtracking engine minutes, RE2 microseconds. The pattern is written in
 * JavaScript syntax (with the `u` flag) and must also compile in RE2, which has no lookaround and no
 * backreferences. Also refused, to keep patterns readable and the old rules stable: nested repetition
 * (safe-regex2's star height), alternation inside a repeated group, more than three wide quantifiers.
 */
export function compileIdentifierPattern(pattern: string): PatternResult {
  let result = compiled.get(pattern);
  if (!result) {
    result = compile(pattern);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(pattern, result);
  }
  return result;
}

function compile(pattern: string): PatternResult {
  if (pattern.length === 0) return { problem: 'pattern must not be empty' };
  if (pattern.length > MAX_PATTERN_LENGTH) return { problem: `pattern must be at most ${MAX_PATTERN_LENGTH} characters` };
  try {
    // The syntax admins write (and the console checks) is JavaScript's, read by code point.
    new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return { problem: 'pattern is not a valid regular expression' };
  }
  if (!safeRegex(pattern)) return { problem: 'pattern has nested repetition, which can take exponential time' };
  const structural = structuralProblem(pattern);
  if (structural) return { problem: structural };
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch {
    return { problem: 'pattern uses a construct the matcher does not support (lookaround, backreference)' };
  }
  // `testExact` is anchored at both ends: `abc` does not accept `xabcx`.
  return { regex: { test: (identifier) => re2.testExact(identifier) } };
}

interface GroupScan {
  alternation: boolean;
}

/** A small scan of the pattern's structure (outside character classes) for what safe-regex2 lets through. */
function structuralProblem(p: string): string | undefined {
  const groups: GroupScan[] = [{ alternation: false }];
  let wide = 0;
  let lastGroup: GroupScan | undefined;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    const closed = lastGroup;
    lastGroup = undefined;
    if (ch === '\\') {
      const next = p[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'pattern must not use backreferences';
      // `\u{…}`, `\p{…}`, `\P{…}`: the braces belong to the escape, not to a quantifier.
      const brace = /^[upP]\{[^}]*\}/.exec(p.slice(i + 1));
      i += brace ? brace[0].length : 1;
      continue;
    }
    if (ch === '[') {
      i = endOfClass(p, i);
      continue;
    }
    if (ch === '(') {
      groups.push({ alternation: false });
      continue;
    }
    if (ch === ')') {
      const g = groups.pop()!;
      // An alternation anywhere inside makes the enclosing groups ambiguous too.
      if (g.alternation) groups[groups.length - 1].alternation = true;
      lastGroup = g;
      continue;
    }
    if (ch === '|') {
      groups[groups.length - 1].alternation = true;
      continue;
    }
    const q = quantifierAt(p, i);
    if (!q) continue;
    if (q.max > 1 && closed?.alternation) return 'pattern must not repeat a group that contains alternatives (|)';
    if (q.max > WIDE_BOUND && ++wide > MAX_WIDE_QUANTIFIERS) return `pattern may use at most ${MAX_WIDE_QUANTIFIERS} unbounded quantifiers`;
    i = q.end;
  }
  return undefined;
}

function endOfClass(p: string, start: number): number {
  for (let i = start + 1; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === ']') return i;
  }
  return p.length;
}

/** The quantifier starting at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, with a lazy `?`), if any. */
function quantifierAt(p: string, i: number): { max: number; end: number } | undefined {
  const lazy = (end: number) => (p[end + 1] === '?' ? end + 1 : end);
  if (p[i] === '*' || p[i] === '+') return { max: Infinity, end: lazy(i) };
  if (p[i] === '?') return { max: 1, end: lazy(i) };
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return undefined;
  const max = m[2] === undefined ? Number(m[1]) : m[3] ? Number(m[3]) : Infinity;
  return { max, end: lazy(i + m[0].length - 1) };
}
