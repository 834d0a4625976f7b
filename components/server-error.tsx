"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { localizeServerError, type ServerError } from "@/lib/i18n/server-errors";

/**
 * Return a function that turns a server error into a sentence in the UI language. `labelField`
 * names a failing field by the form's label. Pass a stable function, because the returned
 * function changes with it and with the locale.
 */
export function useLocalizeServerError(
  labelField?: (path: string) => string | undefined,
): (error: ServerError) => string {
  const t = useTranslations("serverErrors");
  return useCallback((error: ServerError) => localizeServerError(error, t, { labelField }), [t, labelField]);
}

/**
 * Render a server error in the UI language. With `withServerMessage`, the server's English message
 * follows when the catalog text replaced it. Admin pages use this because that message names facts
 * the catalog text leaves out, such as the model, the setting to fix or the HTTP status.
 */
export function ServerErrorText({
  error,
  withServerMessage = false,
  className,
}: {
  error: ServerError;
  withServerMessage?: boolean;
  className?: string;
}) {
  const t = useTranslations("serverErrors");
  const message = localizeServerError(error, t);
  const showServerMessage = withServerMessage && message !== error.message;

  return (
    <div className={className}>
      <p>{message}</p>
      {showServerMessage ? (
        <p className="text-xs text-slate-600">{t("serverMessage", { message: error.message })}</p>
      ) : null}
    </div>
  );
}
