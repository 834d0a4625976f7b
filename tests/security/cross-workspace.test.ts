import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { getBacklogItem } from "@/db/queries/backlog";
import { listInputHistory } from "@/db/queries/backlog-inputs";
import { insertDocuments } from "@/db/queries/documents";
import { getRunById, listBatches } from "@/db/queries/runs";
import { startConversation } from "@/lib/chat/conversations";
import { startPrioritization } from "@/lib/prioritization/ai-runs";
import { describeEachEngine } from "@/lib/testing/database";
import {
  createBacklog,
  createReliabilityHarness,
  createWorkspaceWithUsers,
  type ReliabilityHarness,
  type RouteMocks,
  waitForFinishedRun,
} from "../reliability/harness";

/**
 * A member of workspace B who has (or guesses) the ids of workspace A's item, document, run and
 * conversation, and sends them through B's own URLs and server actions. Every read is a 404, and
 * no write changes A's rows.
 */

const mocks = vi.hoisted(() => ({}) as RouteMocks);
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => mocks.gateway,
}));
vi.mock("@/lib/pipeline/app-runtime", () => ({ getPipelineRuntime: async () => mocks.runtime }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () =>
    mocks.sessionUserId ? { user: { id: mocks.sessionUserId }, expires: "2999-01-01T00:00:00.000Z" } : null,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const itemRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/[itemId]/route");
const inputRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/[itemId]/inputs/[input]/route");
const restoreRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/[itemId]/restore/route");
const documentsRoute = await import("@/app/api/v1/workspaces/[workspaceId]/documents/route");
const documentRoute = await import("@/app/api/v1/workspaces/[workspaceId]/documents/[documentId]/route");
const prioritizationRoute = await import("@/app/api/v1/workspaces/[workspaceId]/prioritizations/[runId]/route");
const changesRoute = await import("@/app/api/v1/workspaces/[workspaceId]/prioritizations/[runId]/changes/route");
const suggestionItemsRoute = await import(
  "@/app/api/v1/workspaces/[workspaceId]/feedback/suggestions/[runId]/items/route"
);
const reviewRoute = await import("@/app/api/v1/workspaces/[workspaceId]/proposals/review/route");
const runRoute = await import("@/app/api/v1/runs/[runId]/route");
const runEventsRoute = await import("@/app/api/v1/runs/[runId]/events/route");
const runRetryRoute = await import("@/app/api/v1/runs/[runId]/retry/route");
const conversationRoute = await import("@/app/api/chat/conversations/[conversationId]/route");
const backlogActions = await import("@/app/(app)/w/[workspaceId]/backlog/actions");

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

describeEachEngine("ids of another workspace", (engine) => {
  let harness: ReliabilityHarness;
  const victim = {
    workspaceId: "",
    itemId: "",
    documentId: "",
    runId: "",
    batchId: "",
    conversationId: "",
    version: 0,
  };
  let attackerWorkspaceId = "";

  beforeAll(async () => {
    harness = await createReliabilityHarness(engine, mocks);
    const db = harness.handle.db;
    const a = await createWorkspaceWithUsers(harness.handle, ["member"]);
    const b = await createWorkspaceWithUsers(harness.handle, ["member"]);
    const ownerId = a.users.member as string;
    victim.workspaceId = a.workspaceId;
    [victim.itemId] = (await createBacklog(harness.handle, {
      workspaceId: a.workspaceId,
      actorId: ownerId,
      themes: ["Secret"],
      perTheme: 1,
    })) as [string];
    const [document] = await insertDocuments(db, [
      { workspaceId: a.workspaceId, kind: "feedback", title: "Private", content: "Only for A.", language: "en" },
    ]);
    victim.documentId = document?.id as string;
    const owner = {
      userId: ownerId,
      email: "a@example.test",
      name: "A",
      role: "member" as const,
      locale: null,
      via: "session" as const,
    };
    const run = await startPrioritization(harness.runtime, {
      actor: owner,
      workspaceId: a.workspaceId,
      body: { framework: "rice" },
    });
    await waitForFinishedRun(harness.handle, run.id);
    victim.runId = run.id;
    victim.batchId = (await listBatches(db, { runId: run.id }))[0]?.id as string;
    victim.conversationId = (
      await startConversation(db, { workspaceId: a.workspaceId, userId: ownerId, language: "en", question: "Why?" })
    ).id;
    victim.version = (await getBacklogItem(db, { workspaceId: a.workspaceId, itemId: victim.itemId }))?.version ?? 0;

    attackerWorkspaceId = b.workspaceId;
    mocks.sessionUserId = b.users.member;
  }, 120_000);

  afterAll(async () => {
    mocks.sessionUserId = undefined;
    await harness?.close();
  });

  async function call(handler: Handler, method: string, params: Record<string, string>, body?: unknown, query = "") {
    const response = await handler(
      new Request(`http://127.0.0.1/guessed${query}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      { params: Promise.resolve({ workspaceId: attackerWorkspaceId, ...params }) },
    );
    await response.body?.cancel();
    return response.status;
  }

  it("answers 404 to every guessed id", async () => {
    const { itemId, documentId, runId, batchId, conversationId } = victim;
    const statuses = {
      readItem: await call(itemRoute.GET as Handler, "GET", { itemId }),
      editItem: await call(
        itemRoute.PATCH as Handler,
        "PATCH",
        { itemId },
        { version: victim.version, title: "Owned" },
      ),
      deleteItem: await call(itemRoute.DELETE as Handler, "DELETE", { itemId }),
      restoreItem: await call(restoreRoute.POST as Handler, "POST", { itemId }, {}),
      setInput: await call(inputRoute.PUT as Handler, "PUT", { itemId, input: "reach" }, { value: 1, reason: "owned" }),
      linkDocument: await call(documentsRoute.POST as Handler, "POST", {}, { title: "Mine", content: "x", itemId }),
      readDocument: await call(documentRoute.GET as Handler, "GET", { documentId }),
      deleteDocument: await call(documentRoute.DELETE as Handler, "DELETE", { documentId }),
      readPrioritization: await call(prioritizationRoute.GET as Handler, "GET", { runId }),
      readChanges: await call(changesRoute.GET as Handler, "GET", { runId }),
      reviewRun: await call(reviewRoute.POST as Handler, "POST", {}, { runId, action: "reject" }),
      reviewBatch: await call(reviewRoute.POST as Handler, "POST", {}, { batchId, action: "reject" }),
      addSuggestion: await call(suggestionItemsRoute.POST as Handler, "POST", { runId }, { batchId: runId, index: 0 }),
      readRun: await call(runRoute.GET as Handler, "GET", { runId }),
      readRunEvents: await call(runEventsRoute.GET as Handler, "GET", { runId }),
      retryRun: await call(runRetryRoute.POST as Handler, "POST", { runId }),
      readConversation: await call(
        conversationRoute.GET as Handler,
        "GET",
        { conversationId },
        undefined,
        `?workspaceId=${attackerWorkspaceId}`,
      ),
      deleteConversation: await call(
        conversationRoute.DELETE as Handler,
        "DELETE",
        { conversationId },
        undefined,
        `?workspaceId=${attackerWorkspaceId}`,
      ),
    };

    expect(statuses).toEqual(Object.fromEntries(Object.keys(statuses).map((name) => [name, 404])));
  });

  it("changes nothing of the other workspace", async () => {
    const db = harness.handle.db;
    const { itemId, runId } = victim;
    await call(reviewRoute.POST as Handler, "POST", {}, { runId, action: "accept" });
    const actionResults = [
      await backlogActions.updateItemAction(attackerWorkspaceId, itemId, { version: victim.version, title: "Owned" }),
      await backlogActions.deleteItemsAction(attackerWorkspaceId, [itemId]),
      await backlogActions.setInputAction(attackerWorkspaceId, itemId, "reach", { value: 1, reason: "owned" }),
      await backlogActions.bulkUpdateItemsAction(attackerWorkspaceId, { itemIds: [itemId], status: "done" }),
    ];
    const item = await getBacklogItem(db, { workspaceId: victim.workspaceId, itemId, includeDeleted: true });
    const history = await listInputHistory(db, { workspaceId: victim.workspaceId, itemId });
    const run = await getRunById(db, { runId });

    const touched = actionResults.filter(
      (result) => result.ok && !(Array.isArray(result.data) && result.data.length === 0) && result.data !== 0,
    );

    expect(touched).toEqual([]);
    expect(item?.title).toBe("Secret item 1");
    expect(item?.deletedAt).toBeNull();
    expect(item?.status).toBe("idea");
    expect(item?.version).toBe(victim.version);
    expect(history.filter((row) => row.source === "pm")).toHaveLength(0);
    expect(history.filter((row) => row.status === "active" && row.source === "ai")).toHaveLength(0);
    expect(run?.status).toBe("completed");
  });
});
