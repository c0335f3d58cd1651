import { SMTPServer } from 'smtp-server';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { freePort } from './ports.js';

export interface ReceivedMail {
  /** Envelope recipients. */
  to: string[];
  /** The message as the server received it (headers and MIME body). */
  raw: string;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  /** Every message received so far, in order. */
  received: ReceivedMail[];
  /** Messages received so far for one envelope recipient. */
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` package) on a free loopback port, keeping every message
 * it accepts. Plain SMTP without AUTH or STARTTLS, as a relay on loopback would be.
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to: (address) => received.filter((m) => m.to.includes(address.toLowerCase())),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Undoes quoted-printable (soft line breaks and =XX escapes) over a whole raw message. */
export function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The reset token in a received password-reset email (the `token` parameter of its link). */
export function resetTokenIn(mail: ReceivedMail): string {
  const match = /[?&]token=([\w-]+)/.exec(decodeQuotedPrintable(mail.raw));
  if (!match?.[1]) throw new Error(`no reset link in:\n${mail.raw}`);
  return match[1];
}

/** A logger that keeps its JSON lines (from `level` up) for assertions. */
export function capturingLogger(level = 'info'): {
  logger: Logger;
  lines: { level: number; msg: string; [key: string]: unknown }[];
} {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
