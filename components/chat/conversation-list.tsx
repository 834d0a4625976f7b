"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { chatUrl } from "@/lib/chat/urls";
import { readResponseError } from "./errors";

export interface ConversationItem {
  id: string;
  title: string;
}

/**
 * Classes of the icon-only Rename and Delete buttons. Icons leave most of the sidebar's width to
 * the conversation title, and each button gets its accessible name from `aria-label`.
 */
const iconButtonClasses =
  "shrink-0 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 " +
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

function PencilIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.5" className="size-4" aria-hidden="true">
      <path d="M13.5 3.5l3 3L7 16H4v-3l9.5-9.5z" strokeLinejoin="round" />
    </svg>
  );
}

function TrashIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.5" className="size-4" aria-hidden="true">
      <path d="M3.5 5.5h13M8 5.5V3.5h4v2M5.5 5.5l.75 11h7.5l.75-11M8.5 8.5v5M11.5 8.5v5" strokeLinejoin="round" />
    </svg>
  );
}

/** The user's conversations in the workspace, with rename and delete. */
export function ConversationList({
  workspaceId,
  conversations,
  activeId,
  onRenamed,
  onDeleted,
}: {
  workspaceId: string;
  conversations: ConversationItem[];
  activeId: string | null;
  onRenamed: (id: string, title: string) => void;
  onDeleted: (id: string) => void;
}) {
  const t = useTranslations("chat");
  const localizeError = useLocalizeServerError();
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  const url = (id: string) => `/api/chat/conversations/${id}?workspaceId=${workspaceId}`;

  const rename = async (event: FormEvent<HTMLFormElement>, id: string) => {
    event.preventDefault();
    setFailure(null);
    const response = await fetch(url(id), {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: draft }),
    });
    if (!response.ok) return setFailure(localizeError(await readResponseError(response)));
    onRenamed(id, draft.trim());
    setEditing(null);
  };

  const remove = async (item: ConversationItem) => {
    if (!window.confirm(t("deleteConfirm", { title: item.title }))) return;
    setFailure(null);
    const response = await fetch(url(item.id), { method: "DELETE" });
    if (!response.ok) return setFailure(localizeError(await readResponseError(response)));
    onDeleted(item.id);
  };

  return (
    <nav aria-label={t("conversations")} className="flex flex-col gap-3">
      <Link href={chatUrl(workspaceId)} className={buttonClasses("secondary")}>
        {t("newConversation")}
      </Link>
      {failure ? <Alert tone="error">{t("actionFailed", { message: failure })}</Alert> : null}
      {conversations.length === 0 ? <p className="text-sm text-slate-500">{t("noConversations")}</p> : null}
      <ul className="flex flex-col gap-1">
        {conversations.map((item) => (
          <li key={item.id} className="rounded-md text-sm" data-conversation={item.id}>
            {editing === item.id ? (
              <form onSubmit={(event) => void rename(event, item.id)} className="flex flex-col gap-1">
                <label className="sr-only" htmlFor={`rename-${item.id}`}>
                  {t("renameLabel")}
                </label>
                <input
                  id={`rename-${item.id}`}
                  value={draft}
                  maxLength={120}
                  onChange={(event) => setDraft(event.target.value)}
                  className="rounded-md border border-slate-300 px-2 py-1 text-sm"
                />
                <div className="flex gap-1">
                  <Button type="submit" disabled={!draft.trim()}>
                    {t("save")}
                  </Button>
                  <Button variant="ghost" onClick={() => setEditing(null)}>
                    {t("cancel")}
                  </Button>
                </div>
              </form>
            ) : (
              <div className="flex items-start gap-0.5">
                <Link
                  href={chatUrl(workspaceId, item.id)}
                  aria-current={item.id === activeId ? "page" : undefined}
                  className="min-w-0 flex-1 break-words rounded-md px-2 py-1 text-slate-800 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:font-medium"
                >
                  {item.title}
                </Link>
                <button
                  type="button"
                  className={iconButtonClasses}
                  aria-label={`${t("rename")}: ${item.title}`}
                  title={t("rename")}
                  onClick={() => {
                    setDraft(item.title);
                    setEditing(item.id);
                  }}
                >
                  <PencilIcon />
                </button>
                <button
                  type="button"
                  className={iconButtonClasses}
                  aria-label={`${t("delete")}: ${item.title}`}
                  title={t("delete")}
                  onClick={() => void remove(item)}
                >
                  <TrashIcon />
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
