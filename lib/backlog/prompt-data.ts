import type { Db } from "@/db/client";
import { listBacklogItems } from "@/db/queries/backlog";
import { listDocuments, listEvidenceIdsByItem } from "@/db/queries/documents";
import type { Framework } from "@/db/schema";
import { type InputName, inputsOfFramework } from "@/lib/prioritization/scales";
import { formatItemRef, loadBacklogRows } from "./view";

/** A backlog item as prompts show it inside `<backlog_items>`; keys are what the model reads. */
export interface PromptItem {
  /** Short id: the external id such as `A01`, else `#12`. */
  id: string;
  title: string;
  description: string;
  theme: string | null;
  /** Current effective values of the framework's inputs. */
  inputs: Partial<Record<InputName, number>>;
  /** Inputs of the framework without a value, for the model to propose. */
  missing: InputName[];
  /** External ids of the documents linked to the item. */
  evidence_ids: string[];
}

export interface PromptEvidence {
  id: string;
  text: string;
}

/**
 * Build the prompt view of live items (all of them, or `itemIds`) for one framework, with the
 * map from each short id back to the item's uuid, for reading the model's `item_id`s.
 */
export async function listPromptItems(
  db: Db,
  params: { workspaceId: string; framework: Framework; itemIds?: string[] },
): Promise<{ items: PromptItem[]; itemIdsByRef: Map<string, string> }> {
  const rows = await loadBacklogRows(db, { workspaceId: params.workspaceId, itemIds: params.itemIds });
  const evidence = await listEvidenceIdsByItem(db, {
    workspaceId: params.workspaceId,
    itemIds: rows.map((row) => row.id),
  });
  const names = inputsOfFramework(params.framework);

  const itemIdsByRef = new Map<string, string>();
  const items = rows.map((row): PromptItem => {
    const ref = formatItemRef(row);
    itemIdsByRef.set(ref, row.id);
    const inputs: PromptItem["inputs"] = {};
    for (const name of names) if (row.values[name] !== undefined) inputs[name] = row.values[name];
    return {
      id: ref,
      title: row.title,
      description: row.description,
      theme: row.theme,
      inputs,
      missing: names.filter((name) => row.values[name] === undefined),
      evidence_ids: evidence.get(row.id) ?? [],
    };
  });
  return { items, itemIdsByRef };
}

/** Documents linked to the items, as `<evidence>` objects: external id (or uuid) and text. */
export async function listPromptEvidence(
  db: Db,
  params: { workspaceId: string; itemIds: string[] },
): Promise<PromptEvidence[]> {
  const documents = await listDocuments(db, { workspaceId: params.workspaceId, itemIds: params.itemIds });
  return documents.map((row) => ({ id: row.externalId ?? row.id, text: row.content }));
}

/** Map short ids (`A01`, `#12`) to item uuids; refs that match no live item are left out. */
export async function resolveItemRefs(
  db: Db,
  params: { workspaceId: string; refs: string[] },
): Promise<Map<string, string>> {
  const numbers = params.refs.flatMap((ref) => (/^#\d+$/.test(ref) ? [Number(ref.slice(1))] : []));
  const externalIds = params.refs.filter((ref) => !/^#\d+$/.test(ref));
  const byExternal = externalIds.length
    ? await listBacklogItems(db, { workspaceId: params.workspaceId, externalIds })
    : [];
  const resolved = new Map(byExternal.map((item) => [item.externalId ?? "", item.id]));
  if (numbers.length > 0) {
    const all = await listBacklogItems(db, { workspaceId: params.workspaceId });
    for (const item of all) if (numbers.includes(item.number)) resolved.set(`#${item.number}`, item.id);
  }
  return resolved;
}
