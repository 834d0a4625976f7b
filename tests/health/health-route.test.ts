import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";

// The route reads the process-wide database; point it at a test database, or at one that fails.
const current = vi.hoisted(() => ({ handle: undefined as DatabaseHandle | undefined, down: false }));
vi.mock("@/db", () => ({
  getDatabase: async () => {
    if (current.down || !current.handle) throw new Error("connect ECONNREFUSED postgres://rankwise:hunter2@db:5432/x");
    return current.handle;
  },
}));

const { GET } = await import("@/app/api/health/route");

function getHealth(): Promise<Response> {
  return GET(new Request("http://127.0.0.1/api/health"), { params: Promise.resolve({}) });
}

describeEachEngine("GET /api/health", (engine) => {
  beforeAll(async () => {
    current.handle = await createTestDatabase(engine);
    current.down = false;
  });

  afterAll(async () => {
    await current.handle?.close();
    current.handle = undefined;
  });

  it("reports engine, vector path and migrations", async () => {
    const response = await getHealth();
    const body = await response.json();

    expect(response.status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.database.engine).toBe(engine);
    expect(body.database.vectorPath).toBe(current.handle?.vectorPath);
    expect(body.database.migrations.upToDate).toBe(true);
  });

  it("reports the model provider", async () => {
    const body = await (await getHealth()).json();

    expect(typeof body.model.provider).toBe("string");
    expect(typeof body.model.simulated).toBe("boolean");
  });

  it("returns 503 without details when the database is down", async () => {
    current.down = true;
    const response = await getHealth();
    const text = await response.text();
    current.down = false;

    expect(response.status).toBe(503);
    expect(JSON.parse(text).database.status).toBe("down");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("ECONNREFUSED");
  });
});
