import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { executeRows } from "@/db/client";
import { getMigrationState } from "@/db/migrate";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import type { DatabaseHandle } from "./client";
import { user } from "./schema";

describeEachEngine("openDatabase", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });

  afterAll(async () => {
    await handle.close();
  });

  it("applies every committed migration", async () => {
    const state = await getMigrationState(handle);

    expect(state.available).toBeGreaterThan(0);
    expect(state.applied).toBe(state.available);
    expect(state.upToDate).toBe(true);
  });

  it("reports the engine it opened", () => {
    expect(handle.engine).toBe(engine);
  });

  it("uses pgvector on PGlite and matches the server's extension on Postgres", async () => {
    if (engine === "pglite") {
      expect(handle.vectorPath).toBe("pgvector");
      return;
    }
    const rows = await executeRows<{ present: boolean }>(
      handle.db,
      sql`select exists(select 1 from pg_extension where extname = 'vector') as present`,
    );
    expect(handle.vectorPath).toBe(rows[0]?.present ? "pgvector" : "exact");
  });

  it("round-trips a row through drizzle", async () => {
    const [created] = await handle.db
      .insert(user)
      .values({ email: "a@example.com", name: "A", passwordHash: "x" })
      .returning();
    const found = await handle.db.select().from(user);

    expect(created?.role).toBe("member");
    expect(found.map((row) => row.email)).toEqual(["a@example.com"]);
  });
});
