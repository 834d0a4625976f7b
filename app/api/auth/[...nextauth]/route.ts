import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

/** next-auth's endpoints (`/api/auth/csrf`, `/api/auth/callback/credentials`, `/api/auth/session`, …). */
const handler = NextAuth(authOptions);

export { handler as GET, handler as POST };
