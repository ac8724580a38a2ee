/**
 * The options that set a run's server and dataset, shared by run, compare, fixtures and
 * calibrate, checked as typed: a bad value is a UsageError (one line, exit 2) before the
 * project loads. A command passes the values it has; an option it lacks is not there.
 */
import { parsePlanAt, parseProfile, parseProvider, parseScale, parseSeed } from '../config.ts';
import { parsePgMajors } from '../postgres/postgres-versions.ts';

export interface RunOptionValues {
  scale?: string;
  seed?: string;
  provider?: string;
  profile?: string;
  'plan-at'?: string;
  pg?: string;
}

export function checkRunOptions(values: RunOptionValues): void {
  if (values.scale !== undefined) parseScale(values.scale);
  if (values.seed !== undefined) parseSeed(values.seed);
  if (values.provider !== undefined) parseProvider(values.provider);
  if (values.profile !== undefined) parseProfile(values.profile);
  if (values['plan-at'] !== undefined) parsePlanAt(values['plan-at']);
  if (values.pg !== undefined) parsePgMajors(values.pg, '--pg');
}
