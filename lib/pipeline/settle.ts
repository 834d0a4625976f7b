/**
 * Run work items in parallel under a concurrency cap with all-settled semantics: every item ends
 * as fulfilled, rejected or skipped, and one failure never discards the others. Each item gets a
 * signal that aborts at its deadline or when the caller's signal aborts.
 */

export class DeadlineExceededError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`the batch did not finish within its deadline of ${Math.round(deadlineMs / 1000)} s`);
    this.name = "DeadlineExceededError";
  }
}

export class CancelledError extends Error {
  constructor(reason = "the run was cancelled") {
    super(reason);
    this.name = "CancelledError";
  }
}

export type Settled<Item, Result> =
  | { item: Item; status: "fulfilled"; value: Result }
  | { item: Item; status: "rejected"; error: unknown }
  /** Not started because the caller's signal aborted first. */
  | { item: Item; status: "skipped" };

export interface SettleOptions {
  concurrency: number;
  /** Limit per item, in milliseconds; the item's signal aborts with `DeadlineExceededError`. */
  deadlineMs?: number;
  signal?: AbortSignal;
}

export async function settleAll<Item, Result>(
  items: readonly Item[],
  options: SettleOptions,
  execute: (item: Item, signal: AbortSignal) => Promise<Result>,
): Promise<Settled<Item, Result>[]> {
  const results: Settled<Item, Result>[] = new Array(items.length);
  let next = 0;

  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as Item;
      if (options.signal?.aborted) {
        results[index] = { item, status: "skipped" };
        continue;
      }
      results[index] = await settleOne(item, options, execute);
    }
  };

  const lanes = Math.max(1, Math.min(options.concurrency, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return results;
}

async function settleOne<Item, Result>(
  item: Item,
  options: SettleOptions,
  execute: (item: Item, signal: AbortSignal) => Promise<Result>,
): Promise<Settled<Item, Result>> {
  const controller = new AbortController();
  const timer =
    options.deadlineMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(new DeadlineExceededError(options.deadlineMs ?? 0)), options.deadlineMs);
  const onAbort = () => controller.abort(options.signal?.reason ?? new CancelledError());
  options.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    // The race ends the item at its deadline even when `execute` ignores its signal.
    const value = await Promise.race([execute(item, controller.signal), rejectOnAbort(controller.signal)]);
    return { item, status: "fulfilled", value };
  } catch (error) {
    return { item, status: "rejected", error: controller.signal.aborted ? controller.signal.reason : error };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
