"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState, useTransition } from "react";
import { createItemAction, updateItemAction } from "@/app/(app)/w/[workspaceId]/backlog/actions";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { type ItemStatus, itemStatuses } from "@/db/schema";
import { ITEM_LIMITS } from "@/lib/backlog/schemas";

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
  const localizeError = useLocalizeServerError();
  const [values, setValues] = useState<ItemFormValues>(item?.values ?? emptyValues);
  const [linksText, setLinksText] = useState((item?.values.links ?? []).join("\n"));
  const [error, setError] = useState<string | null>(null);
  const [titleError, setTitleError] = useState<string | undefined>();
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
    // Name every field, because the server rejects unknown keys and `values` can be a whole item row.
    const fields: ItemFormValues = {
      title,
      description: values.description,
      status: values.status,
      theme: values.theme?.trim() || null,
      externalId: values.externalId?.trim() || null,
      links: linksText
        .split(/\s+/)
        .map((link) => link.trim())
        .filter(Boolean),
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
          className={inputClasses}
        />
        <span className="text-xs font-normal text-slate-600">{t("linksHint")}</span>
      </label>
      <div>
        <Button type="submit" disabled={pending}>
          {item ? t("save") : t("create")}
        </Button>
      </div>
    </form>
  );
}
