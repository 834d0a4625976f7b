import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Without this, `next dev` writes an AGENTS.md file into the repository.
  agentRules: false,
  reactStrictMode: true,
  poweredByHeader: false,
  // Loaded from node_modules at run time: PGlite and pgvector ship WASM and data files that the
  // bundler must not rewrite, and pg-boss and pino use dynamic requires.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-pgvector", "pg-boss", "pino", "postgres"],
};

export default withNextIntl(nextConfig);
