import { getDb } from "@/db";
import { exportQuerySchema } from "@/lib/api/backlog-schemas";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { exportBacklogCsv } from "@/lib/backlog/export";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Download the ranked backlog as CSV with every input, its source and the scores. The file starts
 * with a UTF-8 byte order mark, which spreadsheets need to read accents right and the importer skips.
 */
export const GET = apiRoute<{ workspaceId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const workspace = await requireWorkspace(actor, params.workspaceId);
  const query = parseSearchParams(request, exportQuerySchema);

  const csv = await exportBacklogCsv(await getDb(), { workspaceId: workspace.id, ...query });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="backlog-${date}.csv"`,
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
