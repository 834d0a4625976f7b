/**
 * Preloaded into the benchmarked `next start` process (NODE_OPTIONS=--require …) so the benchmarks
 * can read from outside what only that process can measure: its event-loop delay, its memory and
 * its CPU time. It serves one JSON document on 127.0.0.1:BENCH_PROBE_PORT; `?reset=1` clears the
 * delay histogram after reading it. Delays are in milliseconds, memory in bytes and CPU time in
 * microseconds. A process that cannot take the port (a child of the server, if any) runs without
 * the probe.
 */
const http = require("node:http");
const { monitorEventLoopDelay } = require("node:perf_hooks");

const port = Number(process.env.BENCH_PROBE_PORT);
if (Number.isInteger(port) && port > 0) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();

  const server = http.createServer((request, response) => {
    const toMs = (nanoseconds) => Math.round((nanoseconds / 1e6) * 100) / 100;
    const body = {
      pid: process.pid,
      loopDelayMs: {
        p50: toMs(histogram.percentile(50)),
        p99: toMs(histogram.percentile(99)),
        max: toMs(histogram.max),
        samples: histogram.count,
      },
      memory: process.memoryUsage(),
      cpuMicros: process.cpuUsage(),
    };
    if ((request.url ?? "").includes("reset=1")) histogram.reset();
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  });
  server.on("error", () => histogram.disable());
  server.listen(port, "127.0.0.1");
  server.unref();
}
