// @next/env is a CommonJS bundle whose named exports Node cannot detect, so take the default export.
import nextEnv from "@next/env";

/**
 * Load `.env`, `.env.local` and `.env.<mode>` files the way `next dev` and `next start` do, so
 * scripts see the same configuration as the app. Variables already set in the shell win.
 * Import this first: `lib/env.ts` validates the environment as soon as the logger loads.
 */
nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", { info: () => {}, error: console.error });
