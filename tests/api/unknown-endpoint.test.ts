import { describe, expect, it } from "vitest";
import { DELETE, GET, POST } from "@/app/api/v1/[...path]/route";

const noParams = { params: Promise.resolve({ path: ["nothing", "here"] }) };

describe("unknown API endpoint", () => {
  it.each([
    ["GET", GET],
    ["POST", POST],
    ["DELETE", DELETE],
  ] as const)("answers %s with a JSON 404", async (method, handler) => {
    const response = await handler(new Request("http://127.0.0.1/api/v1/nothing/here", { method }), noParams);
    const body = (await response.json()) as { error: { code: string; message: string } };

    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toContain(`${method} /api/v1/nothing/here`);
  });
});
