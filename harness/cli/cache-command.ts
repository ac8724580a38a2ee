/**
 * `schemabench cache list|clear`: the dataset templates kept on a `url` server
 * (DATABASE_URL). Servers the harness starts take their templates with them when they
 * stop; an existing server keeps them as a cache across runs until cleared.
 * Only `schemabench_tpl_*` databases are listed or dropped.
 */
import { resolveConfig } from '../config.ts';
import { UsageError } from '../errors.ts';
import { DatabaseAdmin } from '../postgres/database-admin.ts';
import { describeUri, startUrl } from '../postgres/url-provider.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const CACHE_USAGE = `schemabench cache list|clear
  List or drop the dataset templates (schemabench_tpl_*) cached on the server in DATABASE_URL.`;

export async function cacheCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'list' && action !== 'clear') throw new UsageError(`cache: the actions are list and clear (got ${JSON.stringify(action ?? '')})`);
  parseCommandLine(`cache ${action}`, rest, {});
  const { databaseUrl } = resolveConfig();
  // Validates DATABASE_URL and reachability with the url provider's messages, then releases it.
  const server = await startUrl(databaseUrl);
  await server.stop();
  const admin = new DatabaseAdmin(databaseUrl!, 'schemabench_tpl_');
  const templates = await admin.list();
  for (const name of templates) {
    if (action === 'clear') await admin.drop(name);
    process.stdout.write(`${action === 'clear' ? 'dropped' : 'cached'} ${name}\n`);
  }
  process.stdout.write(`${templates.length} dataset template(s) ${action === 'clear' ? 'dropped from' : 'on'} ${describeUri(databaseUrl!)}\n`);
  return 0;
}
