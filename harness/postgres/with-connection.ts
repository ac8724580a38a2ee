import pg from 'pg';

/** Run `fn` on a fresh connection to `uri`, closed afterwards whatever happens. */
export async function withConnection<T>(uri: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
