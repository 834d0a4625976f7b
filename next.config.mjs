import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/**
 * Headers of every response. The policy names only directives that the pages can keep without
 * nonces: scripts and styles stay as Next.js emits them, while framing, plugins and foreign `<base>`
 * and form targets are refused.
 */
const securityHeaders = [
  {
    key: "Content-Security-Policy",
    value: "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
  },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Without this, `next dev` writes an AGENTS.md file into the repository.
  agentRules: false,
  reactStrictMode: true,
  // `next dev` blocks its dev resources, the HMR websocket included, for pages opened on hosts other
  // than localhost and its `-H` hostname. In Next.js 16.5 such a page does not hydrate, so without
  // this list sign-in at http://127.0.0.1:3000 fails. Loopback addresses reach only this machine,
  // and `next start` ignores this list.
  allowedDevOrigins: ["127.0.0.1", "[::1]"],
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
  // Browsers and tools still ask for /favicon.ico on pages without a head, such as JSON responses.
  async redirects() {
    return [{ source: "/favicon.ico", destination: "/icon.svg", permanent: true }];
  },
  // `npm test` runs `tsc --noEmit` over the whole repository before the build, so the build skips
  // its own type-check pass (minutes on a small machine).
  typescript: { ignoreBuildErrors: true },
  // Enables `forbidden()` in server components, so a role without access gets a real 403 page.
  // agentUpgrade: false stops `next dev` and `next build` from writing upgrade notes into AGENTS.md.
  experimental: { authInterrupts: true, agentUpgrade: false },
  // Loaded from node_modules at run time: PGlite and pgvector ship WASM and data files that the
  // bundler must not rewrite, and pg-boss and pino use dynamic requires.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-pgvector", "pg-boss", "pino", "postgres"],
};

export default withNextIntl(nextConfig);
