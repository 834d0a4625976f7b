import { sql } from "drizzle-orm";
import { getDatabase } from "@/db";
import { getMigrationState, type MigrationState } from "@/db/migrate";
import { getModelInfo } from "@/lib/ai";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";

// Always run at request time: a health response must never come from the build.
export const dynamic = "force-dynamic";

/**
 * Report liveness and configuration to operators and load balancers. The route is public and
 * returns no secret (no connection string, no key, no endpoint). It returns 503 when the
 * database does not respond, and `degraded` while migrations are pending.
 */
export const GET = apiRoute(async ({ log }) => {
  let database: { engine: string; vectorPath: string; migrations: MigrationState };
  try {
    const handle = await getDatabase();
    await handle.db.execute(sql`select 1`);
    database = { engine: handle.engine, vectorPath: handle.vectorPath, migrations: await getMigrationState(handle) };
  } catch (error) {
    log.error({ err: error }, "health check failed: database unavailable");
    return Response.json({ status: "unavailable", database: { status: "down" } }, { status: 503 });
  }

  const { provider, simulated, models } = getModelInfo();
  return Response.json({
    status: database.migrations.upToDate ? "ok" : "degraded",
    database: { status: "up", ...database },
    model: { provider, simulated, models },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
