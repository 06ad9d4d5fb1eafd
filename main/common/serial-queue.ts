/**
 * A queue that runs async jobs one at a time, in the order they were given.
 * A failed job never blocks the next; its failure goes to its own caller.
 */

/** Runs `fn` after every job queued before it has settled; resolves or rejects as `fn` does. */
export type SerialQueue = <T>(fn: () => Promise<T>) => Promise<T>;

/** A new, empty {@link SerialQueue}. */
export function createSerialQueue(): SerialQueue {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    // The queue goes on whether the job succeeded or not; only the caller hears the failure.
    chain = run.catch(() => undefined);
    return run;
  };
}
