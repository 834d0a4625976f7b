import { z } from "zod";
import { AppError, type NotFoundResource, notFound } from "@/lib/errors";

const uuidSchema = z.uuid();

/**
 * Return a path id, or throw a 404 for `resource` when it is not a uuid, because such an id names
 * no row. `subject` replaces the resource's English name in the message.
 */
export function parseIdParam(value: string | undefined, resource: NotFoundResource, subject?: string): string {
  if (!value || !uuidSchema.safeParse(value).success) throw notFound(resource, subject);
  return value;
}

/**
 * Read a request body as bytes, stopping with a 413 once it passes `maxBytes`, so an oversized
 * upload is never held in memory whole. `advice` ends the error message with what to do.
 */
export async function readBodyBytes(
  request: Request,
  maxBytes: number,
  advice = "Split the file.",
): Promise<Uint8Array> {
  const tooLarge = () =>
    new AppError(413, "body_too_large", `The request body is larger than ${maxBytes} bytes. ${advice}`, {
      field: "body",
      params: { maxBytes },
    });
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array();

  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.byteLength;
  }
  return body;
}
