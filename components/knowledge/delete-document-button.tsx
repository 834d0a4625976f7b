"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { readResponseError } from "@/components/chat/errors";
import { useLocalizeServerError } from "@/components/server-error";
import { Button } from "@/components/ui/button";

/** Delete a document after a confirmation; the list refreshes, or the error shows beside the button. */
export function DeleteDocumentButton({
  workspaceId,
  documentId,
  title,
}: {
  workspaceId: string;
  documentId: string;
  title: string;
}) {
  const t = useTranslations("knowledge");
  const localizeError = useLocalizeServerError();
  const router = useRouter();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    if (!window.confirm(t("deleteConfirm", { title }))) return;
    setBusy(true);
    setFailure(null);
    const response = await fetch(`/api/v1/workspaces/${workspaceId}/documents/${documentId}`, { method: "DELETE" });
    setBusy(false);
    if (!response.ok)
      return setFailure(t("deleteFailed", { message: localizeError(await readResponseError(response)) }));
    router.refresh();
  };

  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="ghost"
        className="px-2 py-1 text-xs text-red-700"
        disabled={busy}
        aria-label={t("deleteLabel", { title })}
        onClick={() => void remove()}
      >
        {t("delete")}
      </Button>
      {failure ? (
        <span role="alert" className="text-xs text-red-700">
          {failure}
        </span>
      ) : null}
    </span>
  );
}
