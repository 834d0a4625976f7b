import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";

// next-intl's default message type when the app declares none, which is how `useTranslations` types the catalogs.
// biome-ignore lint/suspicious/noExplicitAny: this is the type next-intl itself uses for undeclared messages.
type UntypedMessages = Record<string, any>;

const english = createTranslator({ locale: "en", messages: en as UntypedMessages });
const french = createTranslator({ locale: "fr", messages: fr as UntypedMessages });

const batch = { status: "done", outcome: "ok", executions: 1 };

describe("batch line plural", () => {
  it("uses the singular for one request", () => {
    expect(english("runs.detail.batchLine", { ...batch, attempts: 1 })).toBe(
      "done; outcome ok; 1 request in execution 1",
    );
    expect(french("runs.detail.batchLine", { ...batch, attempts: 1 })).toBe(
      "done ; résultat ok ; 1 requête lors de l’exécution 1",
    );
  });

  it("uses the plural for several requests", () => {
    expect(english("runs.detail.batchLine", { ...batch, attempts: 3 })).toBe(
      "done; outcome ok; 3 requests in execution 1",
    );
    expect(french("runs.detail.batchLine", { ...batch, attempts: 3 })).toBe(
      "done ; résultat ok ; 3 requêtes lors de l’exécution 1",
    );
  });
});

describe("count plurals", () => {
  it("agrees French participles with one", () => {
    expect(french("runs.batchCounts", { succeeded: 1, failed: 0, cancelled: 0, total: 1 })).toBe(
      "1 réussi, 0 en échec sur 1",
    );
    expect(french("runs.batchCounts", { succeeded: 0, failed: 0, cancelled: 1, total: 1 })).toBe(
      "0 réussi, 0 en échec, 1 annulé sur 1",
    );
    expect(french("backlog.import.done", { created: 1, updated: 2, unchanged: 0, skipped: 1 })).toBe(
      "Import terminé : 1 créé, 2 modifiés, 0 inchangé, 1 ignoré.",
    );
  });

  it("names a single run in the runs caption", () => {
    expect(english("runs.caption", { count: 1 })).toBe("The most recent run of this workspace");
    expect(french("runs.caption", { count: 20 })).toBe("Les 20 exécutions les plus récentes de cet espace de travail");
  });

  it("keeps the English test totals", () => {
    expect(english("promptAdmin.tests.totals", { passed: 6, failed: 0, error: 1, pending: 0 })).toBe(
      "6 passed, 0 failed, 1 error, 0 waiting",
    );
  });

  it("groups thousands by locale", () => {
    expect(french("backlog.import.previewTitle", { count: 1600 })).toBe("2. Aperçu (1\u202f600 lignes)");
  });
});
