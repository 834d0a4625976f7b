import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import type { UserRole } from "@/db/schema";
import { getAuthSecret, getEnv } from "@/lib/env";
import { getClientAddress } from "./client-address";
import { authenticateWithPassword } from "./sign-in";

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) });

export const authOptions: NextAuthOptions = {
  secret: getAuthSecret(),
  session: { strategy: "jwt", maxAge: 60 * 60 * 24 * 7 },
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
    async jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    async session({ session, token }) {
      // Role and name are read from the database on each request (lib/auth/actor.ts), so a role
      // change applies at once; the cookie carries only the user id.
      return { ...session, user: { ...session.user, id: token.sub } };
    },
  },
};

declare module "next-auth" {
  interface Session {
    user?: { id?: string; name?: string | null; email?: string | null; image?: string | null; role?: UserRole };
  }
}
