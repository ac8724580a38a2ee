/**
 * A case the server cannot run: a feature its version lacks (pg_buffercache_evict
 * before 17), a privilege its role lacks (superuser on a managed server), an
 * extension it does not offer. Thrown before anything is measured; the suite turns it
 * into a vitest skip with the reason printed, and records it in results.json, so a
 * version matrix shows "not measurable here, because ..." instead of a failure.
 */
export class CaseSkipped extends Error {
  override readonly name = 'CaseSkipped';
  constructor(
    /** `name[variant]` of the case. */
    readonly caseId: string,
    /** Why, in a sentence naming the missing feature and what the server has. */
    readonly reason: string,
  ) {
    super(`${caseId} skipped: ${reason}`);
  }
}
