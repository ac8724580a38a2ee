/**
 * Seed 000, "Time for each endpoint": one measured case per endpoint of the store,
 * on the dataset with the seed's three index fixes in place (its final state).
 */
import { benchmarkSuite } from 'schemabench';
import { ENDPOINTS } from './endpoints.ts';

benchmarkSuite('store', ({ measure }) => {
  for (const e of ENDPOINTS) measure(e.case, { measure: { rounds: 4, roundMs: 100 } });
});
