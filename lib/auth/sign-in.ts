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
import { getSignInLimits } from "./sign-in-limits";

export class SignInRateLimitedError extends AppError {
  static override readonly kind: string = "SignInRateLimitedError";

  constructor(retryAfterSeconds: number) {
    super(429, "rate_limited", "Too many failed sign-in attempts. Wait a few minutes and try again.", {
      retryAfterSeconds,
    });
  }
}

/**
 * Check an email and password. Failed attempts are counted in the database, so every instance
 * shares the counts: per email and client address, per email, and per client address (see
 * `getSignInLimits`). Once any count reaches its limit, attempts are rejected without checking
 * the password until the window passes.
 */
export async function authenticateWithPassword(params: {
  email: string;
  password: string;
  /** Null when no trusted proxy reports the client address. `getSignInLimits` describes that case. */
  clientAddress: string | null;
}): Promise<User> {
  const db = await getDb();
  const env = getEnv();
  const email = params.email.trim().toLowerCase();
  const limits = getSignInLimits({ email, clientAddress: params.clientAddress, maxAttempts: env.SIGN_IN_MAX_ATTEMPTS });
  const keys = limits.map((limit) => limit.key);
  const since = new Date(Date.now() - env.SIGN_IN_WINDOW_SECONDS * 1000);

  const failures = await countRecentFailedSignIns(db, { keys, since });
  const reached = limits.find((limit) => (failures.get(limit.key) ?? 0) >= limit.maxFailures);
  if (reached) {
    logger.warn({ scope: reached.scope }, "sign-in rejected: rate limit reached");
    throw new SignInRateLimitedError(env.SIGN_IN_WINDOW_SECONDS);
  }

  const found = await getUserByEmail(db, { email });
  // Hash even for an unknown email, so response time does not reveal which emails exist.
  const valid = found
    ? await verifyPassword(params.password, found.passwordHash)
    : await verifyPassword(params.password, DUMMY_HASH);
  if (!found || !valid || found.disabledAt) {
    await recordFailedSignIn(db, { keys });
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
