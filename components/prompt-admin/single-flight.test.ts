import { describe, expect, it } from "vitest";
import { createSingleFlight } from "./single-flight";

describe("createSingleFlight", () => {
  it("runs a double call once", async () => {
    const runOnce = createSingleFlight();
    let calls = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const action = async () => {
      calls += 1;
      await gate;
      return calls;
    };

    const first = runOnce(action);
    const second = runOnce(action);
    release();

    expect(await first).toBe(1);
    expect(await second).toBeUndefined();
    expect(calls).toBe(1);
  });

  it("runs again after the action ended", async () => {
    const runOnce = createSingleFlight();
    await expect(runOnce(async () => "first")).resolves.toBe("first");
    await expect(runOnce(async () => "second")).resolves.toBe("second");
  });

  it("runs again after the action failed", async () => {
    const runOnce = createSingleFlight();
    await expect(runOnce(async () => Promise.reject(new Error("failed")))).rejects.toThrow("failed");
    await expect(runOnce(async () => "next")).resolves.toBe("next");
  });
});
