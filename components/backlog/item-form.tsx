"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useCallback, useId, useRef, useState, useTransition } from "react";
import { createItemAction, updateItemAction } from "@/app/(app)/w/[workspaceId]/backlog/actions";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { type ItemStatus, itemStatuses } from "@/db/schema";
import { ITEM_LIMITS } from "@/lib/backlog/schemas";
import { describeLinkProblems, parseLinksText, readLinkIndex } from "./item-links";

export interface ItemFormValues {
  title: string;
  description: string;
  theme: string | null;
  status: ItemStatus;
  links: string[];
  externalId: string | null;
}

const emptyValues: ItemFormValues = {
  title: "",
  description: "",
  theme: null,
  status: "idea",
  links: [],
  externalId: null,
};

/** Fields whose label key in `backlog.form` is the field's own name. */
const fieldLabelKeys: ReadonlySet<string> = new Set(["title", "externalId", "description", "theme", "status", "links"]);

const inputClasses =
  "rounded-md border border-slate-300 px-3 py-2 text-sm text-slate-900 shadow-sm focus-visible:border-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600";

/**
 * Create an item, or edit one at `version` (a newer version on the server is reported as a
 * conflict to reload). The title is checked here as well as on the server.
 */
export function ItemForm({
  workspaceId,
  themes,
  item,
  onDone,
}: {
  workspaceId: string;
  themes: string[];
  item?: { id: string; version: number; values: ItemFormValues };
  onDone: (itemId: string) => void;
}) {
  const t = useTranslations("backlog.form");
  const tStatuses = useTranslations("backlog.statuses");
  // Line numbers of the links last sent, so a server error on `links[2]` names the line it came from.
  const sentLinkLines = useRef<number[]>([]);
  const labelField = useCallback(
    (path: string) => {
      const index = readLinkIndex(path);
      if (index !== undefined) return t("linkField", { line: sentLinkLines.current[index] ?? index + 1 });
      return fieldLabelKeys.has(path) ? t(path) : undefined;
    },
    [t],
  );
  const localizeError = useLocalizeServerError(labelField);
  const [values, setValues] = useState<ItemFormValues>(item?.values ?? emptyValues);
  const [linksText, setLinksText] = useState((item?.values.links ?? []).join("\n"));
  const [error, setError] = useState<string | null>(null);
  const [titleError, setTitleError] = useState<string | undefined>();
  const [linkErrors, setLinkErrors] = useState<string[]>([]);
  const [pending, startTransition] = useTransition();
  const listId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const title = values.title.trim();
    if (!title) {
      setTitleError(t("titleRequired"));
      return;
    }
    setTitleError(undefined);
    const parsedLinks = parseLinksText(linksText);
    const linkProblems = describeLinkProblems(parsedLinks, t);
    setLinkErrors(linkProblems);
    if (linkProblems.length > 0) return;
    sentLinkLines.current = parsedLinks.lines;
    // Name every field, because the server rejects unknown keys and `values` can be a whole item row.
    const fields: ItemFormValues = {
      title,
      description: values.description,
      status: values.status,
      theme: values.theme?.trim() || null,
      externalId: values.externalId?.trim() || null,
      links: parsedLinks.links,
    };
    startTransition(async () => {
      const result = item
        ? await updateItemAction(workspaceId, item.id, { ...fields, version: item.version })
        : await createItemAction(workspaceId, fields);
      if (!result.ok) {
        setError(
          result.error.code === "conflict" ? t("conflict") : t("failed", { message: localizeError(result.error) }),
        );
        return;
      }
      setError(null);
      if (!item) {
        setValues(emptyValues);
        setLinksText("");
      }
      onDone(item?.id ?? (result.data as { id: string }).id);
    });
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label={item ? t("editLabel") : t("createLabel")}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-[1fr_12rem]">
        <TextField
          label={t("title")}
          value={values.title}
          maxLength={ITEM_LIMITS.title}
          error={titleError}
          onChange={(event) => setValues({ ...values, title: event.target.value })}
        />
        <TextField
          label={t("externalId")}
          hint={t("externalIdHint")}
          value={values.externalId ?? ""}
          maxLength={ITEM_LIMITS.externalId}
          onChange={(event) => setValues({ ...values, externalId: event.target.value })}
        />
      </div>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
        {t("description")}
        <textarea
          value={values.description}
          rows={3}
          maxLength={ITEM_LIMITS.description}
          onChange={(event) => setValues({ ...values, description: event.target.value })}
          className={inputClasses}
        />
      </label>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label={t("theme")}
          list={listId}
          value={values.theme ?? ""}
          maxLength={ITEM_LIMITS.theme}
          onChange={(event) => setValues({ ...values, theme: event.target.value })}
        />
        <datalist id={listId}>
          {themes.map((theme) => (
            <option key={theme} value={theme} />
          ))}
        </datalist>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
          {t("status")}
          <select
            value={values.status}
            onChange={(event) => setValues({ ...values, status: event.target.value as ItemStatus })}
            className={inputClasses}
          >
            {itemStatuses.map((status) => (
              <option key={status} value={status}>
                {tStatuses(status)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-800">
        {t("links")}
        <textarea
          value={linksText}
          rows={2}
          placeholder="https://"
          onChange={(event) => setLinksText(event.target.value)}
          aria-invalid={linkErrors.length > 0 ? true : undefined}
          aria-describedby={
            linkErrors.length > 0 ? `${listId}-links-hint ${listId}-links-error` : `${listId}-links-hint`
          }
          className={`${inputClasses} aria-invalid:border-red-600`}
        />
        <span id={`${listId}-links-hint`} className="text-xs font-normal text-slate-600">
          {t("linksHint")}
        </span>
        {linkErrors.length > 0 ? (
          <ul id={`${listId}-links-error`} className="text-xs font-normal text-red-700 [overflow-wrap:anywhere]">
            {linkErrors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        ) : null}
      </label>
      <div>
        <Button type="submit" disabled={pending}>
          {item ? t("save") : t("create")}
        </Button>
      </div>
    </form>
  );
}
