/**
 * The framework floor's API (bench/floor.ts): what a submit costs in this stack with no Postgres
 * and no app logic — Express 5 parsing the JSON body, the app's own JWT verification and zod
 * schema, one BullMQ add with the app's job options, a 202. Started by the bench with the app's
 * environment (REDIS_URL, QUEUE_PREFIX, JWT_SECRET, PORT).
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { verifyAccessToken } from '../../../api/auth/tokens.js';
import { TextSessionSchema } from '../../../api/practice/schemas.js';
import { parseConfig } from '../../../shared/config.js';
import { SCORE_SESSION_JOB, scoringJobOptions } from '../../../shared/queue/contract.js';
import { createScoringQueue } from '../../../shared/queue/producer.js';
import { createRedis } from '../../../shared/redis.js';

const config = parseConfig(process.env);
const queue = createScoringQueue(config, createRedis(config, 'api'));
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/v1/practice/session', async (req, res) => {
  const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  try {
    verifyAccessToken(config, token ?? '');
  } catch {
    res.status(401).end();
    return;
  }
  const body = TextSessionSchema.safeParse(req.body);
  if (!body.success) {
    res.status(400).end();
    return;
  }
  const sessionId = randomUUID();
  await queue.add(SCORE_SESSION_JOB, { sessionId }, scoringJobOptions(config, sessionId));
  res.status(202).json({ id: sessionId, status: 'QUEUED', mode: 'TEXT' });
});
app.get('/v1/health/ready', (_req, res) => {
  res.json({ status: 'ok' });
});
app.listen(config.PORT, '127.0.0.1');
