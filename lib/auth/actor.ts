import { getServerSession } from "next-auth";
import { z } from "zod";
import { getDb } from "@/db";
import { getActiveTokenOwner, getUserById } from "@/db/queries/users";
import { getWorkspaceForUser } from "@/db/queries/workspaces";
import type { User, UserRole, Workspace } from "@/db/schema";
import { limitApiRate } from "@/lib/api/rate-limit";
import { forbidden, notFound, unauthorized } from "@/lib/errors";
import { authOptions } from "./options";
import { type Capability, hasCapability } from "./roles";
import { isSessionRevoked } from "./sessions";
import { hashApiToken } from "./tokens";

/** The signed-in user behind a request, from the session cookie or a personal access token. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  role: UserRole;
  locale: string | null;
  via: "session" | "token";
  tokenId?: string;
}

function toActor(row: User, via: Actor["via"], tokenId?: string): Actor {
  return { userId: row.id, email: row.email, name: row.name, role: row.role, locale: row.locale, via, tokenId };
}

/** Resolve the actor; a bearer token wins over the cookie. Returns null when anonymous. */
export async function getActor(request?: Request): Promise<Actor | null> {
  const authorization = request?.headers.get("authorization");
  if (authorization?.toLowerCase().startsWith("bearer ")) {
    const row = await getActiveTokenOwner(await getDb(), { tokenHash: hashApiToken(authorization.slice(7).trim()) });
    if (!row || row.user.disabledAt)
      throw unauthorized("The access token is invalid or revoked. Create a new one in the user menu.");
    return toActor(row.user, "token", row.token.id);
  }

  // The session comes first: reading its cookie makes a page dynamic, so `next build` stops
  // prerendering it there, before the database is opened.
  const session = await getServerSession(authOptions);
  const userId = session?.user?.id;
  if (!userId) return null;
  const db = await getDb();
  // The session callback returns no session for a token without a session id, so every real
  // session has one. A database error here fails the request, as in the user lookup below.
  if (session.sessionId && (await isSessionRevoked(session.sessionId))) return null;
  const row = await getUserById(db, { id: userId });
  if (!row || row.disabledAt) return null;
  return toActor(row, "session");
}

/**
 * Resolve the actor or throw a 401. A request with an access token also counts against the
 * token's rate limit here, so every route handler that authenticates a token limits it.
 */
export async function requireActor(request?: Request): Promise<Actor> {
  const actor = await getActor(request);
  if (!actor) throw unauthorized();
  await limitApiRate(actor);
  return actor;
}

/**
 * Return a check that the actor may still use the request's credentials, for long responses such
 * as event streams: the access token must still be active, and the user must not be disabled.
 */
export function createAccessCheck(request: Request, actor: Actor): () => Promise<boolean> {
  const authorization = request.headers.get("authorization") ?? "";
  return async () => {
    const db = await getDb();
    if (actor.via === "token") {
      const row = await getActiveTokenOwner(db, { tokenHash: hashApiToken(authorization.slice(7).trim()) });
      return Boolean(row && !row.user.disabledAt);
    }
    const row = await getUserById(db, { id: actor.userId });
    return Boolean(row && !row.disabledAt);
  };
}

export function requireCapability(actor: Actor, capability: Capability): void {
  if (!hasCapability(actor.role, capability)) throw forbidden();
}

const workspaceIdSchema = z.uuid();

/**
 * The workspace if the actor may see it. Non-members get 404, as for a workspace that does not
 * exist, so ids of other workspaces reveal nothing. Admins see every workspace.
 */
export async function requireWorkspace(actor: Actor, workspaceId: string): Promise<Workspace> {
  if (!workspaceIdSchema.safeParse(workspaceId).success) throw notFound("workspace");
  const db = await getDb();
  const found = await getWorkspaceForUser(db, { workspaceId, userId: actor.userId, all: actor.role === "admin" });
  if (!found) throw notFound("workspace");
  return found;
}
