import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    // Unit tests sit beside the code, integration tests under tests/; Playwright specs (e2e/) never run here.
    include: [
      "lib/**/*.test.ts",
      "db/**/*.test.ts",
      "app/**/*.test.ts",
      "components/**/*.test.{ts,tsx}",
      "tests/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    exclude: ["e2e/**", "node_modules/**", ".next/**"],
    environment: "node",
    // Tests poll routes with access tokens far faster than a client may; tests/api/rate-limit.test.ts
    // sets its own small limit.
    env: { NODE_ENV: "test", API_RATE_LIMIT_PER_MINUTE: "100000" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
