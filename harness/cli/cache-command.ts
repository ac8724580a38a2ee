/**
 * `schemabench cache`: its usage and the checks of what was typed, in a module that loads
 * nothing heavy (the listing and dropping is cached-databases.ts): bad arguments are one
 * line and exit 2 before pg, the project's config and TypeScript's loader load.
 */
import { UsageError } from '../errors.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const CACHE_USAGE = `schemabench cache list|clear
  List or drop the dataset templates (schemabench_tpl_*) cached on the server in DATABASE_URL, and the
  schemabench_* databases of runs that died there (clear never touches a live run's databases).`;

export type CacheAction = 'list' | 'clear';

/** The arguments as typed: an action, no option. */
export function parseCacheArguments(args: string[]): CacheAction {
  const [action, ...rest] = args;
  if (action !== 'list' && action !== 'clear') throw new UsageError(`cache: the actions are list and clear (got ${JSON.stringify(action ?? '')})`);
  parseCommandLine(`cache ${action}`, rest, {});
  return action;
}

export async function cacheCommand(action: CacheAction): Promise<number> {
  const { cachedDatabases } = await import('./cached-databases.ts');
  return cachedDatabases(action);
}
