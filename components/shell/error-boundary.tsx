"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

/**
 * Render the body of a route error boundary (`error.tsx`): what happened, a retry, and the
 * digest that matches the server log line, so an admin can find the cause. Like `ErrorPage`, it
 * is no `main` element: the signed-in layout or the root `error.tsx` provides that.
 */
export function ErrorBoundaryPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("errors");

  return (
    <div className="mx-auto flex max-w-xl flex-col items-start gap-4 px-6 py-16">
      <h1 className="text-2xl font-semibold">{t("unexpectedTitle")}</h1>
      <p className="text-slate-600">{t("unexpectedBody")}</p>
      {error.digest ? (
        <p className="font-mono text-xs text-slate-500">{t("reference", { digest: error.digest })}</p>
      ) : null}
      <Button onClick={reset}>{t("retry")}</Button>
    </div>
  );
}
