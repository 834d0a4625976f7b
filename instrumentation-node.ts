/**
 * Start this server's services (see `lib/startup.ts`), or print why they cannot start and exit with
 * code 1. Node.js only: `instrumentation.ts` imports this module only in the Node.js runtime.
 */
export async function startNodeServer(): Promise<void> {
  try {
    // Imported inside the try: modules such as the logger validate configuration when loaded.
    const { startServer } = await import("@/lib/startup");
    await startServer();
  } catch (error) {
    // Configuration and database errors carry their own message naming what to change.
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
