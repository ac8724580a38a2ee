/**
 * A tool some specs need that a contributor's machine may lack (a Docker engine, Chromium,
 * pnpm, yarn): without it they skip, printing why; where its SCHEMABENCH_EXPECT_* variable is
 * 1 (.ci/run sets them) they run, and fail on its absence instead of skipping.
 */
export interface NeededTool {
  /** Whether the specs run: the tool is here, or it is expected. */
  runs: boolean;
  /** Throws when the tool is missing (it was expected: the specs ran). */
  assertPresent(): void;
}

/** `missing`: why the tool is not here (with how to install it), undefined when it is. */
export function neededTool(variable: string, specs: string, missing: string | undefined): NeededTool {
  const expected = process.env[variable] === '1';
  if (missing !== undefined && !expected) console.warn(`skipping ${specs}: ${missing}`);
  return {
    runs: missing === undefined || expected,
    assertPresent() {
      if (missing !== undefined) throw new Error(`${variable}=1 but ${missing}`);
    },
  };
}
