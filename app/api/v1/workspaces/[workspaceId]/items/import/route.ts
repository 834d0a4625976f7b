import { z } from "zod";
import { getDb } from "@/db";
import { importQuerySchema } from "@/lib/api/backlog-schemas";
import { parseIdParam, readBodyBytes } from "@/lib/api/params";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { MAX_CSV_BYTES, parseCsv } from "@/lib/backlog/csv";
import { assertMappedHeadersUnique, importFields } from "@/lib/backlog/csv-mapping";
import { resolveMappingByHeader } from "@/lib/backlog/csv-preview";
import { importBacklogCsv } from "@/lib/backlog/import";
import { badRequest } from "@/lib/errors";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const mappingSchema = z.partialRecord(z.enum(importFields), z.string().min(1));

/** Import items from a CSV request body, all rows or none (unless skipInvalid). */
export const POST = apiRoute<{ workspaceId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  const workspace = await requireWorkspace(actor, parseIdParam(params.workspaceId, "workspace"));
  const query = parseSearchParams(request, importQuerySchema);
  const bytes = await readBodyBytes(request, MAX_CSV_BYTES);

  const mapping = query.mapping ? resolveMapping(bytes, query.mapping) : undefined;
  const result = await importBacklogCsv(await getDb(), {
    workspaceId: workspace.id,
    actorId: actor.userId,
    csv: bytes,
    mapping,
    skipInvalid: query.skipInvalid,
    onExisting: query.onExisting,
    dryRun: query.dryRun,
  });
  return Response.json({ result }, { status: query.dryRun ? 200 : 201 });
});

function resolveMapping(bytes: Uint8Array, raw: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest('mapping is not valid JSON; send an object such as {"title":"Name"}.', {
      field: "mapping",
      reason: "csv_mapping_invalid_json",
    });
  }
  const byHeader = mappingSchema.safeParse(parsed);
  if (!byHeader.success) {
    const fields = importFields.join(", ");
    throw badRequest(`mapping must map field names (${fields}) to header names.`, {
      field: "mapping",
      reason: "csv_mapping_invalid",
      params: { fields },
    });
  }
  const { headers } = parseCsv(bytes);
  const { mapping, unknown } = resolveMappingByHeader(headers, byHeader.data as Record<string, string>);
  if (unknown.length > 0) {
    const requested = byHeader.data as Record<string, string>;
    const fields = unknown.map((field) => `${field} → "${requested[field]}"`).join(", ");
    const known = headers.map((header) => `"${header}"`).join(", ");
    throw badRequest(`mapping names headers that are not in the file: ${fields}. The file's headers are ${known}.`, {
      field: "mapping",
      reason: "csv_mapping_unknown_headers",
      params: { fields, headers: known },
    });
  }
  // A header name picks the first column with that name, so a repeated name is ambiguous.
  assertMappedHeadersUnique(headers, mapping, (header) => header);
  return mapping;
}

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
