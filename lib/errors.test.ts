import { describe, expect, it, vi } from "vitest";

/** Load a fresh copy of a module, as Next.js gives each bundle that imports it. */
async function freshCopy<Module>(load: () => Promise<Module>): Promise<Module> {
  vi.resetModules();
  return load();
}

describe("errors across module copies", () => {
  it("matches classes of another copy", async () => {
    const first = await freshCopy(() => import("./ai/errors"));
    const second = await freshCopy(() => import("./ai/errors"));
    const secondBase = await import("./errors");
    expect(first.ModelError).not.toBe(second.ModelError);

    const modelError = new first.ModelError("rate_limited", "Slow down.");
    expect(modelError).toBeInstanceOf(second.ModelError);
    expect(modelError).toBeInstanceOf(secondBase.AppError);
    expect(second.isModelError(modelError)).toBe(true);
  });

  it("tells the classes apart", async () => {
    const { AppError } = await freshCopy(() => import("./errors"));
    const { ModelError } = await freshCopy(() => import("./ai/errors"));

    expect(new AppError(409, "conflict", "Taken.")).not.toBeInstanceOf(ModelError);
    expect(new Error("plain")).not.toBeInstanceOf(AppError);
    expect({ status: 409, code: "conflict", message: "look-alike" }).not.toBeInstanceOf(AppError);
    expect(null).not.toBeInstanceOf(AppError);
  });

  it("answers with another copy's status", async () => {
    const thrower = await freshCopy(() => import("./errors"));
    const route = await freshCopy(() => import("./http/route"));
    const { logger } = await import("./logger");

    const response = route.errorResponse(
      new thrower.AppError(409, "nothing_to_propose", "Nothing to propose.", { field: "itemIds" }),
      logger,
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      error: { code: "nothing_to_propose", details: { field: "itemIds" } },
    });
  });
});
