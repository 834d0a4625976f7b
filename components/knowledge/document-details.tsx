import { useFormatter, useTranslations } from "next-intl";
import type { Document } from "@/db/schema";

const kindLabels = { note: "kindNote", feedback: "kindFeedback", file: "kindFile" } as const;

/** Render the kind, language, date added and source link of a document as a description list. */
export function DocumentDetails({
  document,
}: {
  document: Pick<Document, "kind" | "language" | "createdAt" | "sourceUrl">;
}) {
  const t = useTranslations("knowledge");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const label = (key: "columnKind" | "columnLanguage" | "createdAt" | "sourceLink") =>
    tCommon("labelColon", { label: t(key) });

  return (
    <dl aria-label={t("documentDetails")} className="mb-6 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-700">
      <div className="flex gap-1">
        <dt className="text-slate-500">{label("columnKind")}</dt>
        <dd>{t(kindLabels[document.kind])}</dd>
      </div>
      <div className="flex gap-1">
        <dt className="text-slate-500">{label("columnLanguage")}</dt>
        <dd>{document.language ?? t("languageUnknown")}</dd>
      </div>
      <div className="flex gap-1">
        <dt className="text-slate-500">{label("createdAt")}</dt>
        <dd>{format.dateTime(document.createdAt, { dateStyle: "medium" })}</dd>
      </div>
      {document.sourceUrl && /^https?:\/\//i.test(document.sourceUrl) ? (
        <div className="flex gap-1">
          <dt className="text-slate-500">{label("sourceLink")}</dt>
          <dd>
            <a
              href={document.sourceUrl}
              target="_blank"
              rel="noopener noreferrer nofollow"
              className="text-indigo-700 underline"
            >
              {document.sourceUrl}
            </a>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
