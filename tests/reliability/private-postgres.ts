import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A Postgres cluster of the test's own, started with Debian's binaries in a temporary folder on a
 * free loopback port, so a test can stop and start it without touching the machine's shared
 * server. initdb refuses to run as root, so as root the cluster runs as the `postgres` user.
 */
const binDir = "/usr/lib/postgresql/15/bin";

export interface PrivatePostgres {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

/** Why a private cluster cannot be started here, or undefined when it can. */
export function privatePostgresUnavailableReason(): string | undefined {
  for (const binary of ["initdb", "pg_ctl"]) {
    if (!fs.existsSync(path.join(binDir, binary))) {
      return `${path.join(binDir, binary)} is missing; install postgresql-15 to run this test`;
    }
  }
  if (process.getuid?.() === 0) {
    try {
      execFileSync("id", ["postgres"], { stdio: "ignore" });
    } catch {
      return "running as root without a postgres user, so initdb cannot run";
    }
  }
  return undefined;
}

function runAsOwner(binary: string, args: string[]): void {
  const command = path.join(binDir, binary);
  if (process.getuid?.() === 0) execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" });
  else execFileSync(command, args, { stdio: "pipe" });
}

export function startPrivatePostgres(port: number): PrivatePostgres {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "rankwise-pg-"));
  const dataDir = path.join(root, "data");
  const logFile = path.join(root, "server.log");
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", root]);
  runAsOwner("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);

  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => runAsOwner("pg_ctl", ["-D", dataDir, "-o", options, "-l", logFile, "-w", "-t", "60", "start"]);
  // Fast shutdown closes every client connection at once, as a crashed or restarted server does.
  const stop = () => runAsOwner("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      try {
        stop();
      } catch {
        // Already stopped.
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
