/**
 * `npm run bench [-- NAME [options]]`: runs one benchmark, or all of them in turn. Each benchmark runs
 * a peer and Draftroom in the same run on this machine and prints a ratio; nothing here is asserted
 * by the test suite.
 */
const BENCHMARKS: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  'session-reads': () => import('./session-reads.ts'),
  'collab-fanout': () => import('./collab-fanout.ts'),
  'version-diff': () => import('./version-diff.ts'),
  'vote-throughput': () => import('./vote-throughput.ts'),
  search: () => import('./search.ts'),
  pages: () => import('./pages.ts'),
};

const requested = process.argv[2] && !process.argv[2].startsWith('--') ? [process.argv[2]] : Object.keys(BENCHMARKS);
for (const name of requested) {
  const load = BENCHMARKS[name];
  if (!load) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  await (await load()).run();
}
process.exit(0);
