"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { type ReactNode, useMemo, useState } from "react";
import Markdown from "react-markdown";
import {
  type ChatAnswerErrorKind,
  type ChatSource,
  type ChatUIMessage,
  chatAnswerErrorKinds,
  messageSources,
} from "@/lib/chat/types";
import { citationNumber, linkCitations, sanitizeAnswerUrl } from "./markdown";

/** Link to a chunk on its document's page, scrolled to and highlighted there. */
export function chunkHref(workspaceId: string, source: Pick<ChatSource, "documentId" | "chunkId">): string {
  return `/w/${workspaceId}/knowledge/${source.documentId}?chunk=${source.chunkId}#chunk-${source.chunkId}`;
}

function coverageOf(message: ChatUIMessage): "found" | "none" | "unavailable" | undefined {
  for (const part of message.parts) {
    if (part.type === "data-coverage") return part.data.status;
  }
  return undefined;
}

/** Return why the answer failed, if it did. A kind that this version does not know counts as `failed`. */
function errorOf(message: ChatUIMessage): ChatAnswerErrorKind | undefined {
  const kind = message.metadata?.error;
  if (!kind) return undefined;
  return chatAnswerErrorKinds.includes(kind) ? kind : "failed";
}

/**
 * An assistant answer: a coverage note when retrieval found nothing, the text as safe markdown
 * (raw HTML dropped, links only http(s)), citations as buttons that open the cited source, and
 * the numbered sources, each linking to its chunk in the document. A failed answer gets a note
 * that explains why its text is missing or cut short.
 */
export function Answer({ message, workspaceId }: { message: ChatUIMessage; workspaceId: string }) {
  const t = useTranslations("chat");
  const sources = messageSources(message);
  const coverage = coverageOf(message);
  const error = errorOf(message);
  const [openSource, setOpenSource] = useState<number | undefined>();
  const text = message.parts.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
  const known = useMemo(() => new Set(sources.map((source) => source.n)), [sources]);

  const showSource = (n: number) => {
    setOpenSource(n);
    requestAnimationFrame(() =>
      document.getElementById(`${message.id}-source-${n}`)?.scrollIntoView({ block: "nearest" }),
    );
  };

  return (
    <div className="flex flex-col gap-3">
      {coverage === "none" || coverage === "unavailable" ? (
        <p
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-coverage={coverage}
        >
          {coverage === "none" ? t("noCoverage") : t("retrievalUnavailable")}
        </p>
      ) : null}
      <div className="answer-text flex flex-col gap-2 text-sm leading-6 text-slate-900" data-answer-text="">
        <Markdown
          skipHtml
          urlTransform={(url) => sanitizeAnswerUrl(url)}
          components={{
            a: ({ href, children }) => (
              <AnswerLink
                href={href}
                label={children}
                onCite={showSource}
                citationLabel={(n) => t("citation", { n })}
              />
            ),
            img: () => null,
          }}
        >
          {linkCitations(text, known)}
        </Markdown>
      </div>
      {message.metadata?.aborted ? <p className="text-xs text-slate-500">{t("stopped")}</p> : null}
      {message.metadata?.truncated && !error ? (
        <p className="text-xs text-slate-500" data-answer-truncated>
          {t("truncated")}
        </p>
      ) : null}
      {error ? (
        <p
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          data-answer-error={error}
        >
          {t(`answerError.${error}`)}
        </p>
      ) : null}
      {sources.length > 0 ? (
        <SourceList
          sources={sources}
          messageId={message.id}
          workspaceId={workspaceId}
          openSource={openSource}
          onToggle={setOpenSource}
        />
      ) : null}
    </div>
  );
}

function AnswerLink({
  href,
  label,
  onCite,
  citationLabel,
}: {
  href: string | undefined;
  label: ReactNode;
  onCite: (n: number) => void;
  citationLabel: (n: number) => string;
}) {
  const n = citationNumber(href);
  if (n !== undefined) {
    return (
      <button
        type="button"
        onClick={() => onCite(n)}
        aria-label={citationLabel(n)}
        className="mx-0.5 rounded bg-indigo-50 px-1 align-baseline text-xs font-semibold text-indigo-700 hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
        data-citation={n}
      >
        [{n}]
      </button>
    );
  }
  if (!href) return <span>{label}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-indigo-700 underline">
      {label}
    </a>
  );
}

function SourceList({
  sources,
  messageId,
  workspaceId,
  openSource,
  onToggle,
}: {
  sources: ChatSource[];
  messageId: string;
  workspaceId: string;
  openSource: number | undefined;
  onToggle: (n: number | undefined) => void;
}) {
  const t = useTranslations("chat");
  return (
    <section aria-label={t("sources")} className="rounded-md border border-slate-200 bg-slate-50 p-3">
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">{t("sources")}</h3>
      <ol className="flex flex-col gap-2">
        {sources.map((source) => {
          const open = openSource === source.n;
          return (
            <li
              key={source.n}
              id={`${messageId}-source-${source.n}`}
              className="text-sm"
              data-source={source.n}
              data-open={open || undefined}
            >
              <div className="flex flex-wrap items-baseline gap-2">
                <button
                  type="button"
                  aria-expanded={open}
                  onClick={() => onToggle(open ? undefined : source.n)}
                  className="font-semibold text-indigo-700 hover:underline"
                >
                  [{source.n}]
                </button>
                {source.deleted ? (
                  <span className="text-slate-600" data-source-deleted>
                    {source.externalId ? `${source.externalId} · ` : ""}
                    {source.title}
                  </span>
                ) : (
                  <Link
                    href={chunkHref(workspaceId, source)}
                    className="text-slate-900 underline decoration-slate-300 hover:decoration-slate-900"
                  >
                    {source.externalId ? `${source.externalId} · ` : ""}
                    {source.title}
                  </Link>
                )}
              </div>
              {open && source.deleted ? (
                <p className="mt-1 border-l-2 border-slate-300 bg-white px-3 py-2 text-slate-600">
                  {t("sourceDeleted")}
                </p>
              ) : null}
              {open && !source.deleted ? (
                <blockquote
                  className="mt-1 border-l-2 border-indigo-300 bg-white px-3 py-2 whitespace-pre-wrap text-slate-800"
                  data-cited-chunk={source.chunkId}
                >
                  {source.text}
                  <span className="mt-2 block">
                    <Link href={chunkHref(workspaceId, source)} className="text-xs text-indigo-700 underline">
                      {t("openSource")}
                    </Link>
                  </span>
                </blockquote>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
