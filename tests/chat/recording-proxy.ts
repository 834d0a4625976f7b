import { createServer, request as forward } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  path: string;
  body: unknown;
}

/**
 * A pass-through HTTP proxy on 127.0.0.1 that records each JSON request body, so a test can read
 * the exact prompt the gateway sent to the simulator. Responses, streams included, are piped back.
 */
export async function startRecordingProxy(target: string) {
  const recorded: RecordedRequest[] = [];
  const targetUrl = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const raw = Buffer.concat(chunks);
      try {
        recorded.push({ path: incoming.url ?? "/", body: JSON.parse(raw.toString("utf8") || "null") });
      } catch {
        recorded.push({ path: incoming.url ?? "/", body: raw.toString("utf8") });
      }
      const upstream = forward(
        {
          host: targetUrl.hostname,
          port: targetUrl.port,
          path: incoming.url,
          method: incoming.method,
          headers: incoming.headers,
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
          // A reset in the middle of the answer reaches the client as a reset too: `pipe` alone
          // would leave the client's stream open.
          response.on("aborted", () => outgoing.destroy());
          response.on("error", () => outgoing.destroy());
        },
      );
      upstream.on("error", () => outgoing.destroy());
      outgoing.on("close", () => upstream.destroy());
      upstream.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    recorded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
