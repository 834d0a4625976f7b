import { getDb } from "@/db";
import {
  countRecentFailedSignIns,
  countUsers,
  getUserByEmail,
  insertUser,
  recordFailedSignIn,
} from "@/db/queries/users";
import type { User, UserRole } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { hashPassword, verifyPassword } from "./password";

export class SignInRateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(429, "rate_limited", "Too many failed sign-in attempts. Wait a few minutes and try again.", {
      retryAfterSeconds,
    });
  }
}

/**
 * Check an email and password. Failed attempts are counted per email and per client address in
 * the database (so every instance shares the count); past the limit, attempts are rejected
 * without checking the password until the window passes.
 */
export async function authenticateWithPassword(params: {
  email: string;
  password: string;
  /** Null when no trusted proxy reports the client address; only the per-email limit applies then. */
  clientAddress: string | null;
}): Promise<User> {
  const db = await getDb();
  const env = getEnv();
  const email = params.email.trim().toLowerCase();
  const keys = params.clientAddress ? [`email:${email}`, `address:${params.clientAddress}`] : [`email:${email}`];
  const since = new Date(Date.now() - env.SIGN_IN_WINDOW_SECONDS * 1000);

  for (const key of keys) {
    const failures = await countRecentFailedSignIns(db, { key, since });
    if (failures >= env.SIGN_IN_MAX_ATTEMPTS) {
      logger.warn({ key: key.startsWith("email:") ? "email" : "address" }, "sign-in rejected: rate limit reached");
      throw new SignInRateLimitedError(env.SIGN_IN_WINDOW_SECONDS);
    }
  }

  const found = await getUserByEmail(db, { email });
  // Hash even for an unknown email, so response time does not reveal which emails exist.
  const valid = found
    ? await verifyPassword(params.password, found.passwordHash)
    : await verifyPassword(params.password, DUMMY_HASH);
  if (!found || !valid || found.disabledAt) {
    for (const key of keys) await recordFailedSignIn(db, { key });
    logger.warn({ userId: found?.id }, "sign-in failed: wrong email or password");
    throw new AppError(401, "invalid_credentials", "Wrong email or password.");
  }

  logger.info({ userId: found.id }, "user signed in");
  return found;
}

const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

/** Create an account; on an empty database the first account becomes admin whatever was asked. */
export async function registerUser(params: {
  email: string;
  name: string;
  password: string;
  role?: UserRole;
}): Promise<User> {
  const db = await getDb();
  const passwordHash = await hashPassword(params.password);
  return db.transaction(async (tx) => {
    const existing = await getUserByEmail(tx, { email: params.email });
    if (existing) throw new AppError(409, "email_taken", "An account with this email already exists.");
    const isFirst = (await countUsers(tx)) === 0;
    return insertUser(tx, {
      email: params.email,
      name: params.name,
      passwordHash,
      role: isFirst ? "admin" : (params.role ?? "member"),
    });
  });
}
