/** The load driver only loads servers on this machine: a URI whose host is a loopback address. */

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export function isLoopbackUri(uri: string): boolean {
  try {
    return LOOPBACK.test(new URL(uri).hostname);
  } catch {
    return false;
  }
}
