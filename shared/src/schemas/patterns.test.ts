import { describe, expect, it } from 'vitest';
import * as shared from '../index.ts';

/** Every `pattern` in every exported schema (TypeBox schemas are plain JSON-schema objects). */
function patternsOf(value: unknown, found = new Set<string>(), seen = new Set<unknown>()): Set<string> {
  if (value === null || typeof value !== 'object' || seen.has(value)) return found;
  seen.add(value);
  const record = value as Record<string, unknown>;
  if (typeof record.pattern === 'string') found.add(record.pattern);
  for (const child of Object.values(record)) patternsOf(child, found, seen);
  return found;
}

const patterns = [...patternsOf(Object.values(shared))];

/**
 * Inputs built to make a backtracking engine go quadratic or worse on patterns shaped like ours: long
 * runs of one character, separators repeated without what must follow them, and the email attack from
 * issue 14 ("a@" + dots + "@").
 */
const N = 50_000;
const attacks = [
  'a'.repeat(N),
  '.'.repeat(N),
  ' '.repeat(N),
  '-'.repeat(N),
  `a@${'.'.repeat(N)}@`,
  `a@${'a.'.repeat(N / 2)}`,
  `${'a@'.repeat(N / 2)}`,
  `a${' '.repeat(N)}@`,
  `${'a-'.repeat(N / 2)}!`,
  `${'a.'.repeat(N / 2)}!`,
  `${'\t'.repeat(N)}\u0000`,
];

describe('validation patterns cannot be made slow', () => {
  it('finds the patterns to check', () => {
    expect(patterns.length).toBeGreaterThanOrEqual(5);
    expect(patterns).toContain(shared.EMAIL_PATTERN);
  });

  // Linear patterns take well under a millisecond per kilobyte here; a quadratic one takes seconds on
  // these inputs (the email pattern of issue 14 took 12 s on 64,000 dots). The bound is that gap, not
  // a speed target.
  it.each(patterns)('%s runs in linear time on hostile input', (pattern) => {
    const regex = new RegExp(pattern, 'u');
    for (const input of attacks) {
      const started = performance.now();
      regex.test(input);
      const elapsed = performance.now() - started;
      expect(elapsed, `${JSON.stringify(input.slice(0, 12))}… (${input.length} chars)`).toBeLessThan(250);
    }
  });
});
