import { createTransport } from 'nodemailer';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends email over SMTP (SMTP_URL), or, when unconfigured, drops it with a warning. */
export interface Mailer {
  /** False when SMTP_URL is unset: nothing is sent. */
  readonly enabled: boolean;
  /** Resolves once the SMTP server accepted the message; rejects when it refused or was unreachable. */
  send(message: MailMessage): Promise<void>;
  /** Closes the transport's connections. */
  close(): void;
}

/**
 * Connection timeouts in ms, far below nodemailer's defaults (2 and 10 minutes): mail is sent in
 * the background, and a mail server that stopped answering must not hold a shutdown for long.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** SMTP connections one process keeps open at most. */
const MAX_CONNECTIONS = 3;

/** Built once per process from config; says at start which mailer it is (never the credentials). */
export function createMailer(
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM'>,
  logger: Logger,
): Mailer {
  if (!config.SMTP_URL) {
    logger.warn('mail is off (SMTP_URL unset): password-reset emails are not sent');
    return {
      enabled: false,
      send: (message) => {
        logger.warn({ subject: message.subject }, 'mail is off (SMTP_URL unset): email not sent');
        return Promise.resolve();
      },
      close: () => undefined,
    };
  }
  const url = new URL(config.SMTP_URL);
  // A small pool: a burst of resets queues for a few reused connections instead of opening one
  // connection per email.
  const transport = createTransport({
    pool: true,
    maxConnections: MAX_CONNECTIONS,
    url: config.SMTP_URL,
    ...TIMEOUTS,
  });
  logger.info(
    { host: url.hostname, port: url.port || null, tls: url.protocol === 'smtps:' },
    'mail over SMTP',
  );
  return {
    enabled: true,
    send: async (message) => {
      await transport.sendMail({
        from: config.MAIL_FROM,
        ...message,
        // Plain ASCII stays readable in the raw message (and in the tests that read it).
        textEncoding: 'quoted-printable',
      });
    },
    close: () => {
      transport.close();
    },
  };
}
