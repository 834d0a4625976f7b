import { createHash, randomBytes } from "node:crypto";

/** Prefix that makes Rankwise tokens recognisable in logs and secret scanners. */
export const TOKEN_PREFIX = "rw_";

export function generateApiToken(): { token: string; tokenHash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(24).toString("base64url")}`;
  return { token, tokenHash: hashApiToken(token), prefix: token.slice(0, 10) };
}

/** Tokens are random and long, so a fast hash suffices; only the hash is stored. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
