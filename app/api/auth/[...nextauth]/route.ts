import NextAuth from "next-auth";
import { authRouteOptions } from "@/lib/auth/options";

/** next-auth's endpoints (`/api/auth/csrf`, `/api/auth/callback/credentials`, `/api/auth/session`, …). */
const handler = NextAuth(authRouteOptions);

export { handler as GET, handler as POST };
