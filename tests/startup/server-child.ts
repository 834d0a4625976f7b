import { register } from "@/instrumentation";

/**
 * The Node.js start-up that `next dev` and `next start` run, without the HTTP server. Started as a
 * child process by the start-up tests, with NEXT_RUNTIME=nodejs as Next.js sets it.
 */
await register();

// Keeps the process running until a signal arrives, as the HTTP server does in Next.js.
setInterval(() => {}, 60_000);
