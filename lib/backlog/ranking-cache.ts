import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rankingRevision } from "@/db/schema";
import type { BacklogRow } from "./view";

/** Workspaces whose rows each database handle keeps; the least recently read is dropped first. */
const WORKSPACES_PER_DATABASE = 64;

interface CachedRows {
  /** The ranking revision the rows were read at, in the same snapshot. */
  revision: number;
  rows: Promise<readonly BacklogRow[]>;
}

/** Per database handle, so tests that open several databases in one process never share rows. */
const caches = new WeakMap<object, Map<string, CachedRows>>();

async function readRevision(db: Db, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ revision: rankingRevision.revision })
    .from(rankingRevision)
    .where(eq(rankingRevision.workspaceId, workspaceId));
  return row?.revision ?? 0;
}

/**
 * Return a workspace's live rows (without their pending proposal counts), read again only when
 * its ranking revision has moved. Database triggers move the revision at the commit of every
 * change to items, effective inputs or ranking settings, also from other processes. A miss reads
 * the revision and the rows in one repeatable-read transaction, so the rows match the revision
 * they are stored under. Simultaneous misses share one read.
 */
export async function readCachedRows(
  db: Db,
  workspaceId: string,
  read: (tx: Db) => Promise<BacklogRow[]>,
): Promise<readonly BacklogRow[]> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const revision = await readRevision(db, workspaceId);
  const cached = cache.get(workspaceId);
  if (cached && cached.revision >= revision) {
    cache.delete(workspaceId);
    cache.set(workspaceId, cached);
    return cached.rows;
  }

  const entry: CachedRows = { revision, rows: Promise.resolve([]) };
  entry.rows = db.transaction(
    async (tx) => {
      entry.revision = await readRevision(tx as unknown as Db, workspaceId);
      return read(tx as unknown as Db);
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  cache.set(workspaceId, entry);
  if (cache.size > WORKSPACES_PER_DATABASE) cache.delete(cache.keys().next().value as string);
  entry.rows.catch(() => {
    if (cache.get(workspaceId) === entry) cache.delete(workspaceId);
  });
  return entry.rows;
}
