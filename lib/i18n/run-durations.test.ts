import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";

// biome-ignore lint/suspicious/noExplicitAny: next-intl types undeclared catalogs this way too.
type UntypedMessages = Record<string, any>;

const english = createTranslator({ locale: "en", messages: en as UntypedMessages, namespace: "runs" });
const french = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "runs" });

describe("run durations", () => {
  it("writes seconds with the French decimal comma", () => {
    expect(french("seconds", { value: 74.1 })).toBe("74,1 s");
  });

  it("writes seconds with the English decimal point", () => {
    expect(english("seconds", { value: 74.1 })).toBe("74.1 s");
  });

  it("groups the digits of milliseconds by locale", () => {
    expect(english("detail.milliseconds", { value: 12_345 })).toBe("12,345 ms");
    expect(french("detail.milliseconds", { value: 12_345 })).toBe("12\u202f345 ms");
  });

  it("groups the latency of a call summary by locale", () => {
    const values = { attempt: 1, execution: 1, purpose: "prioritize", outcome: "ok", latency: 1500 };

    expect(french("detail.callSummary", values)).toBe("Requête 1 de l’exécution 1 (prioritize) : ok, 1\u202f500 ms");
  });

  it("groups the latency of a prompt test by locale", () => {
    const promptTests = createTranslator({
      locale: "fr",
      messages: fr as UntypedMessages,
      namespace: "promptAdmin.tests.result",
    });

    expect(promptTests("milliseconds", { value: 2500 })).toBe("2\u202f500 ms");
  });
});
