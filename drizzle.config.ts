import { defineConfig } from "drizzle-kit";

// Migrations are generated here and applied in code (db/migrate.ts), because drizzle-kit's own
// migrate command neither creates the pgvector extension nor works reliably on PGlite.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: "snake_case",
});
