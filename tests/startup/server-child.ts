import { register } from "@/instrumentation";

/**
 * The Node.js start-up that `next dev` and `next start` run, without the HTTP server. Started as a
 * child process by the start-up tests, with NEXT_RUNTIME=nodejs as Next.js sets it.
 */
// Stands in for the handlers of `next start`, which are installed before `register()` runs and
// exit at once.
if (process.env.EARLIER_SIGNAL_LISTENER === "true") {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, async () => {
      // Through the app's logger, so its line keeps its place among the app's buffered lines.
      const { logger } = await import("@/lib/logger");
      logger.info({ signal }, "earlier listener");
      process.exit(signal === "SIGTERM" ? 143 : 130);
    });
  }
}

await register();

// Keeps the process running until a signal arrives, as the HTTP server does in Next.js.
setInterval(() => {}, 60_000);
