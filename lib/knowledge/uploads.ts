import { z } from "zod";
import type { DocumentKind } from "@/db/schema";
import { badRequest } from "@/lib/errors";
import { findJsonValueProblem, formatZodIssues } from "@/lib/validation";

/** File extensions accepted for upload, and how each is read. */
export const uploadFormats = { md: "markdown", markdown: "markdown", txt: "text", csv: "csv", jsonl: "jsonl" } as const;
export type UploadExtension = keyof typeof uploadFormats;
export const uploadExtensions = Object.keys(uploadFormats) as UploadExtension[];

/** Lines of one JSONL upload, at most; each becomes a document. */
export const MAX_JSONL_LINES = 5000;

export const httpUrlSchema = z
  .url({ protocol: /^https?$/, message: "expected an http or https URL, such as https://example.com/notes" })
  .max(2000, "expected at most 2000 characters");

/** BCP 47 tags as people type them: `en`, `fr`, `pt-BR`. */
export const languageTagSchema = z
  .string()
  .trim()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, "expected a language tag such as en, fr or pt-BR")
  .transform((tag) => tag.toLowerCase());

/** A document about to be created, before its item reference is resolved. */
export interface DocumentDraft {
  kind: DocumentKind;
  title: string;
  content: string;
  externalId?: string;
  sourceUrl?: string | null;
  language?: string | null;
  /** A backlog item's external id (`A01`) or number (`#12`); resolved when the draft is stored. */
  itemRef?: string;
  /** A backlog item's id (UUID), the alternative to `itemRef`, checked when the draft is stored. */
  itemId?: string;
  metadata: Record<string, unknown>;
}

export interface UploadDefaults {
  title?: string;
  language?: string | null;
  sourceUrl?: string | null;
}

/**
 * One feedback line. Keys beyond these are kept in the document's metadata as `fields`, so that
 * data exported from another tool is not lost.
 */
const feedbackLineSchema = z.looseObject({
  id: z.string().trim().min(1).max(100).optional(),
  text: z.string().trim().min(1, "expected non-empty text").max(20_000),
  title: z.string().trim().min(1).max(200).optional(),
  source_url: httpUrlSchema.optional(),
  url: httpUrlSchema.optional(),
  item_id: z.string().trim().min(1).max(100).optional(),
  request_id: z.string().trim().min(1).max(100).optional(),
  language: languageTagSchema.optional(),
});

/** The extension of a file name, lower-cased, when it is one of the accepted formats. */
export function readUploadExtension(fileName: string): UploadExtension | undefined {
  const extension = fileName.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  return extension && extension in uploadFormats ? (extension as UploadExtension) : undefined;
}

/** Read the upload's format from its file name; another type is a 400 that lists the accepted ones. */
export function readUploadTypeOrThrow(fileName: string): UploadExtension {
  const extension = readUploadExtension(fileName);
  if (extension) return extension;
  const extensions = uploadExtensions.map((name) => `.${name}`).join(", ");
  throw badRequest(`${fileName} has an unsupported type. Upload a file of one of these types: ${extensions}.`, {
    field: "file",
    reason: "upload_unsupported_type",
    params: { fileName, extensions },
  });
}

/**
 * Decode an upload as UTF-8 (a byte order mark is dropped); other encodings are a 400, and so is
 * a NUL byte, which no text format uses and Postgres cannot store in a text column.
 */
export function decodeUploadText(bytes: Uint8Array, fileName: string): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw badRequest(`${fileName} is not UTF-8 text. Save it as UTF-8 and upload it again.`, {
      field: "file",
      reason: "upload_not_utf8",
      params: { fileName },
    });
  }
  if (text.includes("\u0000")) {
    throw badRequest(`${fileName} contains binary data (NUL bytes), not text. Upload a text file saved as UTF-8.`, {
      field: "file",
      reason: "upload_binary",
      params: { fileName },
    });
  }
  return text;
}

/**
 * Turn an uploaded file into document drafts: one document for `.md`, `.txt` and `.csv`, and one
 * feedback document per line for `.jsonl`. Any invalid line, or a line that repeats the id of an
 * earlier line, rejects the whole file with its line number, so an upload is stored completely or
 * not at all.
 */
