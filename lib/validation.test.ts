import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatZodIssues } from "./validation";

describe("formatZodIssues", () => {
  it("says Invalid input once", () => {
    const result = z.object({ workspaceId: z.string() }).safeParse({});
    if (result.success) throw new Error("the empty object passed");

    const { message, fields } = formatZodIssues(result.error);

    expect(message).toBe("Invalid input: workspaceId: expected string, received undefined");
    expect(fields).toEqual([{ path: "workspaceId", message: "expected string, received undefined" }]);
  });

  it("keeps custom messages whole", () => {
    const result = z.object({ title: z.string().min(1, "Title is empty; type a title.") }).safeParse({ title: "" });
    if (result.success) throw new Error("the empty title passed");

    expect(formatZodIssues(result.error).message).toBe("Invalid input: title: Title is empty; type a title.");
  });
});
