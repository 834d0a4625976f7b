import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";
import loadConfig from "next/dist/server/config";
import { blockCrossSiteDEV } from "next/dist/server/lib/router-utils/block-cross-site-dev";
import { beforeAll, describe, expect, it } from "vitest";

// Runs the dev server's own origin check (an internal Next.js module, so a Next.js upgrade may move
// it) on next.config.mjs as `next dev` loads it. A page whose HMR websocket is blocked does not
// hydrate in Next.js 16.5, and its sign-in form then never signs in.

const repositoryRoot = path.resolve(import.meta.dirname, "../..");

let allowedDevOrigins: string[] | undefined;

beforeAll(async () => {
  const config = await loadConfig(PHASE_DEVELOPMENT_SERVER, repositoryRoot);
  allowedDevOrigins = config.allowedDevOrigins;
});

/** Run the dev server's origin check on an HMR websocket request sent from `origin`. */
function checkHmrRequest(origin: string, serverHostname: string | undefined): { blocked: boolean; status: number } {
  const request = { url: "/_next/hmr?id=test", headers: { origin } } as unknown as IncomingMessage;
  const response = { statusCode: 200, end: () => {} } as unknown as ServerResponse;
  const blocked = blockCrossSiteDEV(request, response, allowedDevOrigins, serverHostname);
  return { blocked, status: response.statusCode };
}

// `npm run dev` passes no hostname, and `-H localhost` adds a host that is allowed already.
describe.each([undefined, "localhost"])("next dev origins with hostname %s", (serverHostname) => {
  it.each(["http://127.0.0.1:3000", "http://[::1]:3000", "http://localhost:3000"])("allows %s", (origin) => {
    const result = checkHmrRequest(origin, serverHostname);

    expect(result.blocked).toBe(false);
    expect(result.status).toBe(200);
  });

  it.each(["https://evil.example", "http://127.0.0.1.evil.example:3000", "http://192.168.1.20:3000"])(
    "blocks %s",
    (origin) => {
      const result = checkHmrRequest(origin, serverHostname);

      expect(result.blocked).toBe(true);
      expect(result.status).toBe(403);
    },
  );
});
