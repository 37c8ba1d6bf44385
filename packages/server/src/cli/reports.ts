/**
 * `parley reports`: the latest meet reports, for an operator. Reads the database the
 * server is configured with (--data-dir's SQLite, or --database-url's PostgreSQL), so
 * it takes the same flags and PARLEY_* variables as the server, plus its own.
 */
import {
  ConfigError,
  describeOptions,
  opt,
  optionSpecs,
  readOptions,
  type OptionValues,
} from '../config.js';
import { openStore } from '../store/index.js';
import { MeetStore, type MeetReport } from '../meet/index.js';

export const reportsOptions = {
  limit: opt({
    kind: 'int',
    env: 'PARLEY_REPORTS_LIMIT',
    default: 50,
    min: 1,
    help: 'how many reports to list, newest first',
  }),
  sinceHours: opt({
    kind: 'int',
    env: 'PARLEY_REPORTS_SINCE_HOURS',
    default: 0,
    min: 0,
    help: 'only reports of the last this many hours (0: any age)',
  }),
  json: opt({
    kind: 'bool',
    env: 'PARLEY_REPORTS_JSON',
    default: false,
    help: 'one JSON object a line instead of a table',
  }),
} as const;

type ReportsValues = OptionValues<typeof optionSpecs & typeof reportsOptions>;

export function reportsHelp(): string {
  return [
    'Usage: parley reports [--limit <n>] [--since-hours <n>] [--json] [server options]',
    '',
    'Lists the latest meet reports (reason, text, both sides) from the configured database.',
    '',
    ...describeOptions(reportsOptions),
    '',
    "The database is the server's: --data-dir (SQLite) or --database-url (PostgreSQL).",
  ].join('\n');
}

/** One report as a line of the table. */
export function reportLine(r: MeetReport): string {
  const text = r.text === null ? '' : ` "${r.text.replace(/\s+/g, ' ').slice(0, 200)}"`;
  return (
    `${new Date(r.createdAt).toISOString()}  ${r.reason.padEnd(10)}  ` +
    `reporter ${r.reporterPerson} (session ${r.reporterSession})  ` +
    `reported ${r.reportedPerson} (session ${r.reportedSession})  match ${r.matchId}${text}`
  );
}

/** Run the command; returns the process exit code. */
export async function reportsCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(reportsHelp() + '\n');
    return 0;
  }
  let values: ReportsValues;
  try {
    values = readOptions({ ...optionSpecs, ...reportsOptions }, argv, env);
  } catch (e) {
    if (e instanceof ConfigError) {
      err(`parley reports: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const store = await openStore({
    dataDir: values.dataDir ?? './data',
    ...(values.databaseUrl === undefined ? {} : { databaseUrl: values.databaseUrl }),
  });
  try {
    const since = values.sinceHours > 0 ? Date.now() - values.sinceHours * 3_600_000 : 0;
    const reports = await new MeetStore(store.db).recentReports(values.limit, since);
    if (values.json) {
      for (const r of reports) {
        out(JSON.stringify(r) + '\n');
      }
    } else if (reports.length === 0) {
      out(`no reports (${store.dialect} at ${store.location})\n`);
    } else {
      out(
        `${reports.length} latest report(s), newest first (${store.dialect} at ${store.location}):\n`,
      );
      for (const r of reports) {
        out(reportLine(r) + '\n');
      }
    }
    return 0;
  } finally {
    await store.close();
  }
}
