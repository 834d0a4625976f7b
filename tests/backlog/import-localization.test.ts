import { randomUUID } from "node:crypto";
import { createTranslator, NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RowErrorTable } from "@/components/backlog/import-flow";
import type { DatabaseHandle } from "@/db/client";
import { listBacklogItems } from "@/db/queries/backlog";
import { rowProblemCodes } from "@/lib/backlog/csv-row-problems";
import type { RowError } from "@/lib/backlog/csv-rows";
import { importBacklogCsv } from "@/lib/backlog/import";
import { deleteItems } from "@/lib/backlog/items";
import { AppError } from "@/lib/errors";
import { localizeRowProblem } from "@/lib/i18n/row-problems";
import { localizeServerError } from "@/lib/i18n/server-errors";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import fr from "@/messages/fr.json";
import { createWorkspaceWithMember } from "./fixtures";

// next-intl's default message type when the app declares none, which is how `useTranslations` types the catalogs.
// biome-ignore lint/suspicious/noExplicitAny: this is the type next-intl itself uses for undeclared messages.
type UntypedMessages = Record<string, any>;

const serverErrors = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "serverErrors" });
const fields = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "backlog.importFields" });
const french = { t: serverErrors, locale: "fr", labelInput: (input: string) => fields(input) };

/** English words of the server's row messages, none of which is a French word. */
const englishWords =
  /\b(the|is|not|must|already|appears|belongs|expected|got|row|matches|which|updates|required|characters|ambiguous|write|thousand|number|links?|status|one of)\b/i;

/** Turn rendered HTML into its text, so that messages with quotes compare with the page. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");
}

async function captureAppError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describeEachEngine("import row problems in French", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let userId: string;
  let errors: RowError[];

  /**
   * Run dry imports whose rows have every problem that real data can cause: cell values, repeats
   * within the file, and matches of the workspace's items K1 to K3 (#1 to #3) and of the deleted
   * item K4 (#4).
   */
  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    ({ workspaceId, userId } = await createWorkspaceWithMember(handle.db));
    const base = "id;titre\r\nK1;Export PDF\r\nK2;Alertes Slack\r\nK3;Mode sombre\r\nK4;Mode kiosque\r\n";
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: base });
    const [first, second, , fourth] = await listBacklogItems(handle.db, { workspaceId });
    await deleteItems(handle.db, { workspaceId, actorId: userId, itemIds: [fourth?.id ?? ""] });
    const unknownId = randomUUID();
    const links = Array.from({ length: 21 }, (_, index) => `https://exemple.fr/${index}`).join(" ");

    const rows = [
      "rankwise_id;id;titre;statut;liens;portée;impact;confiance;effort;facilité",
      ";T1;;;;;;;;",
      `;;${"x".repeat(301)};;;;;;;`,
      "ligne-7;;Mode kiosque;;;;;;;",
      `${unknownId};;Mode hors ligne;;;;;;;`,
      `${unknownId};;Mode hors ligne bis;;;;;;;`,
      ";D1;Doublon;;;;;;;",
      ";D1;Doublon bis;;;;;;;",
      ";;Statut inconnu;peut-être;;;;;;",
      `;;Trop de liens;;${links};;;;;`,
      ";;Lien FTP;;ftp://exemple.fr;;;;;",
      `;;Lien trop long;;https://exemple.fr/${"a".repeat(2000)};;;;;`,
      ";;Portée en pourcentage;;;80%;;;;",
      ";;Portée ambiguë;;;1,000;;;;",
      ";;Portée en lettres;;;beaucoup;;;;",
      ";;Portée sans fin;;;1e400;;;;",
      ";;Impact hors échelle;;;;1,5;;;",
      ";;Effort trop petit;;;;;;0,01;",
      ";;Facilité trop grande;;;;;;;11",
      ";;Cellules en trop;;;;;;;;5",
      `${first?.id};;Export PDF;;;;;;;`,
      ";K1;Export PDF encore;;;;;;;",
      `${second?.id};K3;Alertes Slack;;;;;;;`,
      `${fourth?.id};;Mode kiosque;;;;;;;`,
    ];
    const options = { workspaceId, actorId: userId, skipInvalid: true, dryRun: true };
    const updates = await importBacklogCsv(handle.db, { ...options, csv: rows.join("\r\n") });
    const existing = await importBacklogCsv(handle.db, {
      ...options,
      onExisting: "error",
      csv: `rankwise_id;id;titre\r\n${first?.id};;Export PDF\r\n;K2;Alertes Slack\r\n`,
    });
    errors = [...updates.errors, ...existing.errors];
  });

  afterAll(async () => {
    await handle.close();
  });

  it("covers every row problem that data can cause", () => {
    const found = new Set(errors.map((error) => error.code));
    const missing = rowProblemCodes.filter((code) => code !== "value_invalid" && !found.has(code));

    expect(missing).toEqual([]);
  });

  it("words every row problem in French", () => {
    for (const error of errors) {
      const text = localizeRowProblem(error, french);

      expect(text, error.code).not.toBe(error.message);
      expect(text, error.code).not.toMatch(englishWords);
    }
  });

  it("renders the error table without an English message", () => {
    // createElement's types want `children` among the props, though it is passed as the third argument.
    const config = { locale: "fr", timeZone: "Europe/Paris", messages: fr } as unknown as ComponentProps<
      typeof NextIntlClientProvider
    >;
    const table = createElement(RowErrorTable, { errors, errorCount: errors.length });
    const html = renderToStaticMarkup(createElement(NextIntlClientProvider, config, table));
    const text = textOf(html);

    for (const error of errors) {
      expect(text, error.code).not.toContain(error.message);
      expect(text, error.code).toContain(localizeRowProblem(error, french));
    }
  });

  it("words a rejected import in French", async () => {
    const csv = "id;titre;impact\r\nK1;Export PDF;7\r\nK9;;\r\n";
    const error = await captureAppError(importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv }));

    expect(error.code).toBe("invalid_rows");
    expect(localizeServerError(error, serverErrors)).toBe(
      "2 lignes contiennent des erreurs, donc rien n’a été importé. Corrigez-les, ou importez de nouveau en ignorant les lignes invalides.",
    );
  });

  it("words a UTF-16 file in French", async () => {
    const csv = new Uint8Array([0xff, 0xfe, 0x74, 0x00, 0x69, 0x00]);
    const error = await captureAppError(importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv }));

    expect(localizeServerError(error, serverErrors)).toBe(
      "Le fichier est encodé en UTF-16. Enregistrez-le au format « CSV UTF-8 » et choisissez-le de nouveau.",
    );
  });

  it("words a file without a title column in French", async () => {
    const csv = "colonne;portée\r\nA;5\r\n";
    const error = await captureAppError(importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv }));

    expect(localizeServerError(error, serverErrors)).toBe(
      "Aucune colonne n’est associée au titre. Colonnes trouvées : colonne, portée.",
    );
  });
});
