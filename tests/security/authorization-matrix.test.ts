import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { insertApiToken } from "@/db/queries/api";
import { insertDocuments } from "@/db/queries/documents";
import { getLatestPromptVersion } from "@/db/queries/prompts";
import { insertUser } from "@/db/queries/users";
import { addMember, insertWorkspace } from "@/db/queries/workspaces";
import type { UserRole } from "@/db/schema";
import { generateApiToken } from "@/lib/auth/tokens";
import { startConversation } from "@/lib/chat/conversations";
import { isMethodNotAllowedHandler } from "@/lib/http/method-not-allowed";
import { startPrioritization } from "@/lib/prioritization/ai-runs";
import { importPromptFiles } from "@/lib/prompts/file-sync";
import { defaultPromptsDir } from "@/lib/prompts/files";
import { describeEachEngine } from "@/lib/testing/database";
import {
  createBacklog,
  createReliabilityHarness,
  type ReliabilityHarness,
  type RouteMocks,
  waitForFinishedRun,
} from "../reliability/harness";
import { type Access, actionExpectations, type Fixture, routeExpectations, type Scope } from "./access-table";

/**
 * Every route handler and server action, called in-process by anonymous, viewer, member, editor
 * and admin users and by a member of another workspace. Denied calls must get exactly 401, 403 or
 * the not-found of the workspace (or run) they aimed at; allowed calls must get past
 * authorisation (any answer but those, and no 5xx). Sessions are real users of the database; only
 * the cookie lookup is replaced, because it needs a Next.js request scope.
 */

const mocks = vi.hoisted(() => ({}) as RouteMocks);
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => mocks.gateway,
  getLanguageModel: (role: "fast" | "smart", options?: { promptKey?: string }) =>
    mocks.gateway?.getLanguageModel(role, options),
}));
vi.mock("@/lib/pipeline/app-runtime", () => ({ getPipelineRuntime: async () => mocks.runtime }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () =>
    mocks.sessionUserId ? { user: { id: mocks.sessionUserId }, expires: "2999-01-01T00:00:00.000Z" } : null,
}));
// Server actions set cookies and revalidate pages, which need a Next.js request scope.
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {}, getAll: () => [] }),
  headers: async () => new Headers(),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const repositoryRoot = process.cwd();
const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function listFiles(dir: string, keep: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter(keep)
    .sort();
}

/** URL path of a route file: `app/(group)/x/[id]/route.ts` → `/x/[id]`. */
function routePathOf(file: string): string {
  const segments = path.relative(path.join(repositoryRoot, "app"), path.dirname(file)).split(path.sep);
  return `/${segments.filter((segment) => !/^\(.*\)$/.test(segment)).join("/")}`;
}

async function listRouteHandlers(): Promise<Map<string, Handler>> {
  const handlers = new Map<string, Handler>();
  for (const file of listFiles(path.join(repositoryRoot, "app"), (name) => path.basename(name) === "route.ts")) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const method of httpMethods) {
      // The 405 handlers of methodsNotAllowed check no access, so they have no expectation here.
      // tests/api/method-not-allowed.test.ts covers them.
      if (typeof module[method] === "function" && !isMethodNotAllowedHandler(module[method]))
        handlers.set(`${method} ${routePathOf(file)}`, module[method] as Handler);
    }
  }
  return handlers;
}

/** Modules whose first statement is the "use server" directive, and their exported functions. */
async function listServerActions(): Promise<Map<string, (...args: unknown[]) => Promise<unknown>>> {
  const actions = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const sourceDirs = ["app", "lib", "components"].map((dir) => path.join(repositoryRoot, dir));
  const files = sourceDirs.flatMap((dir) =>
    listFiles(dir, (name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)),
  );
  for (const file of files) {
    if (!/^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(fs.readFileSync(file, "utf8"))) continue;
    const module = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === "function") actions.set(`${path.relative(repositoryRoot, file)}#${name}`, value as never);
    }
  }
  return actions;
}

const routes = await listRouteHandlers();
const actions = await listServerActions();

describe("authorisation expectations", () => {
  it("cover every route handler", () => {
    const missing = [...routes.keys()].filter((key) => !(key in routeExpectations));

    expect(missing).toEqual([]);
  });

  it("name only existing route handlers", () => {
    const stale = Object.keys(routeExpectations).filter((key) => !routes.has(key));

    expect(stale).toEqual([]);
  });

  it("cover every server action", () => {
    const missing = [...actions.keys()].filter((key) => !(key in actionExpectations));

    expect(missing).toEqual([]);
  });

  it("name only existing server actions", () => {
    const stale = Object.keys(actionExpectations).filter((key) => !actions.has(key));

    expect(stale).toEqual([]);
  });
});

