"use client";

import { useTranslations } from "next-intl";
import { type ReactNode, useId, useMemo, useRef } from "react";
import { type TemplateToken, tokenizeTemplate } from "@/lib/prompt-admin/placeholders";

const chipHints = { declared: "chipDeclared", undeclared: "chipUndeclared", invalid: "chipInvalid" } as const;

const chipClasses: Record<Exclude<TemplateToken["kind"], "text">, string> = {
  declared: "rounded bg-indigo-100 ring-1 ring-indigo-300",
  undeclared: "rounded bg-red-100 ring-1 ring-red-400",
  invalid: "rounded bg-red-200 ring-1 ring-red-500",
};

/**
 * Render a template textarea whose placeholders show as chips: a layer behind the transparent textarea
 * renders the same text with each placeholder highlighted (declared in indigo, unknown or invalid
 * in red). Both use the same font and wrapping, and scroll together.
 */
export function TemplateEditor({
  label,
  value,
  onChange,
  declared,
  rows = 10,
  readOnly = false,
  describedBy,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  declared: ReadonlySet<string>;
  rows?: number;
  readOnly?: boolean;
  describedBy?: string;
}) {
  const t = useTranslations("promptAdmin.editor");
  const id = useId();
  const backdrop = useRef<HTMLDivElement>(null);
  const tokens = useMemo(() => tokenizeTemplate(value, declared), [value, declared]);
  const used = useMemo(() => {
    const names = new Map<string, Exclude<TemplateToken["kind"], "text">>();
    for (const token of tokens) if (token.kind !== "text") names.set(token.text, token.kind);
    return [...names.entries()];
  }, [tokens]);

  const shared = "m-0 w-full whitespace-pre-wrap break-words p-3 font-mono text-sm leading-6";
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="relative rounded-md border border-slate-300 bg-white focus-within:border-indigo-600">
        <div
          ref={backdrop}
          aria-hidden="true"
          className={`${shared} pointer-events-none absolute inset-0 overflow-hidden text-transparent`}
        >
          {tokens.map((token, index) =>
            token.kind === "text" ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: tokens are positional and re-rendered together.
              <span key={index}>{token.text}</span>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: tokens are positional and re-rendered together.
              <mark key={index} className={`${chipClasses[token.kind]} text-transparent`}>
                {token.text}
              </mark>
            ),
          )}
          {"\n"}
        </div>
        <textarea
          id={id}
          value={value}
          rows={rows}
          readOnly={readOnly}
          spellCheck={false}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
          onScroll={(event) => {
            if (backdrop.current) backdrop.current.scrollTop = event.currentTarget.scrollTop;
          }}
          className={`${shared} relative resize-y bg-transparent text-slate-900 caret-slate-900 outline-none`}
        />
      </div>
      <PlaceholderChips label={t("placeholdersUsed")} used={used} empty={t("noPlaceholders")} />
    </div>
  );
}

function PlaceholderChips({
  label,
  used,
  empty,
}: {
  label: string;
  used: Array<[string, Exclude<TemplateToken["kind"], "text">]>;
  empty: string;
}): ReactNode {
  const t = useTranslations("promptAdmin.editor");
  return (
    <p className="flex flex-wrap items-center gap-1 text-xs text-slate-600">
      <span>{label}</span>
      {used.length === 0 ? <span>{empty}</span> : null}
      {used.map(([source, kind]) => (
        <span
          key={source}
          className={`rounded-full px-2 py-0.5 font-mono ${kind === "declared" ? "bg-indigo-50 text-indigo-800" : "bg-red-50 text-red-800"}`}
          title={t(chipHints[kind])}
        >
          {source}
        </span>
      ))}
    </p>
  );
}
