/**
 * Failed sign-ins are counted under three kinds of key, each with its own limit per window:
 *
 * - `email_address`: one email from one client address, at the configured limit. This is the
 *   limit a single guesser meets, and it locks only that address out of that account.
 * - `email`: one email from every address, at EMAIL_CEILING_FACTOR times the limit. It stops a
 *   guesser who rotates addresses, yet an attacker elsewhere needs that many failures, not the
 *   configured few, before the owner's own network is locked out too.
 * - `address`: one client address over every email, at ADDRESS_CEILING_FACTOR times the limit. It
 *   stops one address from spraying passwords over many accounts.
 *
 * Without a trusted client address, every client shares one unknown address. The `email_address`
 * key then counts all failures for the email at the configured limit, as if keyed by email alone.
 * The `address` key is skipped, so one client's failures never lock out everyone.
 * NOTE: so without TRUST_PROXY=true, anyone with a user's email can still lock it out for everyone.
 */
export type SignInLimitScope = "email_address" | "email" | "address";

/** Multiple of the configured limit allowed per email over all client addresses. */
export const EMAIL_CEILING_FACTOR = 10;

/** Multiple of the configured limit allowed per client address over all emails. */
export const ADDRESS_CEILING_FACTOR = 10;

/** One failure counter: its key in `sign_in_attempt` and the failures it allows per window. */
export interface SignInLimit {
  scope: SignInLimitScope;
  key: string;
  maxFailures: number;
}

/**
 * List the counters that a sign-in attempt is checked against and that a failure adds to.
 * `email` must already be normalized (trimmed, lower case). `maxAttempts` is SIGN_IN_MAX_ATTEMPTS.
 */
export function getSignInLimits(params: {
  email: string;
  clientAddress: string | null;
  maxAttempts: number;
}): SignInLimit[] {
  const { email, clientAddress, maxAttempts } = params;
  // JSON keeps the pair unambiguous whatever characters the email or the address contain.
  const limits: SignInLimit[] = [
    {
      scope: "email_address",
      key: `email-address:${JSON.stringify([email, clientAddress])}`,
      maxFailures: maxAttempts,
    },
    { scope: "email", key: `email:${email}`, maxFailures: maxAttempts * EMAIL_CEILING_FACTOR },
  ];
  if (clientAddress !== null) {
    limits.push({
      scope: "address",
      key: `address:${clientAddress}`,
      maxFailures: maxAttempts * ADDRESS_CEILING_FACTOR,
    });
  }
  return limits;
}
