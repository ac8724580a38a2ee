/**
 * One run at a time per output folder: two runs writing the same folder would merge
 * each other's result parts. The lock is a file naming the running process, created
 * exclusively (O_EXCL); a lock whose process is gone (same host) is stale and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { currentOwner, describeOwner, ownerGone, type ProcessOwner } from '../process-owner.ts';

const LOCK_FILE = '.schemabench-run.lock';

/** Take `dir` for this run; returns the release. A folder in use by a live run is a UsageError. */
export function lockOutputFolder(dir: string, owner: ProcessOwner = currentOwner()): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${JSON.stringify(owner)}\n`);
      closeSync(fd);
      return () => {
        try {
          if ((JSON.parse(readFileSync(path, 'utf8')) as ProcessOwner).pid === owner.pid) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: ProcessOwner | undefined;
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as ProcessOwner;
      } catch {
        holder = undefined; // being written this instant, or garbage: retried, then reported
      }
      if (holder && ownerGone(holder)) {
        rmSync(path, { force: true });
        continue;
      }
      throw new UsageError(`--out ${dir} is in use by another schemabench run (${holder ? describeOwner(holder) : 'unknown owner'}); wait for it or choose another --out`);
    }
  }
  throw new UsageError(`--out ${dir}: could not take its lock file ${path}`);
}