type ActorName = "anonymous" | "viewer" | "member" | "editor" | "admin" | "outsider";
const actorNames: ActorName[] = ["anonymous", "viewer", "member", "editor", "admin", "outsider"];

/** Minimum role of each capability, as the product defines them. */
const leastRole: Record<Exclude<Access, "public" | "signedIn">, UserRole> = {
  read: "viewer",
  editBacklog: "member",
  runAi: "member",
  readPrompts: "editor",
  editPrompts: "editor",
  manageUsers: "admin",
  manageModels: "admin",
  readAllRuns: "admin",
};
const roleRank: Record<UserRole, number> = { viewer: 0, member: 1, editor: 2, admin: 3 };
const scopeNotFound: Record<Exclude<Scope, "none">, string> = {
  workspace: "Workspace not found.",
  run: "Run not found.",
};

type Expected = { kind: "denied"; status: 401 | 403 | 404; message?: string } | { kind: "allowed" };

function expectedFor(actor: ActorName, access: Access, scope: Scope): Expected {
  if (access === "public") return { kind: "allowed" };
  if (actor === "anonymous") return { kind: "denied", status: 401 };
  const role: UserRole = actor === "outsider" ? "member" : actor;
  if (access !== "signedIn" && roleRank[role] < roleRank[leastRole[access]]) return { kind: "denied", status: 403 };
  if (actor === "outsider" && scope !== "none") return { kind: "denied", status: 404, message: scopeNotFound[scope] };
  return { kind: "allowed" };
}

const actionCodes = { 401: "unauthorized", 403: "forbidden", 404: "not_found" } as const;

