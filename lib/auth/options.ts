import type { NextAuthOptions, Session } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import type { UserRole } from "@/db/schema";
import { getAuthSecret, getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getClientAddress } from "./client-address";
import { checkSessionToken, createSessionId, revokeSession, SESSION_MAX_AGE_SECONDS } from "./sessions";
import { authenticateWithPassword } from "./sign-in";

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) });

export const authOptions: NextAuthOptions = {
  secret: getAuthSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const clientAddress = getClientAddress(request?.headers?.["x-forwarded-for"], getEnv().TRUST_PROXY);

        const signedIn = await authenticateWithPassword({ ...parsed.data, clientAddress });
        return { id: signedIn.id, email: signedIn.email, name: signedIn.name };
      },
    }),
  ],
  callbacks: {
    // Revocation is checked in lib/auth/actor.ts rather than here, because next-auth turns an
    // error in this callback into "no session", so a database outage would respond 401, not 503.
    async jwt({ token, user }) {
      if (user) return { ...token, sub: user.id, sid: createSessionId() };
      return token;
    },
    async session({ session, token }) {
      // next-auth treats an empty session as signed out: getServerSession returns null, and
      // /api/auth/session responds with {}. Tokens issued before sessions had ids are signed out.
      if (!token.sub || !token.sid) return {} as Session;
      // Role and name are read from the database on each request (lib/auth/actor.ts), so a role
      // change applies at once. Of the cookie's claims, only the user id and the session id are used.
      return { ...session, sessionId: token.sid, user: { ...session.user, id: token.sub } };
    },
  },
  events: {
    // NOTE: next-auth 4 catches errors thrown here and clears the cookie anyway, so the user sees
    // a sign-out even when the revocation was not stored. This handler logs that case.
    async signOut({ token }) {
      try {
        await revokeSession(token);
      } catch (error) {
        logger.error(
          { err: error, userId: token?.sub },
          "sign-out failed to store the session revocation, so copies of the session cookie stay valid on other instances until they expire",
        );
      }
    },
  },
};

/**
 * Options of next-auth's route handler (/api/auth/*). Its /api/auth/session endpoint issues a new
 * token with a later expiry, so there the jwt callback also checks the revocation. A revoked
 * session is thus never re-issued, and its revocation row outlives every token that carries its id.
 * A database error in that check clears the cookie, as next-auth does for any error in this callback.
 */
export const authRouteOptions: NextAuthOptions = {
  ...authOptions,
  callbacks: {
    ...authOptions.callbacks,
    async jwt(params) {
      if (params.user) return { ...params.token, sub: params.user.id, sid: createSessionId() };
      return checkSessionToken(params.token);
    },
  },
};

declare module "next-auth/jwt" {
  interface JWT {
    /** Random id of the session, set at sign-in and kept on refresh. Sign-out revokes it. */
    sid?: string;
  }
}

declare module "next-auth" {
  interface Session {
    /** Id of the session, from the `sid` claim. lib/auth/actor.ts rejects it once revoked. */
    sessionId?: string;
    user?: { id?: string; name?: string | null; email?: string | null; image?: string | null; role?: UserRole };
  }
}
