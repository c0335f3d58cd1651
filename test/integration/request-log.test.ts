import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createAppDeps } from '../../api/deps.js';
import { createLogger } from '../../shared/logger.js';
import { createUser } from '../helpers/factories.js';
import { testConfig } from '../helpers/config.js';

interface Line {
  level: number;
  msg: string;
  requestId?: string;
  userId?: string;
  req?: { method: string; url: string; headers: Record<string, string> };
  res?: { statusCode: number };
  responseTime?: number;
}

/** The real app with the production logger (its redaction included) writing into `lines`. */
function appLoggingAt(level: 'info' | 'warn') {
  const lines: Line[] = [];
  const logger = createLogger({ LOG_LEVEL: level }, 'test-api', {
    write: (s: string) => lines.push(JSON.parse(s) as Line),
  });
  const deps = createAppDeps(testConfig(), logger, { dbPoolSize: 2 });
  return { app: buildApp(deps), lines, close: deps.close };
}

const info = appLoggingAt('info');
const quiet = appLoggingAt('warn');
afterAll(async () => {
  await info.close();
  await quiet.close();
});

describe('request logging', () => {
  it('logs one completed line per answer with the request id, the request and the status, the Authorization header redacted', async () => {
    const user = await createUser(info.app);
    const res = await request(info.app)
      .get('/v1/profile')
      .set(user.auth)
      .set('X-Request-Id', 'log-1');
    expect(res.status).toBe(200);
    const mine = info.lines.filter((l) => l.requestId === 'log-1');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'GET', url: '/v1/profile' },
      res: { statusCode: 200 },
    });
    expect(mine[0]?.req?.headers.authorization).toBe('[redacted]');
    // The line of an authenticated request names the caller.
    expect(mine[0]?.userId).toBe(user.id);
    expect(typeof mine[0]?.responseTime).toBe('number');
  });

  it('does not log health checks', async () => {
    await request(info.app).get('/v1/health').set('X-Request-Id', 'log-health');
    expect(info.lines.filter((l) => l.requestId === 'log-health')).toHaveLength(0);
  });

  it('logs nothing for a successful request below the configured level', async () => {
    const user = await createUser(quiet.app);
    const res = await request(quiet.app)
      .get('/v1/profile')
      .set(user.auth)
      .set('X-Request-Id', 'log-2');
    expect(res.status).toBe(200);
    expect(quiet.lines.filter((l) => l.requestId === 'log-2')).toHaveLength(0);
  });
});
