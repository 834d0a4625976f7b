/**
 * A counting semaphore per key (one key per deployment or model), so that a burst of batches
 * cannot exceed the quota of one deployment from this process. Waiters are served first come,
 * first served; a waiter whose signal aborts leaves the queue.
 */
export class KeyedLimiter {
  private readonly active = new Map<string, number>();
  private readonly queues = new Map<string, Array<() => void>>();

  constructor(private readonly limit: number) {}

  /** Wait for a slot; resolves to a release function that must be called exactly once. */
  async acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if ((this.active.get(key) ?? 0) < this.limit) {
      this.active.set(key, (this.active.get(key) ?? 0) + 1);
      return this.releaser(key);
    }

    await new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      this.queues.set(key, queue);
      const onAbort = () => {
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        reject(signal?.reason);
      };
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      queue.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    return this.releaser(key);
  }

  /** Requests in flight for a key; exposed for tests and logs. */
  activeCount(key: string): number {
    return this.active.get(key) ?? 0;
  }

  private releaser(key: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queues.get(key)?.shift();
      if (next) {
        // The slot passes straight to the next waiter, so the count stays the same.
        next();
        return;
      }
      this.active.set(key, (this.active.get(key) ?? 1) - 1);
    };
  }
}
