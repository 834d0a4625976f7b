/** Next.js start-up hook: runs once when a server instance boots, before it serves requests. */
export async function register() {
  // Next.js also builds this file for the Edge runtime, where proxy.ts runs, and replaces
  // `process.env.NEXT_RUNTIME` with a constant there. So this branch, its import and the
  // `process.exit` behind it drop out of the Edge build. With an early `return` in its place,
  // `next dev` (Next.js 16.5) warned on every request that the Edge runtime lacks `process.exit`.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startNodeServer } = await import("./instrumentation-node");
    await startNodeServer();
  }
}
