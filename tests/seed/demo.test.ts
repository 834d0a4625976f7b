import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { getUserByEmail, insertUser } from "@/db/queries/users";
import { listWorkspacesForUser } from "@/db/queries/workspaces";
import { DEMO_WORKSPACE_NAME, demoAccounts, OUTSIDER_WORKSPACE_NAME, seedDemo } from "@/db/seed/demo";
import { verifyPassword } from "@/lib/auth/password";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";

describeEachEngine("seedDemo", (engine) => {
  let handle: DatabaseHandle;
  let seeded: Awaited<ReturnType<typeof seedDemo>>;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    seeded = await seedDemo(handle.db);
  });

  afterAll(async () => {
    await handle.close();
  });

  it("creates one account per role with its documented password", async () => {
    for (const account of demoAccounts) {
      const user = await getUserByEmail(handle.db, { email: account.email });

      expect(user?.role, account.email).toBe(account.role);
      expect(await verifyPassword(account.password, user?.passwordHash ?? ""), account.email).toBe(true);
    }
  });

  it("puts everyone but the outsider in the demo workspace", async () => {
    for (const account of demoAccounts) {
      const user = await getUserByEmail(handle.db, { email: account.email });
      const names = (await listWorkspacesForUser(handle.db, { userId: user?.id ?? "" })).map((row) => row.name);
      const expected = account.workspace === "main" ? DEMO_WORKSPACE_NAME : OUTSIDER_WORKSPACE_NAME;

      expect(names, account.email).toEqual([expected]);
    }
  });

  it("returns both workspace ids", () => {
    expect(seeded?.workspaceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seeded?.outsiderWorkspaceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seeded?.workspaceId).not.toBe(seeded?.outsiderWorkspaceId);
  });

  it("does nothing on a database that has users", async () => {
    expect(await seedDemo(handle.db)).toBeNull();
  });
});

describeEachEngine("seedDemo on a used database", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });

  afterAll(async () => {
    await handle.close();
  });

  it("leaves an existing installation untouched", async () => {
    await insertUser(handle.db, { email: "real@example.com", name: "Real", passwordHash: "x", role: "admin" });

    const result = await seedDemo(handle.db);

    expect(result).toBeNull();
    expect(await getUserByEmail(handle.db, { email: "pm@rankwise.test" })).toBeUndefined();
  });
});
