/**
 * Chat time-to-first-token benchmark: how much time the chat adds before the first token, on top
 * of the model's own time to first token.
 *
 *   npx tsx bench/chat-ttft.ts [--requests 100] [--ttft-ms 300] [--concurrency 1,50] [--tokens-per-second 100]
 *                              [--engine pglite|postgres]
 *
 * `--engine postgres` creates (and drops) a database on the server of TEST_DATABASE_URL.
 *
 * The model simulator runs in a child process on 127.0.0.1 with a fixed time to first token. This
 * process holds a new database (in-memory PGlite by default) seeded with the demo workspace (60 items, 115
 * embedded feedback snippets) and serves the chat over HTTP on 127.0.0.1 with the same code as
 * the route: token authentication, workspace check, `respondToChat` (new conversation with its
 * ranking snapshot, question stored, query embedded, vector search, prompt rendered, model
 * streamed). An HTTP client measures, per request, the time from sending it to reading the first
 * text chunk; the added time is that minus the simulator's configured time to first token.
 * Next.js routing and the session cookie check are not included.
 *
 * Prints JSON: per concurrency level, the median and p95 of the time to first token and of the
 * added time, in milliseconds, and whether p95 added time is under the 50 ms target.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { and, count, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { PENDING_ANSWER_METADATA } from "@/db/queries/chat";
import { getActiveTokenOwner, getUserByEmail } from "@/db/queries/users";
import { getWorkspaceForUser } from "@/db/queries/workspaces";
import { apiToken, chatMessage } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { createGateway } from "@/lib/ai";
import type { Actor } from "@/lib/auth/actor";
import { generateApiToken, hashApiToken } from "@/lib/auth/tokens";
import { type ChatDeps, chatRequestSchema, respondToChat } from "@/lib/chat/respond";
import type { KnowledgeDeps } from "@/lib/knowledge/deps";
import { startKnowledgeIndexer } from "@/lib/knowledge/indexer";
import { logger } from "@/lib/logger";
import { loadPromptCacheFromDefinitions } from "@/lib/prompts/cache";
import { defaultPromptsDir, readPromptDirectory } from "@/lib/prompts/files";
import { renderPrompt } from "@/lib/prompts/render";
import { createTestDatabase } from "@/lib/testing/database";
import { startSimulatorProcess } from "./simulator-process";
import { type ChatLaneParams, type ChatLaneTiming, runChatLanes } from "./support/chat-lanes";
import { percentile, round, sortAscending } from "./support/stats";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "100" },
    "ttft-ms": { type: "string", default: "300" },
    concurrency: { type: "string", default: "1,50" },
    "tokens-per-second": { type: "string", default: "100" },
    engine: { type: "string", default: "pglite" },
  },
});
const REQUESTS = Number(values.requests);
const SIMULATOR_TTFT_MS = Number(values["ttft-ms"]);
const LEVELS = (values.concurrency ?? "1,50").split(",").map(Number);
const TOKENS_PER_SECOND = Number(values["tokens-per-second"]);
const TARGET_ADDED_P95_MS = 50;

async function prepare(simulatorUrl: string) {
  const engine = values.engine === "postgres" ? "postgres" : "pglite";
  const handle = await createTestDatabase(engine);
  const seeded = await seedDemo(handle.db);
  if (!seeded) throw new Error("seeding the demo workspace failed");
  // The gateway's per-deployment limit would queue 50 chats behind 8 slots; the benchmark measures
  // the chat's own overhead, so it allows every request at once.
  const gateway = createGateway({
    provider: { kind: "simulator", url: simulatorUrl },
    concurrency: 128,
    maxRetries: 0,
  });
  const log = logger.child({ bench: "chat-ttft" });
  const knowledge: KnowledgeDeps = {
    db: handle.db,
    vectorPath: handle.vectorPath,
    gateway,
    settings: {
      chunkTokens: 400,
      overlapTokens: 60,
      topK: 6,
      minSimilarity: 0.35,
      embedBatchSize: 64,
      maxUploadBytes: 5_000_000,
      pollMs: 60_000,
    },
    log,
  };
  const indexer = startKnowledgeIndexer(knowledge, { poll: false });
  await indexer.runPass();
  await indexer.stop();
  loadPromptCacheFromDefinitions(await readPromptDirectory(defaultPromptsDir));

  const pm = await getUserByEmail(handle.db, { email: "pm@rankwise.test" });
  if (!pm) throw new Error("the demo PM account is missing");
  const { token, tokenHash, prefix } = generateApiToken();
  await handle.db.insert(apiToken).values({ userId: pm.id, name: "bench", tokenHash, prefix });

  const deps: ChatDeps = {
    db: handle.db,
    knowledge,
    getLanguageModel: (role, options) => gateway.getLanguageModel(role, options),
    renderPrompt: (request) => renderPrompt(request),
    settings: {
      rankingItems: 10,
      historyMessages: 8,
      maxQuestionChars: 2000,
      firstTokenTimeoutMs: 30_000,
      streamIntervalMs: 30,
    },
    log,
  };
  return { handle, gateway, deps, token, workspaceId: seeded.workspaceId };
}

/** The chat route's work without Next.js: token lookup, workspace check, then the answer stream. */
function createChatServer(deps: ChatDeps) {
  return createServer(async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const body = chatRequestSchema.parse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      const bearer = (incoming.headers.authorization ?? "").replace(/^Bearer /, "");
      const owner = await getActiveTokenOwner(deps.db, { tokenHash: hashApiToken(bearer) });
      if (!owner) throw new Error("unknown token");
      const actor: Actor = {
        userId: owner.user.id,
        email: owner.user.email,
        name: owner.user.name,
        role: owner.user.role,
        locale: null,
        via: "token",
      };
      if (!(await getWorkspaceForUser(deps.db, { workspaceId: body.workspaceId, userId: actor.userId })))
        throw new Error("not a member");

      const abort = new AbortController();
      outgoing.on("close", () => abort.abort());
      const response = await respondToChat(deps, { actor, request: body, signal: abort.signal });
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) Readable.fromWeb(response.body as never).pipe(outgoing);
      else outgoing.end();
    } catch (error) {
      outgoing.writeHead(500, { "content-type": "text/plain" });
      outgoing.end(String(error));
    }
  });
}

