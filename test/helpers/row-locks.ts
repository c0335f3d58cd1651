import pg from 'pg';

/**
 * Takes row locks in a transaction of its own (each `[sql, params]`, e.g. `SELECT … FOR UPDATE`)
 * and holds them for `ms`, then rolls back. Resolves once the locks are held, with `released`
 * (a promise of the rollback; wrapped, so awaiting the helper does not wait for it); `log` gets
 * 'released' at that moment, to order it among other events.
 */
export async function holdRowLocks(
  databaseUrl: string,
  locks: [string, unknown[]][],
  ms: number,
  log: string[],
): Promise<{ released: Promise<void> }> {
  const holder = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await holder.query('BEGIN');
  for (const [sql, params] of locks) await holder.query(sql, params);
  const released = new Promise<void>((resolve) =>
    setTimeout(() => {
      log.push('released');
      void holder
        .query('ROLLBACK')
        .then(() => holder.end())
        .then(resolve);
    }, ms),
  );
  return { released };
}