describeEachEngine("authorisation matrix", (engine) => {
  let harness: ReliabilityHarness;
  let fixture: Fixture;
  const userIds: Partial<Record<ActorName, string>> = {};

  beforeAll(async () => {
    harness = await createReliabilityHarness(engine, mocks);
    const db = harness.handle.db;
    const main = await insertWorkspace(db, { name: "Matrix workspace" });
    const other = await insertWorkspace(db, { name: "Other workspace" });
    const people: Array<[ActorName, UserRole, string | null]> = [
      ["viewer", "viewer", main.id],
      ["member", "member", main.id],
      ["editor", "editor", main.id],
      // Admins see every workspace without being a member of it.
      ["admin", "admin", null],
      ["outsider", "member", other.id],
    ];
    for (const [name, role, workspaceId] of people) {
      const user = await insertUser(db, {
        email: `${name}-${engine}@matrix.test`,
        name,
        passwordHash: "not-a-real-hash",
        role,
      });
      if (workspaceId) await addMember(db, { workspaceId, userId: user.id });
      userIds[name] = user.id;
    }
    const memberId = userIds.member as string;
    const [itemId] = await createBacklog(harness.handle, {
      workspaceId: main.id,
      actorId: memberId,
      themes: ["Matrix"],
      perTheme: 2,
    });
    const [document] = await insertDocuments(db, [
      {
        workspaceId: main.id,
        kind: "feedback",
        title: "Matrix feedback",
        content: "Customers ask for this.",
        language: "en",
      },
    ]);
    await importPromptFiles(db, { dir: defaultPromptsDir });
    const version = await getLatestPromptVersion(db, { key: "prioritizer", language: "en" });
    const actor = {
      userId: memberId,
      email: "member@matrix.test",
      name: "member",
      role: "member" as const,
      locale: null,
      via: "session" as const,
    };
    const run = await startPrioritization(harness.runtime, {
      actor,
      workspaceId: main.id,
      body: { framework: "rice" },
    });
    await waitForFinishedRun(harness.handle, run.id);
    const conversation = await startConversation(db, {
      workspaceId: main.id,
      userId: memberId,
      language: "en",
      question: "What is on top?",
    });
    const { tokenHash, prefix } = generateApiToken();
    const token = await insertApiToken(db, { userId: memberId, name: "matrix", tokenHash, prefix });

    fixture = {
      workspaceId: main.id,
      itemId: itemId as string,
      documentId: document?.id as string,
      runId: run.id,
      conversationId: conversation.id,
      tokenId: token.id,
      promptKey: "prioritizer",
      language: "en",
      versionId: version?.id as string,
    };
  }, 120_000);

  afterAll(async () => {
    mocks.sessionUserId = undefined;
    await harness?.close();
  });

  async function callRoute(
    key: string,
    actor: ActorName,
    override?: { query: Record<string, string>; body: unknown },
  ): Promise<{ status: number; message?: string }> {
    const [method, routePath] = key.split(" ") as [string, string];
    const spec = routeExpectations[key];
    const request = { ...(spec?.request?.(fixture) ?? {}), ...override };
    const params: Record<string, string> = {
      ...(routePath.includes("[workspaceId]") ? { workspaceId: fixture.workspaceId } : {}),
      ...request.params,
    };
    const url = new URL(
      `http://127.0.0.1${routePath.replace(/\[([^\]]+)\]/g, (_, name: string) => params[name] ?? name)}`,
    );
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const hasBody = method !== "GET" && method !== "DELETE";

    mocks.sessionUserId = actor === "anonymous" ? undefined : userIds[actor];
    const handler = routes.get(key) as Handler;
    const response = await handler(
      new Request(url, {
        method,
        headers: hasBody ? { "content-type": "application/json" } : {},
        body: hasBody ? JSON.stringify(request.body ?? {}) : undefined,
      }),
      { params: Promise.resolve(params) },
    );
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("application/json")) {
      await response.body?.cancel();
      return { status: response.status };
    }
    const body = (await response.json()) as { error?: { message?: string } };
    return { status: response.status, message: body.error?.message };
  }

  function judge(expected: Expected, outcome: { status: number; message?: string }, scope: Scope): string | undefined {
    const seen = `${outcome.status}${outcome.message ? ` "${outcome.message}"` : ""}`;
    if (expected.kind === "denied") {
      if (outcome.status !== expected.status) return `expected ${expected.status}, got ${seen}`;
      if (expected.message && outcome.message !== expected.message)
        return `expected "${expected.message}", got ${seen}`;
      return undefined;
    }
    if (outcome.status === 401 || outcome.status === 403 || outcome.status >= 500)
      return `expected access, got ${seen}`;
    if (scope !== "none" && outcome.status === 404 && outcome.message === scopeNotFound[scope]) {
      return `expected access, got ${seen}`;
    }
    return undefined;
  }

  describe("route handlers", () => {
    it.each([...routes.keys()].filter((key) => !routeExpectations[key]?.testedElsewhere))(
      "%s by each actor",
      async (key) => {
        const spec = routeExpectations[key];
        if (!spec) throw new Error(`no expectation for ${key}`);
        const problems: string[] = [];
        for (const actor of actorNames) {
          const problem = judge(expectedFor(actor, spec.access, spec.scope), await callRoute(key, actor), spec.scope);
          if (problem) problems.push(`${actor}: ${problem}`);
        }

        expect(problems).toEqual([]);
      },
    );
  });

  describe("authentication before input checks", () => {
    // Invalid in every route that reads them, so a route that checks its input first answers 400.
    const invalidInput = {
      query: { limit: "abc", offset: "-5", framework: "none", since: "yesterday", language: "?" },
      body: { unexpected: true },
    };
    const deniedToAnonymous = [...routes.keys()].filter((key) => {
      const spec = routeExpectations[key];
      return spec && !spec.testedElsewhere && expectedFor("anonymous", spec.access, spec.scope).kind === "denied";
    });

    it.each(deniedToAnonymous)("%s answers 401 to anonymous invalid input", async (key) => {
      const outcome = await callRoute(key, "anonymous", invalidInput);

      expect(outcome.status).toBe(401);
    });
  });

  describe("server actions", () => {
    it.each([...actions.keys()])("%s by each actor", async (key) => {
      const spec = actionExpectations[key];
      if (!spec) throw new Error(`no expectation for ${key}`);
      const action = actions.get(key) as (...args: unknown[]) => Promise<unknown>;
      const problems: string[] = [];
      for (const actor of actorNames) {
        mocks.sessionUserId = actor === "anonymous" ? undefined : userIds[actor];
        const result = (await action(...spec.args(fixture))) as
          | { ok: true }
          | { ok: false; error: { code: string; message: string } };
        const code = result.ok ? "ok" : result.error.code;
        const message = result.ok ? undefined : result.error.message;
        if (spec.alwaysFails) {
          if (code !== spec.alwaysFails) problems.push(`${actor}: expected ${spec.alwaysFails}, got ${code}`);
          continue;
        }
        const expected = expectedFor(actor, spec.access, spec.scope);
        if (expected.kind === "denied") {
          const wanted = actionCodes[expected.status];
          if (code !== wanted || (expected.message && message !== expected.message)) {
            problems.push(
              `${actor}: expected ${wanted}${expected.message ? ` "${expected.message}"` : ""}, got ${code} ${message ?? ""}`,
            );
          }
        } else if (
          ["unauthorized", "forbidden", "internal_error"].includes(code) ||
          message === scopeNotFound.workspace
        ) {
          problems.push(`${actor}: expected access, got ${code} ${message ?? ""}`);
        }
      }

      expect(problems).toEqual([]);
    });
  });
});
