/** Kind of sign-in failure; it selects the message the form shows. */
export type SignInFailure = "invalidCredentials" | "rateLimited" | "unknown";

/**
 * Classify the `error` that next-auth's `signIn()` returns. next-auth puts the message of the
 * error thrown by `authorize` there (lib/auth/sign-in.ts), or `CredentialsSignin` when it
 * returned null.
 */
export function classifySignInError(error: string | null | undefined): SignInFailure {
  if (!error) return "unknown";
  // NOTE: matching the English message is fragile; a stable code from `authorize` would be better.
  if (/too many/i.test(error)) return "rateLimited";
  if (error === "CredentialsSignin" || /wrong email or password/i.test(error)) return "invalidCredentials";
  return "unknown";
}
