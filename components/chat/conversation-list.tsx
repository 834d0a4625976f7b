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
              <div className="flex items-center gap-1">
                <Link
                  href={chatUrl(workspaceId, item.id)}
                  aria-current={item.id === activeId ? "page" : undefined}
                  className="min-w-0 flex-1 truncate rounded-md px-2 py-1 text-slate-800 hover:bg-slate-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:font-medium"
                >
                  {item.title}
                </Link>
                <Button
                  variant="ghost"
                  className="px-2 py-1 text-xs"
                  aria-label={`${t("rename")}: ${item.title}`}
                  onClick={() => {
                    setDraft(item.title);
                    setEditing(item.id);
                  }}
                >
                  {t("rename")}
                </Button>
                <Button
                  variant="ghost"
                  className="px-2 py-1 text-xs"
                  aria-label={`${t("delete")}: ${item.title}`}
                  onClick={() => void remove(item)}
                >
                  {t("delete")}
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
