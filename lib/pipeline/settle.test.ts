import { describe, expect, it } from "vitest";
import { CancelledError, DeadlineExceededError, settleAll } from "./settle";

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("settleAll", () => {
  it("keeps results of fulfilled items beside rejected ones", async () => {
    const settled = await settleAll([1, 2, 3], { concurrency: 3 }, async (item) => {
      if (item === 2) throw new Error("boom");
      return item * 10;
    });

    expect(settled.map((entry) => entry.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(settled[0]).toMatchObject({ value: 10 });
    expect(settled[1]).toMatchObject({ error: new Error("boom") });
  });

  it("never runs more items at once than the cap", async () => {
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 6 }, () => deferred());
    const started: number[] = [];

    const done = settleAll([0, 1, 2, 3, 4, 5], { concurrency: 2 }, async (item) => {
      running++;
      peak = Math.max(peak, running);
      started.push(item);
      await gates[item]?.promise;
      running--;
      return item;
    });
    for (const gate of gates) gate.resolve();
    await done;

    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("rejects an item at its deadline even when it ignores the signal", async () => {
    const never = new Promise<number>(() => {});

    const [settled] = await settleAll([1], { concurrency: 1, deadlineMs: 50 }, () => never);

    expect(settled?.status).toBe("rejected");
    expect((settled as { error: unknown }).error).toBeInstanceOf(DeadlineExceededError);
  });

  it("aborts items in flight and skips pending ones on cancel", async () => {
    const controller = new AbortController();
    const firstStarted = deferred();
    const observed: string[] = [];

    const done = settleAll([1, 2, 3], { concurrency: 1, signal: controller.signal }, (item, signal) => {
      firstStarted.resolve();
      return new Promise<number>((_, reject) => {
        signal.addEventListener("abort", () => {
          observed.push(`aborted ${item}`);
          reject(new Error("aborted"));
        });
      });
    });
    await firstStarted.promise;
    controller.abort(new CancelledError());
    const settled = await done;

    expect(settled.map((entry) => entry.status)).toEqual(["rejected", "skipped", "skipped"]);
    expect((settled[0] as { error: unknown }).error).toBeInstanceOf(CancelledError);
    expect(observed).toEqual(["aborted 1"]);
  });

  it("returns an empty list for no items", async () => {
    expect(await settleAll([], { concurrency: 4 }, async () => 1)).toEqual([]);
  });
});
