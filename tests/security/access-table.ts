import type { Capability } from "@/lib/auth/roles";

/**
 * Expected access of every route handler and server action. The matrix test lists route handlers
 * from the files `app/**\/route.ts` and server actions from the files that start with "use server",
 * so a route or action that is missing here fails the suite until its expectation is added.
 *
 * `capability` is the least capability an actor needs (see lib/auth/roles.ts); `signedIn` means
 * any signed-in user, `public` anyone. `scope` is what a member of another workspace meets:
 * `workspace` and `run` routes answer it with that not-found, `none` routes treat it as any user
 * of its role.
 */
export type Access = Capability | "signedIn" | "public";
export type Scope = "workspace" | "run" | "none";

/** Values the requests are built from; the matrix test creates them. */
export interface Fixture {
  workspaceId: string;
  itemId: string;
  documentId: string;
  runId: string;
  conversationId: string;
  tokenId: string;
  promptKey: string;
  language: string;
  versionId: string;
}

export interface RouteRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

export interface RouteExpectation {
  access: Access;
  scope: Scope;
  /** Route parameters, query and JSON body; routes that validate input before authorising get a valid one. */
  request?: (fixture: Fixture) => RouteRequest;
  /** Why the route is not called in this process, when it is tested elsewhere. */
  testedElsewhere?: string;
}

const workspace = (fixture: Fixture) => ({ workspaceId: fixture.workspaceId });
const prompt = (fixture: Fixture) => ({ key: fixture.promptKey, language: fixture.language });
const question = (fixture: Fixture) => ({
  workspaceId: fixture.workspaceId,
  language: "en",
  message: {
    id: `matrix-${Date.now()}-${Math.random()}`,
    role: "user",
    parts: [{ type: "text", text: "What is on top?" }],
  },
});

