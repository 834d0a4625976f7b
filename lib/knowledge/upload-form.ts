import { z } from "zod";
import { AppError, badRequest } from "@/lib/errors";
import { containsUnstorableText } from "@/lib/validation";
import {
  type DocumentDraft,
  decodeUploadText,
  httpUrlSchema,
  languageTagSchema,
  parseUpload,
  readUploadTypeOrThrow,
} from "./uploads";

/**
 * Make a form field optional, taking an empty or blank value as not given. A union with `""`
 * would report an invalid value as "Invalid input" and drop the rule that `schema` states.
 */
function blankAsMissing<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    schema.optional(),
  );
}

const uploadFieldsSchema = z.object({
  title: z.string().trim().max(200).optional(),
  language: blankAsMissing(languageTagSchema),
  sourceUrl: blankAsMissing(httpUrlSchema),
});

/** Form fields an upload may send; any other is a 400, so a misspelt field is not dropped. */
const UPLOAD_FIELDS = new Set(["file", "title", "language", "sourceUrl"]);

/** Read a multipart upload (`file`, optional `title`, `language`, `sourceUrl`) into document drafts. */
export async function readUploadForm(request: Request, maxBytes: number): Promise<DocumentDraft[]> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);

  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw badRequest("The upload is not a valid multipart form; send the file in a field named file.", {
      field: "file",
      reason: "upload_form_invalid",
    });
  }
  // FormData.get reads the first of repeated fields, so a second file or title would be dropped.
  const repeated = [...UPLOAD_FIELDS].filter((name) => form.getAll(name).length > 1);
  if (repeated.length > 0) {
    throw badRequest(
      `The upload repeats the fields ${repeated.join(", ")}. Send each field once, and upload one file per request.`,
      { field: repeated[0], reason: "upload_field_repeated", params: { fields: repeated.join(", ") } },
    );
  }
  const file = form.get("file");
  if (!(file instanceof File)) {
    throw badRequest("The upload has no file; send it in a field named file.", {
      field: "file",
      reason: "upload_file_missing",
    });
  }
  if (file.size > maxBytes) throw tooLarge(maxBytes);
  if (containsUnstorableText(file.name)) {
    throw badRequest("The file name contains a NUL character or an unpaired UTF-16 surrogate; rename the file.", {
      field: "file",
    });
  }

  const unknown = [...new Set(form.keys())].filter((name) => !UPLOAD_FIELDS.has(name));
  if (unknown.length > 0) {
    throw badRequest(
      `Unknown upload fields: ${unknown.slice(0, 20).join(", ")}. Send only ${[...UPLOAD_FIELDS].join(", ")}.`,
      { field: unknown[0], unknownFields: unknown.slice(0, 20) },
    );
  }
  const values = {
    title: form.get("title") ?? undefined,
    language: form.get("language") ?? undefined,
    sourceUrl: form.get("sourceUrl") ?? undefined,
  };
  for (const [field, value] of Object.entries(values)) {
    if (typeof value === "string" && containsUnstorableText(value)) {
      throw badRequest(`${field} contains a NUL character or an unpaired UTF-16 surrogate; remove it.`, { field });
    }
  }
  const fields = uploadFieldsSchema.parse(values);
  // The type first, so an image is reported as an unsupported type rather than as text that is not UTF-8.
  readUploadTypeOrThrow(file.name);
  const text = decodeUploadText(new Uint8Array(await file.arrayBuffer()), file.name);
  return parseUpload({
    fileName: file.name,
    text,
    defaults: {
      title: fields.title || undefined,
      language: fields.language || null,
      sourceUrl: fields.sourceUrl || null,
    },
  });
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    413,
    "payload_too_large",
    `The file is larger than ${Math.floor(maxBytes / 1000)} kB; split it, or ask an admin to raise KNOWLEDGE_MAX_UPLOAD_BYTES.`,
    { field: "file", params: { maxBytes } },
  );
}
