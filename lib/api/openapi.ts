import { z } from "zod";
import { createTokenSchema } from "@/lib/api/tokens";
import { reviewProposalsSchema } from "@/lib/backlog/review";
import { bulkUpdateItemsSchema, createItemSchema, setInputBodySchema, updateItemSchema } from "@/lib/backlog/schemas";
import { pasteDocumentSchema } from "@/lib/knowledge/documents";
import { startRunSchema } from "@/lib/pipeline/service";
import { listPrioritizationsQuerySchema, startPrioritizationSchema } from "@/lib/prioritization/ai-runs";
import { inputNames } from "@/lib/prioritization/scales";
import {
  exportQuerySchema,
  importQuerySchema,
  itemListResponseSchema,
  itemResponseSchema,
  listItemsQuerySchema,
  rankingQuerySchema,
  rankingResponseSchema,
} from "./backlog-schemas";

type JsonSchema = Record<string, unknown>;

interface Operation {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  tag: string;
  /** Token routes accept a session only; every other route also accepts a bearer token. */
  sessionOnly?: boolean;
  query?: z.ZodObject;
  body?: z.ZodType | "csv";
  /** Fields of a multipart/form-data body that the route accepts as well as the JSON body. */
  form?: JsonSchema;
  response: { status: number; description: string; schema?: z.ZodType | "csv" | "stream" };
}

function toSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return rest;
}

function toOutputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchema;
  return rest;
}

