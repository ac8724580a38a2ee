/**
 * Postgres refuses to run as root ("root execution of the PostgreSQL server is not
 * permitted"). As root the embedded server runs as the OS user `postgres`, created
 * when missing; as any other user it runs as that user.
 */
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

export interface OsUser {
  uid: number;
  gid: number;
}

export function serverOsUser(): OsUser | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = (): OsUser | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }));
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'pipe',
    });
  } catch {
    // Another process may have created it at the same moment; the lookup decides.
  }
  const created = lookup();
  if (!created) throw new Error('could not create the OS user "postgres" to run the embedded server as');
  return created;
}
