import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** The one structured logger factory; secrets and tokens are redacted wherever they appear. */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL'>,
  name: string,
  /** Where lines go (stdout by default; tests collect them). */
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name,
      level: config.LOG_LEVEL,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.password',
          '*.refreshToken',
          '*.accessToken',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