const errorSchema = z.object({
  error: z.object({
    code: z.string().describe("stable machine-readable name, such as invalid_input or not_found"),
    message: z.string().describe("plain sentence that names the failing field"),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const tokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
const anyObject = z.record(z.string(), z.unknown());
const queuedRunSchema = z.object({ runId: z.uuid(), status: z.string().describe("queued while no worker took it") });

const documentUploadForm: JsonSchema = {
  type: "object",
  required: ["file"],
  properties: {
    file: {
      type: "string",
      format: "binary",
      description: "a .md, .txt, .csv or .jsonl file; a .jsonl file stores one feedback document per line",
    },
    title: {
      type: "string",
      maxLength: 200,
      description: "title of a .md, .txt or .csv document; the file name without its extension by default",
    },
    language: { type: "string", description: "language tag of the text, such as en or fr" },
    sourceUrl: { type: "string", description: "http or https URL the text comes from" },
  },
};

const items = "/api/v1/workspaces/{workspaceId}/items";
const item = `${items}/{itemId}`;

const operations: Operation[] = [
  {
    method: "get",
    path: "/api/v1/tokens",
    tag: "tokens",
    sessionOnly: true,
    summary: "List your access tokens",
    response: {
      status: 200,
      description: "tokens, never the secret",
      schema: z.object({ tokens: z.array(tokenSchema) }),
    },
  },
  {
    method: "post",
    path: "/api/v1/tokens",
    tag: "tokens",
    sessionOnly: true,
    summary: "Create an access token (shown once)",
    body: createTokenSchema,
    response: {
      status: 201,
      description: "the token, with its secret",
      schema: z.object({ token: tokenSchema.extend({ token: z.string() }) }),
    },
  },
  {
    method: "delete",
    path: "/api/v1/tokens/{tokenId}",
    tag: "tokens",
    sessionOnly: true,
    summary: "Revoke an access token",
    response: { status: 200, description: "the revoked token", schema: z.object({ token: tokenSchema }) },
  },
  {
    method: "get",
    path: items,
    tag: "items",
    summary: "List items with filters",
    query: listItemsQuerySchema,
    response: { status: 200, description: "a page of items by number", schema: itemListResponseSchema },
  },
  {
    method: "post",
    path: items,
    tag: "items",
    summary: "Create an item",
    body: createItemSchema,
    response: { status: 201, description: "the item", schema: z.object({ item: itemResponseSchema }) },
  },
  {
    method: "patch",
    path: items,
    tag: "items",
    summary: "Set theme or status on many items",
    body: bulkUpdateItemsSchema,
    response: { status: 200, description: "how many items changed", schema: z.object({ updated: z.number().int() }) },
  },
  {
    method: "get",
    path: item,
    tag: "items",
    summary: "Get an item with its input history",
    response: {
      status: 200,
      description: "the item and its history rows",
      schema: z.object({ item: itemResponseSchema, history: z.array(anyObject) }),
    },
  },
  {
    method: "patch",
    path: item,
    tag: "items",
    summary: "Edit an item (optimistic concurrency on version)",
    body: updateItemSchema,
    response: {
      status: 200,
      description: "the item, at the same version when no field changed; 409 when version is stale",
      schema: z.object({ item: itemResponseSchema }),
    },
  },
  {
    method: "delete",
    path: item,
    tag: "items",
    summary: "Delete an item (undo with restore)",
    response: { status: 200, description: "the deletion and its undo link", schema: anyObject },
  },
  {
    method: "post",
    path: `${item}/restore`,
    tag: "items",
    summary: "Undo the deletion of an item",
    response: { status: 200, description: "the restored item", schema: z.object({ item: itemResponseSchema }) },
  },
  {
    method: "put",
    path: `${item}/inputs/{input}`,
    tag: "items",
    summary: `Set a PM input value with a reason; input is one of ${inputNames.join(", ")}`,
    body: setInputBodySchema,
    response: { status: 200, description: "the item and the rank changes caused", schema: anyObject },
  },
  {
    method: "post",
    path: `${items}/import`,
    tag: "import",
    summary: "Import items from a CSV body (all rows or none)",
    query: importQuerySchema,
    body: "csv",
    response: { status: 201, description: "counts; 400 lists row errors", schema: z.object({ result: anyObject }) },
  },
  {
    method: "get",
    path: `${items}/export.csv`,
    tag: "import",
    summary: "Export the ranked backlog as CSV",
    query: exportQuerySchema,
    response: { status: 200, description: "CSV with inputs, sources and scores", schema: "csv" },
  },
  {
    method: "get",
    path: "/api/v1/workspaces/{workspaceId}/ranking",
    tag: "ranking",
    summary: "Rank the backlog by a framework",
    query: rankingQuerySchema,
    response: { status: 200, description: "ranked items and items that need input", schema: rankingResponseSchema },
  },
  {
    method: "post",
    path: "/api/v1/workspaces/{workspaceId}/proposals/review",
    tag: "ranking",
    summary: "Accept or reject AI proposals",
    body: reviewProposalsSchema,
    response: { status: 200, description: "reviewed proposals and rank changes", schema: anyObject },
  },
  {
    method: "post",
    path: "/api/v1/workspaces/{workspaceId}/prioritizations",
    tag: "runs",
    summary: "Start an AI prioritization run (selection, framework, language)",
    body: startPrioritizationSchema,
    response: { status: 202, description: "the queued run", schema: queuedRunSchema },
  },
  {
    method: "get",
    path: "/api/v1/workspaces/{workspaceId}/prioritizations",
    tag: "runs",
    summary: "List the workspace's prioritization runs",
    query: listPrioritizationsQuerySchema,
    response: { status: 200, description: "runs, newest first", schema: anyObject },
  },
  // Responses below are documented loosely; the request schemas are the ones the handlers use.
  {
    method: "get",
    path: "/api/v1/workspaces/{workspaceId}/prioritizations/{runId}",
    tag: "runs",
    summary: "Get a prioritization run with its proposals",
    response: { status: 200, description: "the run", schema: anyObject },
  },
  {
    method: "get",
    path: "/api/v1/workspaces/{workspaceId}/prioritizations/{runId}/changes",
    tag: "runs",
    summary: "List the rank changes a run's proposals cause",
    response: { status: 200, description: "rank changes with the input changes behind them", schema: anyObject },
  },
  {
    method: "get",
    path: "/api/v1/workspaces/{workspaceId}/documents",
    tag: "documents",
    summary: "List the workspace's documents",
    response: { status: 200, description: "documents, newest first", schema: anyObject },
  },
  {
    method: "post",
    path: "/api/v1/workspaces/{workspaceId}/documents",
    tag: "documents",
    summary: "Add a document from pasted text (JSON) or an uploaded file (multipart form)",
    body: pasteDocumentSchema,
    form: documentUploadForm,
    response: { status: 201, description: "the stored documents", schema: anyObject },
  },
  {
    method: "get",
    path: "/api/v1/workspaces/{workspaceId}/documents/{documentId}",
    tag: "documents",
    summary: "Get a document with its chunks",
    response: { status: 200, description: "the document", schema: anyObject },
  },
  {
    method: "delete",
    path: "/api/v1/workspaces/{workspaceId}/documents/{documentId}",
    tag: "documents",
    summary: "Delete a document and its chunks",
    response: { status: 204, description: "deleted" },
  },
  {
    method: "get",
    path: "/api/v1/workspaces/{workspaceId}/documents/indexing",
    tag: "documents",
    summary: "Get the latest embedding job",
    response: { status: 200, description: "the job and its progress", schema: anyObject },
  },
  {
    method: "post",
    path: "/api/v1/workspaces/{workspaceId}/documents/indexing",
    tag: "documents",
    summary: "Queue an embedding job",
    response: { status: 202, description: "the queued job", schema: anyObject },
  },
  {
    method: "get",
    path: "/api/v1/runs",
    tag: "runs",
    summary: "List pipeline runs",
    response: { status: 200, description: "runs, newest first", schema: anyObject },
  },
  {
    method: "post",
    path: "/api/v1/runs",
    tag: "runs",
    summary: "Start a pipeline run",
    body: startRunSchema,
    response: { status: 202, description: "the queued run", schema: anyObject },
  },
  {
    method: "get",
    path: "/api/v1/runs/{runId}",
    tag: "runs",
    summary: "Get a run with its batches",
    response: { status: 200, description: "the run", schema: anyObject },
  },
  {
    method: "get",
    path: "/api/v1/runs/{runId}/events",
    tag: "runs",
    summary: "Stream a run's progress events",
    response: { status: 200, description: "server-sent events", schema: "stream" },
  },
  {
    method: "post",
    path: "/api/v1/runs/{runId}/retry",
    tag: "runs",
    summary:
      "Retry a run's failed batches, except those the content filter stopped, or restart a run cancelled before its batches were planned",
    response: { status: 202, description: "the run", schema: anyObject },
  },
  {
    method: "post",
    path: "/api/v1/runs/{runId}/cancel",
    tag: "runs",
    summary: "Cancel a run",
    response: { status: 202, description: "the run", schema: anyObject },
  },
];

const pathParameterPattern = /\{(\w+)\}/g;

function describeParameters(operation: Operation): JsonSchema[] {
  const path = [...operation.path.matchAll(pathParameterPattern)].map((match) => ({
    name: match[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const shape = operation.query?.shape ?? {};
  const query = Object.entries(shape).map(([name, field]) => ({
    name,
    in: "query",
    required: !(field as z.ZodType).safeParse(undefined).success,
    schema: toSchema(field as z.ZodType),
  }));
  return [...path, ...query];
}

function describeBody(body: Operation["body"], form: Operation["form"]): JsonSchema | undefined {
  if (!body) return undefined;
  if (body === "csv") {
    return {
      required: true,
      content: { "text/csv": { schema: { type: "string", description: "UTF-8 CSV with a header row" } } },
    };
  }
  const formContent = form ? { "multipart/form-data": { schema: form } } : {};
  return { required: true, content: { "application/json": { schema: toSchema(body) }, ...formContent } };
}

function describeResponse(response: Operation["response"]): JsonSchema {
  if (response.schema === "csv")
    return { description: response.description, content: { "text/csv": { schema: { type: "string" } } } };
  if (response.schema === "stream") {
    return { description: response.description, content: { "text/event-stream": { schema: { type: "string" } } } };
  }
  const content = response.schema ? { "application/json": { schema: toOutputSchema(response.schema) } } : undefined;
  return { description: response.description, ...(content ? { content } : {}) };
}

const errorResponses = {
  "400": "invalid input; the message and `fields` name the failing field",
  "401": "missing, invalid or revoked token",
  "403": "the role does not allow this action",
  "404": "not found, or in a workspace the caller cannot see",
  "409": "conflict, such as a stale version",
  "429": "rate limit reached; wait for Retry-After seconds",
};

/** Build the OpenAPI 3.1 document of every v1 route from the routes' zod schemas. */
export function buildOpenApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const errorContent = { "application/json": { schema: toOutputSchema(errorSchema) } };
  for (const operation of operations) {
    const errors = Object.fromEntries(
      Object.entries(errorResponses).map(([status, description]) => [status, { description, content: errorContent }]),
    );
    paths[operation.path] ??= {};
    (paths[operation.path] as Record<string, JsonSchema>)[operation.method] = {
      summary: operation.summary,
      tags: [operation.tag],
      security: operation.sessionOnly ? [{ session: [] }] : [{ bearer: [] }, { session: [] }],
      parameters: describeParameters(operation),
      ...(operation.body ? { requestBody: describeBody(operation.body, operation.form) } : {}),
      responses: { [String(operation.response.status)]: describeResponse(operation.response), ...errors },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Rankwise API",
      version: "1",
      description:
        "Backlog, ranking and AI prioritization. Authenticate with `Authorization: Bearer <token>` (create a token in the user menu). Errors are `{ error: { code, message } }`.",
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "personal access token, rw_…" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
    },
    paths,
  };
}
