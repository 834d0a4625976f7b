"use client";

import { useTranslations } from "next-intl";
import type { PromptPreview } from "@/lib/prompt-admin/preview";

/**
 * Render the exact messages a language would send with the current variables. Each placeholder
 * that stays unresolved is marked in red and each inserted value tinted; model, parameters and
 * a token estimate come with them.
 */
export function PreviewPanel({ preview, languageName }: { preview: PromptPreview; languageName: string }) {
  const t = useTranslations("promptAdmin.preview");
  const tRoles = useTranslations("promptAdmin.preview.roles");
  const tParameters = useTranslations("promptAdmin.parameters.names");

  return (
    <section
      aria-label={t("title", { language: languageName })}
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h3 className="text-base font-semibold text-slate-900">{t("title", { language: languageName })}</h3>
      {preview.unresolved.length > 0 ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
          {t("unresolved", {
            count: preview.unresolved.length,
            placeholders: preview.unresolved.map((entry) => entry.source).join(", "),
          })}
        </p>
      ) : (
        <p
          role="status"
          className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
        >
          {t("resolved")}
        </p>
      )}
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs uppercase text-slate-500">{t("model")}</dt>
          <dd>
            {preview.model.name} ({tRoles(preview.model.role)}){preview.model.simulated ? ` · ${t("simulated")}` : ""}
          </dd>
        </div>
        <div>
          <dt className="text-xs uppercase text-slate-500">{t("tokens")}</dt>
          <dd>{t("tokenEstimate", { input: preview.inputTokens, output: preview.parameters.maxOutputTokens ?? 0 })}</dd>
        </div>
        <div>
          <dt className="text-xs uppercase text-slate-500">{t("schema")}</dt>
          <dd>{preview.outputSchema ?? t("freeText")}</dd>
        </div>
        <div>
          <dt className="text-xs uppercase text-slate-500">{t("parameters")}</dt>
          <dd className="text-xs">
            {(["temperature", "topP", "frequencyPenalty", "presencePenalty"] as const)
              .map((name) => `${tParameters(name)} ${preview.parameters[name]}`)
              .join(" · ")}
          </dd>
        </div>
      </dl>
      {preview.messages.map((message) => (
        <figure key={message.role} className="flex flex-col gap-1">
          <figcaption className="text-xs font-semibold uppercase tracking-wide text-slate-500">
            {t(`message.${message.role}`)}
          </figcaption>
          <pre
            data-testid={`preview-${message.role}`}
            className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 text-xs text-slate-900"
          >
            {message.segments.map((segment, index) =>
              segment.unresolved ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional.
                <mark key={index} className="rounded bg-red-200 text-red-900" title={t(`reason.${segment.unresolved}`)}>
                  {segment.text}
                </mark>
              ) : segment.variable ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional.
                <span key={index} className="bg-indigo-50" title={`$${segment.variable}`}>
                  {segment.text}
                </span>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional.
                <span key={index}>{segment.text}</span>
              ),
            )}
          </pre>
        </figure>
      ))}
    </section>
  );
}
