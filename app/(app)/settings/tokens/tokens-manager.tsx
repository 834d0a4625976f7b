"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";

/** One token as the page shows it; dates are already formatted in the user's language. */
export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

/**
 * Create and revoke tokens through `/api/v1/tokens`, then refresh the server-rendered list.
 * A new token is shown once, because the server stores only its hash.
 */
export function TokensManager({ tokens }: { tokens: TokenRow[] }) {
  const t = useTranslations("tokens");
  const router = useRouter();
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [failed, setFailed] = useState(false);
  const [pending, setPending] = useState(false);

  async function handleCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    setPending(true);
    setFailed(false);

    const response = await fetch("/api/v1/tokens", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name }),
    });
    setPending(false);
    if (!response.ok) {
      setFailed(true);
      return;
    }
    const body = (await response.json()) as { token: { name: string; token: string } };
    setCreated({ name: body.token.name, token: body.token.token });
    form.reset();
    router.refresh();
  }

  async function handleRevoke(tokenId: string) {
    setFailed(false);
    const response = await fetch(`/api/v1/tokens/${tokenId}`, { method: "DELETE" });
    if (!response.ok) setFailed(true);
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-6">
      {failed ? <Alert tone="error">{t("failed")}</Alert> : null}
      {created ? (
        <Alert tone="success">
          <p>{t("created", { name: created.name })}</p>
          <code className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-sm" data-testid="new-token">
            {created.token}
          </code>
        </Alert>
      ) : null}

      <form onSubmit={handleCreate} className="flex flex-wrap items-end gap-3">
        <TextField label={t("name")} name="name" required maxLength={100} hint={t("nameHint")} className="w-72" />
        <Button type="submit" disabled={pending}>
          {t("create")}
        </Button>
      </form>

      {tokens.length === 0 ? (
        <p className="text-sm text-slate-600">{t("empty")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t("caption")}</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">
                  {t("name")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("prefix")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("createdAt")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("lastUsedAt")}
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td className="px-4 py-2 font-medium">{token.name}</td>
                  <td className="px-4 py-2 font-mono">{token.prefix}…</td>
                  <td className="px-4 py-2">{token.createdAt}</td>
                  <td className="px-4 py-2">{token.lastUsedAt ?? t("never")}</td>
                  <td className="px-4 py-2 text-right">
                    {token.revoked ? (
                      <span className="text-slate-500">{t("revoked")}</span>
                    ) : (
                      <Button
                        variant="secondary"
                        onClick={() => handleRevoke(token.id)}
                        aria-label={t("revokeNamed", { name: token.name })}
                      >
                        {t("revoke")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
