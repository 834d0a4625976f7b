import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { runAction } from "./action-result";

describe("runAction", () => {
  it("returns the data of a body that succeeds", async () => {
    expect(await runAction("test.ok", async () => 42)).toEqual({ ok: true, data: 42 });
  });

  it("keeps the code, message and details of an AppError", async () => {
    const details = { field: "mapping.title", reason: "csv_title_unmapped", params: { columns: "nom, portée" } };
    const result = await runAction("test.appError", async () => {
      throw new AppError(400, "bad_request", "No column is mapped to the title.", details);
    });

    expect(result).toEqual({
      ok: false,
      error: { code: "bad_request", message: "No column is mapped to the title.", details },
    });
  });

  it("sends no details for an AppError without them", async () => {
    const result = await runAction("test.forbidden", async () => {
      throw new AppError(403, "forbidden", "Your role does not allow this action.");
    });

    expect(result).toEqual({
      ok: false,
      error: { code: "forbidden", message: "Your role does not allow this action." },
    });
  });

  it("turns a zod error into invalid input with fields", async () => {
    const result = await runAction("test.zod", async () => z.object({ title: z.string() }).parse({}));

    expect(result).toMatchObject({ ok: false, error: { code: "invalid_input", fields: [{ path: "title" }] } });
  });
});
