import { z } from "zod";
import { itemFiltersSchema } from "@/lib/backlog/schemas";
import { type Framework, frameworks } from "@/lib/prioritization/scales";

/**
 * The backlog page's URL state: framework, search, filters and the page of each table. Filters
 * live in the URL so the server renders the filtered page and a link shares it.
 */
export const backlogQuerySchema = itemFiltersSchema.omit({ deleted: true }).extend({
  framework: z.enum(frameworks).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
  needsPage: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type BacklogQuery = z.infer<typeof backlogQuerySchema>;

/** Parse search params leniently: an invalid filter value is ignored instead of failing the page. */
export function parseBacklogQuery(raw: Record<string, string | string[] | undefined>): BacklogQuery {
  const parsed = backlogQuerySchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const cleaned: Record<string, unknown> = { ...raw };
  for (const issue of parsed.error.issues) delete cleaned[String(issue.path[0])];
  return backlogQuerySchema.parse(cleaned);
}

/** Build `?…` for a query, leaving out defaults; `changes` replaces fields and resets both pages. */
export function buildBacklogSearch(query: Partial<BacklogQuery>, changes: Partial<BacklogQuery> = {}): string {
  const next = { ...query, page: undefined, needsPage: undefined, ...changes };
  const params = new URLSearchParams();
  if (next.framework) params.set("framework", next.framework);
  if (next.search) params.set("search", next.search);
  for (const key of ["theme", "status", "source", "missing"] as const) {
    for (const value of next[key] ?? []) params.append(key, value);
  }
  if (next.page && next.page > 1) params.set("page", String(next.page));
  if (next.needsPage && next.needsPage > 1) params.set("needsPage", String(next.needsPage));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function isFramework(value: unknown): value is Framework {
  return typeof value === "string" && (frameworks as readonly string[]).includes(value);
}
