/** Run a TypeScript file or the schemabench CLI in a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { PACKAGE_ROOT as PROJECT_ROOT } from '../../harness/package-root.ts';

export const CLI = join(PROJECT_ROOT, 'bin', 'schemabench.mjs');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One node process with tsx's loader (not the tsx wrapper, which would add a second process). */
export function spawnTsx(file: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Finished> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return collect(child);
}

export async function collect(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** The first line the child prints on stdout, parsed as JSON. */
export async function firstJsonLine<T>(child: ChildProcess, timeoutMs = 60_000): Promise<T> {
  let buffer = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    child.stdout!.on('data', (d) => {
      buffer += d;
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(buffer.slice(0, newline)) as T);
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing; stderr: ${stderr}`)));
  });
}
