/**
 * A ballot's rules as tests usually want them: binding, open to chairs, editors and members, half the
 * electorate for a quorum and half the Yes + Object for a pass, public, results after closing, an hour
 * to vote. Each test overrides what it is about.
 */
export function ballotRules(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'binding',
    eligibleRoles: ['chair', 'editor', 'member'],
    quorum: 0.5,
    threshold: 0.5,
    blockingObjectionFails: false,
    secret: false,
    resultsVisibility: 'after_close',
    closesAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  };
}
