import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';

/**
 * node:util parseArgs reads `--seed -1` as the option --seed followed by an option -1
 * ("argument is ambiguous"). A value that looks like a negative number after an option
 * that takes a value is that option's value: it is joined as `--seed=-1`, so the
 * option's own check names the problem.
 */
function joinNegativeValues(args: string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const next = args[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  return joined;
}

/** What parseArgs gives for `options` (named here: declaration output cannot name node:util's inner types). */
type ParsedValues<T extends NonNullable<ParseArgsConfig['options']>> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>>['values'];

/** node:util parseArgs, strict, with its errors turned into one-line usage errors. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T): ParsedValues<T> {
  try {
    return parseArgs({ args: joinNegativeValues(args, options), options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]!;
    throw new UsageError(`schemabench ${command}: ${message} (see schemabench ${command} --help)`);
  }
}