export const routeExpectations: Record<string, RouteExpectation> = {
  "GET /api/auth/[...nextauth]": {
    access: "public",
    scope: "none",
    testedElsewhere: "next-auth needs a Next.js request scope; e2e/security.spec.ts posts to it cross-site",
  },
  "POST /api/auth/[...nextauth]": {
    access: "public",
    scope: "none",
    testedElsewhere: "next-auth needs a Next.js request scope; e2e/security.spec.ts posts to it cross-site",
  },
  "GET /api/health": { access: "public", scope: "none" },
  "GET /api/v1/openapi.json": { access: "read", scope: "none" },
  // Paths that no endpoint matches: a JSON 404 for everyone.
  "GET /api/v1/[...path]": { access: "public", scope: "none" },
  "POST /api/v1/[...path]": { access: "public", scope: "none" },
  "PUT /api/v1/[...path]": { access: "public", scope: "none" },
  "PATCH /api/v1/[...path]": { access: "public", scope: "none" },
  "DELETE /api/v1/[...path]": { access: "public", scope: "none" },

  "POST /api/chat": { access: "runAi", scope: "workspace", request: (f) => ({ body: question(f) }) },
  "GET /api/chat/conversations": { access: "read", scope: "workspace", request: (f) => ({ query: workspace(f) }) },
  "GET /api/chat/conversations/[conversationId]": {
    access: "read",
    scope: "workspace",
    request: (f) => ({ params: { conversationId: f.conversationId }, query: workspace(f) }),
  },
  "PATCH /api/chat/conversations/[conversationId]": {
    access: "read",
    scope: "workspace",
    request: (f) => ({ params: { conversationId: f.conversationId }, query: workspace(f), body: { title: "Renamed" } }),
  },
  "DELETE /api/chat/conversations/[conversationId]": {
    access: "read",
    scope: "workspace",
    request: (f) => ({ params: { conversationId: f.conversationId }, query: workspace(f) }),
  },

  "POST /api/v1/runs": {
    access: "runAi",
    scope: "workspace",
    request: (f) => ({ body: { workspaceId: f.workspaceId, kind: "prioritization", input: { framework: "rice" } } }),
  },
  "GET /api/v1/runs": { access: "read", scope: "workspace", request: (f) => ({ query: workspace(f) }) },
  "GET /api/v1/runs/[runId]": { access: "read", scope: "run", request: (f) => ({ params: { runId: f.runId } }) },
  "GET /api/v1/runs/[runId]/events": { access: "read", scope: "run", request: (f) => ({ params: { runId: f.runId } }) },
  "POST /api/v1/runs/[runId]/cancel": {
    access: "runAi",
    scope: "run",
    request: (f) => ({ params: { runId: f.runId } }),
  },
  "POST /api/v1/runs/[runId]/retry": {
    access: "runAi",
    scope: "run",
    request: (f) => ({ params: { runId: f.runId } }),
  },

  "GET /api/v1/tokens": { access: "signedIn", scope: "none" },
  "POST /api/v1/tokens": { access: "signedIn", scope: "none", request: () => ({ body: { name: "matrix" } }) },
  "DELETE /api/v1/tokens/[tokenId]": {
    access: "signedIn",
    scope: "none",
    request: (f) => ({ params: { tokenId: f.tokenId } }),
  },

  "GET /api/v1/workspaces/[workspaceId]/items": { access: "read", scope: "workspace" },
  "POST /api/v1/workspaces/[workspaceId]/items": {
    access: "editBacklog",
    scope: "workspace",
    request: () => ({ body: { title: "Created by the matrix" } }),
  },
  "PATCH /api/v1/workspaces/[workspaceId]/items": {
    access: "editBacklog",
    scope: "workspace",
    request: (f) => ({ body: { itemIds: [f.itemId], status: "planned" } }),
  },
  "GET /api/v1/workspaces/[workspaceId]/items/[itemId]": {
    access: "read",
    scope: "workspace",
    request: (f) => ({ params: { itemId: f.itemId } }),
  },
  "PATCH /api/v1/workspaces/[workspaceId]/items/[itemId]": {
    access: "editBacklog",
    scope: "workspace",
    request: (f) => ({ params: { itemId: f.itemId }, body: { version: 1, title: "Renamed" } }),
  },
  "DELETE /api/v1/workspaces/[workspaceId]/items/[itemId]": {
    access: "editBacklog",
    scope: "workspace",
    request: (f) => ({ params: { itemId: f.itemId } }),
  },
  "POST /api/v1/workspaces/[workspaceId]/items/[itemId]/restore": {
    access: "editBacklog",
    scope: "workspace",
    request: (f) => ({ params: { itemId: f.itemId } }),
  },
  "PUT /api/v1/workspaces/[workspaceId]/items/[itemId]/inputs/[input]": {
    access: "editBacklog",
    scope: "workspace",
    request: (f) => ({ params: { itemId: f.itemId, input: "reach" }, body: { value: 100, reason: "matrix" } }),
  },
  "GET /api/v1/workspaces/[workspaceId]/items/export.csv": { access: "read", scope: "workspace" },
  "POST /api/v1/workspaces/[workspaceId]/items/import": { access: "editBacklog", scope: "workspace" },
  "GET /api/v1/workspaces/[workspaceId]/ranking": { access: "read", scope: "workspace" },
  "POST /api/v1/workspaces/[workspaceId]/proposals/review": {
    access: "editBacklog",
    scope: "workspace",
    request: (f) => ({ body: { runId: f.runId, action: "reject" } }),
  },
  "GET /api/v1/workspaces/[workspaceId]/prioritizations": { access: "read", scope: "workspace" },
  "POST /api/v1/workspaces/[workspaceId]/prioritizations": {
    access: "runAi",
    scope: "workspace",
    request: () => ({ body: { framework: "rice" } }),
  },
  "GET /api/v1/workspaces/[workspaceId]/prioritizations/[runId]": {
    access: "read",
    scope: "workspace",
    request: (f) => ({ params: { runId: f.runId } }),
  },
  "GET /api/v1/workspaces/[workspaceId]/prioritizations/[runId]/changes": {
    access: "read",
    scope: "workspace",
    request: (f) => ({ params: { runId: f.runId } }),
  },
  "GET /api/v1/workspaces/[workspaceId]/documents": { access: "read", scope: "workspace" },
  "POST /api/v1/workspaces/[workspaceId]/documents": {
    access: "editBacklog",
    scope: "workspace",
    request: () => ({ body: { title: "Matrix note", content: "Written by the authorisation matrix." } }),
  },
  "GET /api/v1/workspaces/[workspaceId]/documents/[documentId]": {
    access: "read",
    scope: "workspace",
    request: (f) => ({ params: { documentId: f.documentId } }),
  },
  "DELETE /api/v1/workspaces/[workspaceId]/documents/[documentId]": {
    access: "editBacklog",
    scope: "workspace",
    request: (f) => ({ params: { documentId: f.documentId } }),
  },
  "GET /api/v1/workspaces/[workspaceId]/documents/indexing": { access: "read", scope: "workspace" },
  "POST /api/v1/workspaces/[workspaceId]/documents/indexing": { access: "editBacklog", scope: "workspace" },
  "GET /api/v1/workspaces/[workspaceId]/feedback/summaries": { access: "read", scope: "workspace" },
  "POST /api/v1/workspaces/[workspaceId]/feedback/summaries": { access: "runAi", scope: "workspace" },
  "GET /api/v1/workspaces/[workspaceId]/feedback/suggestions": { access: "read", scope: "workspace" },
  "POST /api/v1/workspaces/[workspaceId]/feedback/suggestions": { access: "runAi", scope: "workspace" },
  "POST /api/v1/workspaces/[workspaceId]/feedback/suggestions/[runId]/items": {
    access: "editBacklog",
    scope: "workspace",
    request: (f) => ({ params: { runId: f.runId } }),
  },

  "GET /api/admin/prompts": { access: "readPrompts", scope: "none" },
  "GET /api/admin/prompts/audit": { access: "manageUsers", scope: "none" },
  "GET /api/admin/prompts/[key]": { access: "readPrompts", scope: "none", request: (f) => ({ params: prompt(f) }) },
  "GET /api/admin/prompts/[key]/diff": {
    access: "readPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "POST /api/admin/prompts/[key]/preview": {
    access: "readPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "PUT /api/admin/prompts/[key]/gate": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "GET /api/admin/prompts/[key]/fine-tuning/export": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "POST /api/admin/prompts/[key]/fine-tuning/validate": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "GET /api/admin/prompts/[key]/fine-tuning/jobs": {
    access: "manageModels",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "POST /api/admin/prompts/[key]/fine-tuning/jobs": {
    access: "manageModels",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "GET /api/admin/prompts/[key]/fine-tuning/jobs/[jobId]": {
    access: "manageModels",
    scope: "none",
    request: (f) => ({ params: { ...prompt(f), jobId: "ftjob-matrix" } }),
  },
  "GET /api/admin/prompts/[key]/languages/[language]/history": {
    access: "readPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "PUT /api/admin/prompts/[key]/languages/[language]/draft": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "POST /api/admin/prompts/[key]/languages/[language]/versions": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "GET /api/admin/prompts/[key]/languages/[language]/versions/[versionId]": {
    access: "readPrompts",
    scope: "none",
    request: (f) => ({ params: { ...prompt(f), versionId: f.versionId } }),
  },
  "GET /api/admin/prompts/[key]/languages/[language]/versions/[versionId]/gates": {
    access: "readPrompts",
    scope: "none",
    request: (f) => ({ params: { ...prompt(f), versionId: f.versionId } }),
  },
  "POST /api/admin/prompts/[key]/languages/[language]/publish": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "POST /api/admin/prompts/[key]/languages/[language]/rollback": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "GET /api/admin/prompts/[key]/tests": {
    access: "readPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "POST /api/admin/prompts/[key]/tests": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "POST /api/admin/prompts/[key]/tests/run": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "PUT /api/admin/prompts/[key]/tests/[caseId]": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: { ...prompt(f), caseId: f.versionId } }),
  },
  "DELETE /api/admin/prompts/[key]/tests/[caseId]": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: { ...prompt(f), caseId: f.versionId } }),
  },
  "GET /api/admin/prompts/[key]/test-runs": {
    access: "readPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "POST /api/admin/prompts/[key]/test-runs": {
    access: "editPrompts",
    scope: "none",
    request: (f) => ({ params: prompt(f) }),
  },
  "GET /api/admin/prompts/[key]/test-runs/[testRunId]": {
    access: "readPrompts",
    scope: "none",
    request: (f) => ({ params: { ...prompt(f), testRunId: f.versionId } }),
  },
};

