import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';

/** node:util parseArgs, strict, with its errors turned into one-line usage errors. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]!;
    throw new UsageError(`schemabench ${command}: ${message} (see schemabench --help)`);
  }
}