export function parseUpload(params: { fileName: string; text: string; defaults: UploadDefaults }): DocumentDraft[] {
  const extension = readUploadTypeOrThrow(params.fileName);
  const format = uploadFormats[extension];
  if (format === "jsonl") return parseFeedbackLines(params.text, params.fileName, params.defaults);

  if (!params.text.trim()) {
    throw badRequest(`${params.fileName} is empty.`, {
      field: "file",
      reason: "upload_empty",
      params: { fileName: params.fileName },
    });
  }
  const title = params.defaults.title?.trim() || params.fileName.replace(/\.[a-z]+$/i, "");
  return [
    {
      kind: "file",
      title: title.slice(0, 200),
      content: params.text,
      sourceUrl: params.defaults.sourceUrl ?? null,
      language: params.defaults.language ?? null,
      metadata: { format, fileName: params.fileName, sizeBytes: Buffer.byteLength(params.text) },
    },
  ];
}

function parseFeedbackLines(text: string, fileName: string, defaults: UploadDefaults): DocumentDraft[] {
  const lines = text.split(/\r?\n/);
  const drafts: DocumentDraft[] = [];
  // The database skips a row whose external id exists, so a repeated id would drop a line silently.
  const lineNumberById = new Map<string, number>();
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const lineNumber = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw badRequest(`${fileName} line ${lineNumber} is not valid JSON; each line must be one JSON object.`, {
        field: "file",
        line: lineNumber,
        reason: "upload_line_not_json",
        params: { fileName, line: lineNumber },
      });
    }
    // JSON bodies reject such text too, rather than letting the driver store U+FFFD or fail on NUL.
    const unstorable = findJsonValueProblem(value);
    if (unstorable) {
      throw badRequest(
        `${fileName} line ${lineNumber} is invalid: ${unstorable.path} contains a NUL character (\\u0000) or an unpaired UTF-16 surrogate; remove it.`,
        {
          field: "file",
          line: lineNumber,
          reason: "upload_line_invalid",
          params: { fileName, line: lineNumber, keys: unstorable.path },
        },
      );
    }
    const parsed = feedbackLineSchema.safeParse(value);
    if (!parsed.success) {
      const { fields } = formatZodIssues(parsed.error);
      const problems = fields.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
      // The keys are the JSONL format's own (`text`, `source_url`), so clients show them untranslated.
      const keys = [...new Set(fields.map((issue) => issue.path))].join(", ");
      throw badRequest(`${fileName} line ${lineNumber} is invalid: ${problems}.`, {
        field: "file",
        line: lineNumber,
        reason: "upload_line_invalid",
        params: { fileName, line: lineNumber, keys },
      });
    }
    const id = parsed.data.id;
    if (id !== undefined) {
      const firstLine = lineNumberById.get(id);
      if (firstLine !== undefined) {
        throw badRequest(
          `${fileName} line ${firstLine} and line ${lineNumber} have the same id "${id}". Give each line its own id.`,
          {
            field: "file",
            line: lineNumber,
            reason: "upload_line_duplicate_id",
            params: { fileName, firstLine, line: lineNumber, id },
          },
        );
      }
      lineNumberById.set(id, lineNumber);
    }
    drafts.push(toFeedbackDraft(parsed.data, fileName, defaults));
    if (drafts.length > MAX_JSONL_LINES) {
      throw badRequest(`${fileName} has more than ${MAX_JSONL_LINES} lines; split it into several files.`, {
        field: "file",
        reason: "upload_too_many_lines",
        params: { fileName, max: MAX_JSONL_LINES },
      });
    }
  }
  if (drafts.length === 0) {
    throw badRequest(`${fileName} has no feedback lines.`, {
      field: "file",
      reason: "upload_no_feedback_lines",
      params: { fileName },
    });
  }
  return drafts;
}

function toFeedbackDraft(
  line: z.infer<typeof feedbackLineSchema>,
  fileName: string,
  defaults: UploadDefaults,
): DocumentDraft {
  const title = line.title ?? line.id ?? `${line.text.slice(0, 80)}${line.text.length > 80 ? "…" : ""}`;
  return {
    kind: "feedback",
    title,
    content: line.text,
    externalId: line.id,
    sourceUrl: line.source_url ?? line.url ?? defaults.sourceUrl ?? null,
    language: line.language ?? defaults.language ?? null,
    itemRef: line.item_id ?? line.request_id,
    metadata: { format: "text", fileName, ...extraFields(line) },
  };
}

/** Keys of a feedback line that the format does not define, under `fields`; nothing when there are none. */
function extraFields(line: Record<string, unknown>): { fields?: Record<string, unknown> } {
  const extra = Object.entries(line).filter(([key]) => !feedbackLineKeys.has(key));
  return extra.length > 0 ? { fields: Object.fromEntries(extra) } : {};
}

const feedbackLineKeys = new Set(Object.keys(feedbackLineSchema.shape));
