import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatReport, MalformedExport, verifyExport } from './verify.ts';

/*
 * npm run verify -- export.json [--server https://draftroom.example.org] [--cookie 'draftroom_session=…'] [--offline]
 * Exit status: 0 everything checked agrees, 1 something differs, 2 the file could not be read as an export.
 */

const MAX_BYTES = 64 * 1024 * 1024;

async function main(): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ options: { server: { type: 'string' }; cookie: { type: 'string' }; offline: { type: 'boolean' } }; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({
      options: { server: { type: 'string' }, cookie: { type: 'string' }, offline: { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    process.stderr.write('Usage: npm run verify -- export.json [--server URL] [--cookie COOKIE] [--offline]\n');
    return 2;
  }
  let data: unknown;
  try {
    if ((await stat(file)).size > MAX_BYTES) throw new Error(`larger than ${MAX_BYTES / 1024 / 1024} MB`);
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`Cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    const report = await verifyExport(data, {
      ...(parsed.values.offline ? { server: null } : parsed.values.server !== undefined && { server: parsed.values.server }),
      cookie: parsed.values.cookie ?? process.env.DRAFTROOM_COOKIE,
    });
    process.stdout.write(formatReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof MalformedExport) {
      process.stderr.write(`${file} is not a Draftroom export: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`verify failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
