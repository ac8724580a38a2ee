/** Rows inserted per measured iteration by every insert method. */
export const ROWS_PER_ITERATION = 2_000;