interface LevelFigures {
  ttftMedianMs: number;
  ttftP95Ms: number;
  addedMedianMs: number;
  addedP95Ms: number;
  addedMaxMs: number;
}

function summarize(timings: ChatLaneTiming[]): LevelFigures {
  const sorted = sortAscending(timings.map((timing) => timing.ttftMs));
  const median = percentile(sorted, 0.5);
  const p95 = percentile(sorted, 0.95);
  return {
    ttftMedianMs: round(median),
    ttftP95Ms: round(p95),
    addedMedianMs: round(median - SIMULATOR_TTFT_MS),
    addedP95Ms: round(p95 - SIMULATOR_TTFT_MS),
    addedMaxMs: round((sorted.at(-1) ?? 0) - SIMULATOR_TTFT_MS),
  };
}

/**
 * Measure one level: `concurrency` chats kept in flight with arrivals spread over one answer's length
 * (the figure the target applies to), then, above one chat, the same number sent at one instant.
 */
/** Questions sent so far, untimed ones included; each gets an answer stored when its stream ends. */
let questionsSent = 0;

async function runLanes(params: ChatLaneParams) {
  const result = await runChatLanes(params);
  questionsSent += result.sent;
  return result;
}

/**
 * Wait until every question sent has its answer stored. The client stops reading at the first
 * token, and the chat stores the cancelled answer afterwards, so closing the database sooner
 * would fail those writes.
 */
async function waitForStoredAnswers(db: Db): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await db
      .select({ stored: count() })
      .from(chatMessage)
      .where(
        and(
          eq(chatMessage.role, "assistant"),
          sql`not (${chatMessage.metadata} @> ${JSON.stringify(PENDING_ANSWER_METADATA)}::jsonb)`,
        ),
      );
    if ((row?.stored ?? 0) >= questionsSent) return;
    if (Date.now() > deadline)
      throw new Error(`only ${row?.stored} of ${questionsSent} answers were stored after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runLevel(target: Omit<ChatLaneParams, "mode" | "lanes">, concurrency: number) {
  const { timings: steady } = await runLanes({
    ...target,
    mode: "steady",
    lanes: concurrency,
    requests: REQUESTS,
    firstTokenOnly: concurrency === 1,
  });
  const steadyFigures = summarize(steady);
  const burst =
    concurrency > 1 ? summarize((await runLanes({ ...target, mode: "burst", lanes: concurrency })).timings) : null;
  return {
    concurrency,
    requests: steady.length,
    ...steadyFigures,
    meetsTarget: steadyFigures.addedP95Ms < TARGET_ADDED_P95_MS,
    burst,
  };
}

async function main() {
  // Keep stdout for the JSON report: the seed and the indexer log at info level.
  logger.level = process.env.BENCH_LOG_LEVEL ?? "warn";
  const simulator = await startSimulatorProcess({
    "ttft-ms": SIMULATOR_TTFT_MS,
    "tokens-per-second": TOKENS_PER_SECOND,
    "latency-ms": 0,
  });
  const { handle, gateway, deps, token, workspaceId } = await prepare(simulator.url);
  const server = createChatServer(deps);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    const target = { url, token, workspaceId, question: "Why is A01 ranked first?" };
    const { timings: warmUp } = await runLanes({ ...target, mode: "steady", lanes: 1, requests: 3 });
    const spreadMs = Math.max(...warmUp.map((timing) => timing.totalMs));
    const results = [];
    for (const concurrency of LEVELS) results.push(await runLevel({ ...target, spreadMs }, concurrency));
    const report = {
      benchmark: "chat-ttft",
      simulatorTtftMs: SIMULATOR_TTFT_MS,
      simulatorTokensPerSecond: TOKENS_PER_SECOND,
      targetAddedP95Ms: TARGET_ADDED_P95_MS,
      answerMs: round(spreadMs),
      database: `${handle.engine} (${handle.vectorPath})`,
      machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` },
      results,
    };
    await waitForStoredAnswers(handle.db);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gateway.close();
    await handle.close();
    await simulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
