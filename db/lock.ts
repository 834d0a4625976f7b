import fs from "node:fs";

/**
 * Take an exclusive lock on a PGlite data folder, because two processes writing one folder corrupt
 * it. The lock is a `<folder>.lock` file holding the owner's pid; a lock left by a dead process is
 * taken over. Returns the function that releases it.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      return () => releaseLock(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }

    const owner = Number.parseInt(fs.readFileSync(lockPath, "utf8"), 10);
    if (owner === process.pid) {
      throw new Error(`The PGlite data folder ${dataDir} is already open in this process.`);
    }
    if (isProcessAlive(owner)) {
      throw new Error(
        `The PGlite data folder ${dataDir} is in use by process ${owner}. Stop that process, or set PGLITE_DATA_DIR to another folder, or set DATABASE_URL to use Postgres, which serves many processes.`,
      );
    }
    fs.rmSync(lockPath, { force: true });
  }
  throw new Error(`Could not lock the PGlite data folder ${dataDir}; remove ${lockPath} if no Rankwise process runs.`);
}

function releaseLock(lockPath: string) {
  try {
    if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.rmSync(lockPath, { force: true });
  } catch {
    // Already gone: nothing to release.
  }
}

function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