export interface ActionExpectation {
  access: Access;
  scope: Scope;
  /** Arguments of a call by an allowed actor. */
  args: (fixture: Fixture) => unknown[];
  /** Error code every actor gets, for an action that is closed in a set-up database. */
  alwaysFails?: string;
}

/** Keys are `<file>#<export>`, the file relative to the repository. */
export const actionExpectations: Record<string, ActionExpectation> = {
  "app/(app)/actions.ts#setLocale": { access: "signedIn", scope: "none", args: () => [{ locale: "en" }] },
  "app/setup/actions.ts#createFirstAdmin": {
    access: "public",
    scope: "none",
    args: () => [
      { name: "Intruder", email: "intruder@example.test", password: "long-enough-pass", workspaceName: "Mine" },
    ],
    alwaysFails: "setup_done",
  },
  "app/(app)/w/[workspaceId]/backlog/actions.ts#createItemAction": {
    access: "editBacklog",
    scope: "workspace",
    args: (f) => [f.workspaceId, { title: "Created by an action" }],
  },
  "app/(app)/w/[workspaceId]/backlog/actions.ts#updateItemAction": {
    access: "editBacklog",
    scope: "workspace",
    args: (f) => [f.workspaceId, f.itemId, { version: 1, title: "Renamed by an action" }],
  },
  "app/(app)/w/[workspaceId]/backlog/actions.ts#deleteItemsAction": {
    access: "editBacklog",
    scope: "workspace",
    args: (f) => [f.workspaceId, [f.itemId]],
  },
  "app/(app)/w/[workspaceId]/backlog/actions.ts#restoreItemsAction": {
    access: "editBacklog",
    scope: "workspace",
    args: (f) => [f.workspaceId, [f.itemId]],
  },
  "app/(app)/w/[workspaceId]/backlog/actions.ts#bulkUpdateItemsAction": {
    access: "editBacklog",
    scope: "workspace",
    args: (f) => [f.workspaceId, { itemIds: [f.itemId], status: "planned" }],
  },
  "app/(app)/w/[workspaceId]/backlog/actions.ts#setInputAction": {
    access: "editBacklog",
    scope: "workspace",
    args: (f) => [f.workspaceId, f.itemId, "reach", { value: 200, reason: "action matrix" }],
  },
  "app/(app)/w/[workspaceId]/backlog/actions.ts#listMatchingItemIdsAction": {
    access: "read",
    scope: "workspace",
    args: (f) => [f.workspaceId, {}],
  },
  "app/(app)/w/[workspaceId]/backlog/actions.ts#setFrameworkAction": {
    access: "editBacklog",
    scope: "workspace",
    args: (f) => [f.workspaceId, "rice"],
  },
  "app/(app)/w/[workspaceId]/backlog/actions.ts#previewImportAction": {
    access: "editBacklog",
    scope: "workspace",
    args: (f) => [f.workspaceId, csvForm()],
  },
  "app/(app)/w/[workspaceId]/backlog/actions.ts#importCsvAction": {
    access: "editBacklog",
    scope: "workspace",
    args: (f) => [f.workspaceId, csvForm()],
  },
  "app/(app)/w/[workspaceId]/prioritize/actions.ts#reviewProposalsAction": {
    access: "editBacklog",
    scope: "workspace",
    args: (f) => [f.workspaceId, { runId: f.runId, action: "reject" }],
  },
};

function csvForm(): FormData {
  const form = new FormData();
  form.set("file", new File(["title\nImported by an action\n"], "items.csv", { type: "text/csv" }));
  return form;
}
