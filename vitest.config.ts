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
    env: { NODE_ENV: "test" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
