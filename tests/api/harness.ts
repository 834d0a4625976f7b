import type { DatabaseHandle } from "@/db/client";
import { insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import { apiToken, type UserRole } from "@/db/schema";
import { generateApiToken } from "@/lib/auth/tokens";

let counter = 0;

/** A user with a personal access token, member of the given workspaces. */
export async function createTokenUser(handle: DatabaseHandle, params: { workspaceIds: string[]; role?: UserRole }) {
  counter += 1;
  const user = await insertUser(handle.db, {
    email: `api${counter}-${Date.now()}@example.test`,
    name: `API User ${counter}`,
    passwordHash: "not-a-real-hash",
    role: params.role ?? "member",
  });
  for (const workspaceId of params.workspaceIds) await addMember(handle.db, { workspaceId, userId: user.id });
  const { token, tokenHash, prefix } = generateApiToken();
  const [row] = await handle.db
    .insert(apiToken)
    .values({ userId: user.id, name: "tests", tokenHash, prefix })
    .returning();
  return { userId: user.id, tokenId: row?.id ?? "", token, headers: { authorization: `Bearer ${token}` } };
}

export async function createWorkspace(handle: DatabaseHandle): Promise<string> {
  counter += 1;
  return (await insertWorkspace(handle.db, { name: `API workspace ${counter}` })).id;
}

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** Call a route handler as Next.js does, with a real Request on a loopback URL. */
export function callRoute(
  handler: Handler,
  options: {
    path: string;
    method?: string;
    headers?: Record<string, string>;
    body?: BodyInit;
    params?: Record<string, string>;
  },
): Promise<Response> {
  const request = new Request(`http://127.0.0.1${options.path}`, {
    method: options.method ?? "GET",
    headers: options.headers,
    body: options.body,
  });
  return handler(request, { params: Promise.resolve(options.params ?? {}) });
}

export function jsonBody(value: unknown): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify(value), headers: { "content-type": "application/json" } };
}
