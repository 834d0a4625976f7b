import { and, count, eq, gte, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiToken, signInAttempt, type User, type UserRole, user } from "@/db/schema";

export async function getUserByEmail(db: Db, params: { email: string }): Promise<User | undefined> {
  const [row] = await db.select().from(user).where(eq(user.email, params.email.trim().toLowerCase()));
  return row;
}

export async function getUserById(db: Db, params: { id: string }): Promise<User | undefined> {
  const [row] = await db.select().from(user).where(eq(user.id, params.id));
  return row;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ value: count() }).from(user);
  return row?.value ?? 0;
}

export async function insertUser(
  db: Db,
  params: { email: string; name: string; passwordHash: string; role: UserRole; locale?: string | null },
): Promise<User> {
  const [row] = await db
    .insert(user)
    .values({ ...params, email: params.email.trim().toLowerCase() })
    .returning();
  if (!row) throw new Error("insert into user returned no row");
  return row;
}

export async function updateUserLocale(db: Db, params: { userId: string; locale: string | null }): Promise<void> {
  await db.update(user).set({ locale: params.locale }).where(eq(user.id, params.userId));
}

/** The active (not revoked) token with this hash, with its owner. */
export async function getActiveTokenOwner(db: Db, params: { tokenHash: string }) {
  const [row] = await db
    .select({ token: apiToken, user })
    .from(apiToken)
    .innerJoin(user, eq(user.id, apiToken.userId))
    .where(and(eq(apiToken.tokenHash, params.tokenHash), isNull(apiToken.revokedAt)));
  return row;
}

/** Record one failed sign-in under each of the given rate-limit keys. */
export async function recordFailedSignIn(db: Db, params: { keys: string[] }): Promise<void> {
  if (params.keys.length === 0) return;
  await db.insert(signInAttempt).values(params.keys.map((key) => ({ key })));
}

/** Count the failed sign-ins since `since` for each key. A key without failures maps to 0. */
export async function countRecentFailedSignIns(
  db: Db,
  params: { keys: string[]; since: Date },
): Promise<Map<string, number>> {
  const counts = new Map(params.keys.map((key) => [key, 0]));
  if (params.keys.length === 0) return counts;

  const rows = await db
    .select({ key: signInAttempt.key, value: count() })
    .from(signInAttempt)
    .where(and(inArray(signInAttempt.key, params.keys), gte(signInAttempt.attemptedAt, params.since)))
    .groupBy(signInAttempt.key);
  for (const row of rows) counts.set(row.key, row.value);
  return counts;
}
