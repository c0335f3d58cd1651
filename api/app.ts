import cors from 'cors';
import express, { type Express, type Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import helmet from 'helmet';
import { accountRoutes } from './account/routes.js';
import { authRoutes } from './auth/routes.js';
import type { AppDeps } from './deps.js';
import { healthRoutes } from './health/routes.js';
import { errorHandler, notFoundRoute } from './middleware/problem.js';
import { rejectNulCharacters, wellFormedStrings } from './middleware/text-guards.js';
import { requestLog } from './middleware/request-log.js';
import { catalogRoutes } from './catalog/routes.js';
import { legacyRoutes } from './legacy/routes.js';
import { missionRoutes } from './missions/routes.js';
import { practiceRoutes } from './practice/routes.js';
import { bullBoard, BULL_BOARD_PATH } from './ops/bull-board.js';
import { createApiMetrics, metricsEndpoint } from './ops/metrics.js';
import { metricsAccess } from '../shared/metrics-access.js';
import { openApiDocument } from './ops/openapi.js';
import { MetricsText, OpenApiDocumentSchema } from './ops/schemas.js';
import { profileRoutes } from './profile/routes.js';
import { mountDocumented, type Operation } from './shared/operations.js';
import { statsRoutes } from './stats/routes.js';
import { walletRoutes } from './wallet/routes.js';

/** Builds the HTTP app without listening; entry points and tests supply the dependencies. */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);

  app.use(requestLog(deps.logger));
  const metrics = createApiMetrics({
    queues: deps.queues,
    prisma: deps.prisma,
    longPollsWaiting: () => deps.sessionEvents.waiting,
    submitBatches: deps.submitBatches,
  });
  app.use(metrics.measure);
  // Production without METRICS_TOKEN: not mounted, so /metrics answers 404 (API.md).
  // Filled below as the routers are mounted; the document is built on first request.
  const operations: Operation[] = [
    {
      method: 'get',
      path: '/v1/openapi.json',
      summary: 'This document',
      database: false,
      ok: { 200: { description: 'OpenAPI 3.1', schema: OpenApiDocumentSchema } },
    },
  ];
  const metricsAccessRule = metricsAccess(deps.config);
  if (metricsAccessRule.kind !== 'off') {
    app.get('/metrics', metricsEndpoint(metrics.registry, metricsAccessRule));
    operations.push({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics (with METRICS_TOKEN set: `Authorization: Bearer <token>`)',
      database: false,
      ok: {
        200: { description: 'Metrics', schema: MetricsText, contentType: 'text/plain' },
      },
      ...(metricsAccessRule.kind === 'token' ? { problems: ['AUTH_INVALID' as const] } : {}),
    });
  }
  let document: object | undefined;
  app.get('/v1/openapi.json', (_req, res) => {
    document ??= openApiDocument(operations);
    res.json(document);
  });
  // The ops UIs ship their own scripts and styles: a relaxed CSP for them only.
  const uiHelmet = helmet({ contentSecurityPolicy: false });
  app.use(
    '/docs',
    uiHelmet,
    swaggerUi.serve,
    swaggerUi.setup(null, { swaggerOptions: { url: '/v1/openapi.json' } }),
  );
  const board = bullBoard(deps);
  if (board) app.use(BULL_BOARD_PATH, uiHelmet, board);

  app.use(helmet());
  app.use(
    cors({
      origin: deps.config.CORS_ORIGINS,
      // Headers of API.md a browser client must be able to read.
      exposedHeaders: [
        'X-Request-Id',
        'Location',
        'Retry-After',
        'Idempotent-Replayed',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
        'Deprecation',
        'Sunset',
        'Link',
        'Content-Disposition',
      ],
    }),
  );
  app.use(express.json({ limit: '1mb', verify: rejectNulCharacters, reviver: wellFormedStrings }));

  // Each router declares its routes once with route(): mounted here and documented in OpenAPI.
  const mount = (prefix: string, router: Router) => {
    mountDocumented(app, prefix, router, operations);
  };
  mount('/v1/health', healthRoutes(deps));
  mount('/v1/auth', authRoutes(deps));
  mount('/v1/profile', profileRoutes(deps));
  mount('/v1/account', accountRoutes(deps));
  mount('/v1/practice', practiceRoutes(deps));
  mount('/v1/stats', statsRoutes(deps));
  mount('/v1/wallet', walletRoutes(deps));
  mount('/v1/missions', missionRoutes(deps));
  mount('/v1', catalogRoutes(deps));
  mount('/v1', legacyRoutes(deps));

  app.use(notFoundRoute);
  app.use(errorHandler);
  return app;
}
