import { UnrecoverableError } from 'bullmq';

/**
 * A session that can never be scored as it is: retrying is pointless, so BullMQ fails the job at
 * once and the session becomes FAILED with this code.
 */
export class PermanentSessionError extends UnrecoverableError {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
