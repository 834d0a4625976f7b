import { createTranslator, NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportFlow } from "@/components/backlog/import-flow";
import { setDatabaseForTests } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { parseCsv } from "@/lib/backlog/csv";
import { previewCsvImport } from "@/lib/backlog/csv-preview";
import { MAX_ECHOED_CHARS } from "@/lib/backlog/csv-row-problems";
import { importBacklogCsv } from "@/lib/backlog/import";
import { AppError } from "@/lib/errors";
import { localizeRowProblem } from "@/lib/i18n/row-problems";
import { localizeServerError, parseServerErrorBody } from "@/lib/i18n/server-errors";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { callRoute, createTokenUser, createWorkspace } from "../api/harness";

const importRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/import/route");

// biome-ignore lint/suspicious/noExplicitAny: next-intl types undeclared catalogs this way too.
type UntypedMessages = Record<string, any>;

const messages = { en: en as UntypedMessages, fr: fr as UntypedMessages };
const serverErrors = (locale: "en" | "fr") =>
  createTranslator({ locale, messages: messages[locale], namespace: "serverErrors" });
const formatting = (locale: "en" | "fr") => {
  const fields = createTranslator({ locale, messages: messages[locale], namespace: "backlog.importFields" });
  return { t: serverErrors(locale), locale, labelInput: (input: string) => fields(input) };
};

function captureAppError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("CSV preview with repeated headers", () => {
  it("rejects a repeated mapped header", () => {
    const error = captureAppError(() => previewCsvImport(parseCsv("title,reach,Title\nA,5,B\n")));

    expect(error.status).toBe(400);
    expect(error.details?.reason).toBe("csv_header_repeated");
    expect(error.details?.params).toEqual({ header: "title", first: 1, second: 3 });
    expect(localizeServerError(error, serverErrors("fr"))).toBe(
      "Les colonnes 1 et 3 ont toutes deux l’en-tête « title », donc l’import ne peut pas savoir laquelle utiliser. Renommez l’une d’elles et envoyez de nouveau le fichier.",
    );
  });

  it("accepts a repeated header mapped by index", () => {
    const preview = previewCsvImport(parseCsv("title,reach,title\nA,5,B\n"), { mapping: { title: 2, reach: 1 } });

    expect(preview.validRowCount).toBe(1);
    expect(preview.mapping.title).toBe(2);
  });

  it("accepts a repeated header that no field uses", () => {
    const preview = previewCsvImport(parseCsv("title,notes,notes\nA,x,y\n"));

    expect(preview.validRowCount).toBe(1);
  });
});

describe("CSV row errors", () => {
  it("cuts a huge cell in the echoed value", () => {
    const cell = "x".repeat(2_000_000);
    const preview = previewCsvImport(parseCsv(`title\n${cell}\n`));
    const [error] = preview.errors;

    expect(error?.code).toBe("text_too_long");
    expect(error?.value).toHaveLength(MAX_ECHOED_CHARS);
    expect(error?.value.endsWith("…")).toBe(true);
    expect(error?.valueLength).toBe(2_000_000);
    expect(JSON.stringify(preview).length).toBeLessThan(10_000);
  });

  it("cuts a huge value quoted in the message and params", () => {
    const status = "s".repeat(5000);
    const preview = previewCsvImport(parseCsv(`title,status\nA,${status}\n`));
    const [error] = preview.errors;

    expect(error?.code).toBe("status_unknown");
    expect(String(error?.params.value)).toHaveLength(MAX_ECHOED_CHARS);
    expect(error?.message.length).toBeLessThan(MAX_ECHOED_CHARS + 100);
    expect(error?.value).toHaveLength(MAX_ECHOED_CHARS);
  });

  it("keeps a short cell whole", () => {
    const preview = previewCsvImport(parseCsv("title,status\nA,someday\n"));
    const [error] = preview.errors;

    expect(error?.value).toBe("someday");
    expect(error?.valueLength).toBeUndefined();
  });

  it("shows both readings of an ambiguous number", () => {
    const preview = previewCsvImport(parseCsv('title,reach\nA,"1,200"\n'));
    const [error] = preview.errors;

    expect(error?.params).toEqual({ value: "1,200", thousands: 1200, decimal: 1.2 });
    expect(localizeRowProblem(error ?? { message: "" }, formatting("en"))).toBe(
      "“1,200” is ambiguous: it can mean 1200 or 1.2. Write the number you mean.",
    );
    expect(localizeRowProblem(error ?? { message: "" }, formatting("fr"))).toBe(
      "« 1,200 » est ambigu : il peut valoir 1200 ou 1,2. Écrivez la valeur voulue.",
    );
  });
});

describe("import page", () => {
  it("states the file size limit in French", () => {
    const page = createElement(ImportFlow, { workspaceId: "00000000-0000-4000-8000-000000000000" });
    // The provider's props type requires `children`, which createElement passes as its third argument.
    const config = { locale: "fr", timeZone: "UTC", messages: fr } as unknown as ComponentProps<
      typeof NextIntlClientProvider
    >;
    const html = renderToStaticMarkup(createElement(NextIntlClientProvider, config, page));

    expect(html).toContain("Fichiers jusqu’à 1 Mo. Importez les fichiers plus gros avec l’API REST.");
    expect(html).toContain('aria-describedby="import-file-limit"');
  });
});

describeEachEngine("CSV import with repeated headers", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let importer: Awaited<ReturnType<typeof createTokenUser>>;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    setDatabaseForTests(handle);
    workspaceId = await createWorkspace(handle);
    importer = await createTokenUser(handle, { workspaceIds: [workspaceId] });
  });

  afterAll(async () => {
    setDatabaseForTests(undefined);
    await handle.close();
  });

  const importCsv = async (body: string, query = "") => {
    const response = await callRoute(importRoute.POST, {
      path: `/api/v1/workspaces/${workspaceId}/items/import${query}`,
      method: "POST",
      headers: { ...importer.headers, "content-type": "text/csv" },
      body,
      params: { workspaceId },
    });
    return { status: response.status, error: parseServerErrorBody(await response.json()) };
  };

  it("rejects a guessed mapping with a repeated title", async () => {
    const { status, error } = await importCsv("title,title\nFirst,Second\n");

    expect(status).toBe(400);
    expect(error?.details?.reason).toBe("csv_header_repeated");
    expect(error?.details?.params).toEqual({ header: "title", first: 1, second: 2 });
    expect(error?.message).toContain('"title"');
  });

  it("rejects a mapping by a repeated header name", async () => {
    const mapping = encodeURIComponent('{"title":"Name"}');
    const { status, error } = await importCsv("Name,Name\nFirst,Second\n", `?mapping=${mapping}`);

    expect(status).toBe(400);
    expect(error?.details?.reason).toBe("csv_header_repeated");
  });

  it("answers a huge invalid cell with a short error", async () => {
    const cell = "x".repeat(2_000_000);
    const response = await callRoute(importRoute.POST, {
      path: `/api/v1/workspaces/${workspaceId}/items/import`,
      method: "POST",
      headers: { ...importer.headers, "content-type": "text/csv" },
      body: `title\n${cell}\n`,
      params: { workspaceId },
    });
    const text = await response.text();

    expect(response.status).toBe(400);
    expect(text.length).toBeLessThan(10_000);
    expect(text).toContain('"valueLength":2000000');
  });

  it("imports a repeated header mapped by index", async () => {
    const result = await importBacklogCsv(handle.db, {
      workspaceId,
      actorId: importer.userId,
      csv: "title,title\nFirst,Second\n",
      mapping: { title: 1 },
    });

    expect(result.created).toBe(1);
  });
});
