import type { Response } from 'express';

/** Requests a middleware has let through and not yet answered (or lost to a closed connection). */
export function inFlightCounter() {
  let count = 0;
  return {
    get count(): number {
      return count;
    },
    /** Counts the request until its response finishes or its connection closes, whichever first. */
    enter(res: Response): void {
      count++;
      let left = false;
      const leave = () => {
        if (!left) count--;
        left = true;
      };
      res.once('finish', leave);
      res.once('close', leave);
    },
  };
}
