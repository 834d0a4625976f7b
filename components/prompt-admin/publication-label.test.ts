import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { formatPublicationLine } from "./publication-label";

// biome-ignore lint/suspicious/noExplicitAny: next-intl types undeclared catalogs this way too.
type UntypedMessages = Record<string, any>;

const english = createTranslator({ locale: "en", messages: en as UntypedMessages, namespace: "promptAdmin.history" });
const french = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "promptAdmin.history" });
const formatTime = () => "Dec 5, 2026, 4:42 PM";

const rollback = { action: "rollback", note: "QA rollback to v1", at: "2026-12-05T16:42:00Z", actorName: "Ada Admin" };

describe("formatPublicationLine", () => {
  it("names the version of a rollback in English", () => {
    expect(formatPublicationLine(rollback, 1, english, formatTime)).toBe(
      "Rolled back to version 1 by Ada Admin, Dec 5, 2026, 4:42 PM: QA rollback to v1",
    );
  });

  it("names the version of a rollback in French", () => {
    expect(formatPublicationLine(rollback, 1, french, formatTime)).toBe(
      "Retour à la version 1 par Ada Admin, Dec 5, 2026, 4:42 PM : QA rollback to v1",
    );
  });

  it("words a publication", () => {
    const publication = { ...rollback, action: "publish", note: "First release" };

    expect(formatPublicationLine(publication, 2, english, formatTime)).toBe(
      "Published by Ada Admin, Dec 5, 2026, 4:42 PM: First release",
    );
  });

  it("shows a dash for an unknown actor", () => {
    const publication = { ...rollback, actorName: null };

    expect(formatPublicationLine(publication, 3, english, formatTime)).toBe(
      "Rolled back to version 3 by —, Dec 5, 2026, 4:42 PM: QA rollback to v1",
    );
  });
});
