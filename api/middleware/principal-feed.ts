import { principalEventsChannel } from '../../shared/queue/contract.js';
import type { Logger } from '../../shared/logger.js';
import type { Redis } from '../../shared/redis.js';

/**
 * Tells every API process when a user's tokens were ended (logout, revoke, password change or
 * reset, refresh-token reuse, account deletion), over Redis pub/sub, so a process may trust a
 * cached sessionVersion for longer than a second.
 *
 * `live` is true only while this process's subscription is confirmed: from the SUBSCRIBE answer
 * after a (re)connect until the connection drops. Every change of `live` starts a new `epoch`. A
 * read that started and ended within one live epoch would have been followed by any later
 * announcement; any other read must be trusted for under a second only (principals.ts).
 */
export interface PrincipalFeed {
  readonly live: boolean;
  readonly epoch: number;
  /** Announces that the user's sessionVersion changed; never throws (a failure is logged). */
  announce(userId: string): void;
  /** `onChanged(userId)` for every announcement; `onLost()` whenever the feed stops being live. */
  listen(handlers: { onChanged: (userId: string) => void; onLost: () => void }): void;
}

export function createPrincipalFeed(
  subscriber: Redis,
  publisher: Redis,
  prefix: string,
  logger: Logger,
): PrincipalFeed {
  const channel = principalEventsChannel(prefix);
  let live = false;
  let epoch = 0;
  const changed: ((userId: string) => void)[] = [];
  const lost: (() => void)[] = [];

  const goDown = () => {
    if (!live) return;
    live = false;
    epoch++;
    for (const handler of lost) handler();
  };
  const confirm = () => {
    const at = epoch;
    subscriber.subscribe(channel).then(
      () => {
        // Still the same connection: announcements from now on reach this process.
        if (at === epoch && !live && subscriber.status === 'ready') {
          live = true;
          epoch++;
        }
      },
      () => undefined,
    );
  };

  subscriber.on('message', (from: string, userId: string) => {
    if (from !== channel) return;
    for (const handler of changed) handler(userId);
  });
  subscriber.on('ready', confirm);
  for (const event of ['close', 'end', 'reconnecting']) subscriber.on(event, goDown);
  if (subscriber.status === 'ready') confirm();

  return {
    get live() {
      return live;
    },
    get epoch() {
      return epoch;
    },
    announce(userId) {
      publisher.publish(channel, userId).catch((err: unknown) => {
        // The other processes' cached entries then last until they expire or their own
        // subscription drops (see README, "Auth cache").
        logger.warn({ err, userId }, 'could not announce a token revocation to other processes');
      });
    },
    listen({ onChanged, onLost }) {
      changed.push(onChanged);
      lost.push(onLost);
    },
  };
}
