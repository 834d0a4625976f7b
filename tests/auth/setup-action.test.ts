import { afterAll, beforeEach, expect, it, vi } from "vitest";
import { createFirstAdmin } from "@/app/setup/actions";
import type { DatabaseHandle } from "@/db/client";
import { getUserByEmail } from "@/db/queries/users";
import { listWorkspacesForUser } from "@/db/queries/workspaces";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";

// The action reads the process-wide database; point it at each test database in turn.
const current = vi.hoisted(() => ({ handle: undefined as DatabaseHandle | undefined }));
vi.mock("@/db", () => ({
  getDb: async () => {
    if (!current.handle) throw new Error("test database not open");
    return current.handle.db;
  },
}));

const validInput = {
  name: "First Admin",
  email: "First@Example.com",
  password: "long-enough-password",
  workspaceName: "Growth team",
};

function openDb() {
  if (!current.handle) throw new Error("test database not open");
  return current.handle.db;
}

describeEachEngine("createFirstAdmin", (engine) => {
  beforeEach(async () => {
    await current.handle?.close();
    current.handle = await createTestDatabase(engine);
  });

  afterAll(async () => {
    await current.handle?.close();
    current.handle = undefined;
  });

  it("creates an admin and their first workspace", async () => {
    const result = await createFirstAdmin(validInput);
    const admin = await getUserByEmail(openDb(), { email: "first@example.com" });
    const workspaces = admin ? await listWorkspacesForUser(openDb(), { userId: admin.id }) : [];

    expect(result.ok).toBe(true);
    expect(admin?.role).toBe("admin");
    expect(workspaces.map((workspace) => workspace.name)).toEqual(["Growth team"]);
  });

  it("rejects a second setup", async () => {
    await createFirstAdmin(validInput);

    const result = await createFirstAdmin({ ...validInput, email: "second@example.com" });

    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: "setup_done" }) });
    expect(await getUserByEmail(openDb(), { email: "second@example.com" })).toBeUndefined();
  });

  it("names the invalid fields", async () => {
    const result = await createFirstAdmin({ ...validInput, email: "not-an-email", password: "short" });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("invalid_input");
    expect(result.error.fields?.map((field) => field.path).sort()).toEqual(["email", "password"]);
  });
});
