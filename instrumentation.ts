/** Next.js start-up hook: runs once when a server instance boots, before it serves requests. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;

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
