import NextAuth from "next-auth";
import { authRouteOptions } from "@/lib/auth/options";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";

/** next-auth's endpoints (`/api/auth/csrf`, `/api/auth/callback/credentials`, `/api/auth/session`, …). */
const handler = NextAuth(authRouteOptions);

export { handler as GET, handler as POST };

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
