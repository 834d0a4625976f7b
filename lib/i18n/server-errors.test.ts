import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { modelErrorKinds } from "@/lib/ai/errors";
import { notFound, notFoundResources } from "@/lib/errors";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { localizeServerError, parseServerErrorBody, readModelErrorKind } from "./server-errors";

// next-intl's default message type when the app declares none, which is how `useTranslations` types the catalogs.
// biome-ignore lint/suspicious/noExplicitAny: this is the type next-intl itself uses for undeclared messages.
type UntypedMessages = Record<string, any>;

const english = createTranslator({ locale: "en", messages: en as UntypedMessages, namespace: "serverErrors" });
const french = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "serverErrors" });

describe("localizeServerError", () => {
  it("translates a pipeline code", () => {
    const error = { code: "deadline_exceeded", message: "the batch did not finish within its deadline of 120 s" };

    expect(localizeServerError(error, english)).toBe("The batch did not finish within its deadline.");
    expect(localizeServerError(error, french)).toBe("Le lot ne s’est pas terminé dans le délai imparti.");
  });

  it("falls back to the server message for an unknown code", () => {
    const error = { code: "planning_failed", message: "No items match the selected themes." };

    expect(localizeServerError(error, french)).toBe("No items match the selected themes.");
  });

  it("falls back to the server message without a code", () => {
    expect(localizeServerError({ message: "fetch failed" }, french)).toBe("fetch failed");
  });

  it("uses the model error kind of a stored error", () => {
    const error = {
      code: "content_filter",
      message: 'The provider\'s content filter rejected the prompt "prioritize".',
      retryable: false,
      modelErrorKind: "content_filter",
    };

    expect(localizeServerError(error, french)).toBe(
      "Le filtre de contenu du fournisseur a rejeté le prompt. Reformulez-le ou retirez les données signalées : le renvoyer tel quel donnera le même résultat.",
    );
  });

  it("prefers the model kind over the outcome code", () => {
    const error = {
      code: "rate_limited",
      message: "The model gpt-4o is rate limited (HTTP 429).",
      modelErrorKind: "timeout",
    };

    expect(localizeServerError(error, english)).toBe("The model did not answer in time. Try again later.");
  });

  it("reads the model kind of a route body", () => {
    const error = {
      code: "model_rate_limited",
      message: "The model gpt-4o is rate limited (HTTP 429).",
      details: { kind: "rate_limited", retryAfterSeconds: 30 },
    };

    expect(localizeServerError(error, french)).toBe(
      "Le modèle a atteint sa limite de requêtes. Réessayez dans 30 secondes.",
    );
  });

  it("puts the retry wait of an API rate limit in the text", () => {
    const error = {
      code: "rate_limited",
      message: "Too many requests: the limit is 60 per minute for each token. Retry in 1 second.",
      details: { retryAfterSeconds: 1 },
    };

    expect(localizeServerError(error, english)).toBe("Too many requests. Try again in 1 second.");
    expect(localizeServerError(error, french)).toBe("Trop de requêtes. Réessayez dans 1 seconde.");
  });

  it("names the invalid fields from their paths", () => {
    const error = {
      code: "invalid_input",
      message: "Invalid input: title: Too small; items[2].impact: Expected number",
      fields: [
        { path: "title", message: "Too small" },
        { path: "items[2].impact", message: "Expected number" },
      ],
    };

    expect(localizeServerError(error, french)).toBe(
      "Valeurs non valides dans : title, items[2].impact. Corrigez-les et réessayez.",
    );
  });

  it("translates invalid input without fields", () => {
    const error = { code: "invalid_input", message: "Invalid input: body: Required" };

    expect(localizeServerError(error, english)).toBe("Some values are invalid. Correct them and try again.");
  });

  it("puts the facts of details.params in the text", () => {
    const error = {
      code: "csv_invalid_utf8",
      message:
        'The file is not valid UTF-8 (first invalid byte on line 3). Save it as "CSV UTF-8" and upload it again.',
      details: { field: "file", params: { line: 3 } },
    };

    expect(localizeServerError(error, french)).toBe(
      "Le fichier n’est pas en UTF-8 valide (premier octet invalide à la ligne 3). Enregistrez-le au format « CSV UTF-8 » et choisissez-le de nouveau.",
    );
  });

  it("reads the text of a shared code from its reason", () => {
    const error = {
      code: "bad_request",
      message: "No column is mapped to the title. Columns found: nom_complet, portée.",
      details: { field: "mapping.title", reason: "csv_title_unmapped", params: { columns: "nom_complet, portée" } },
    };

    expect(localizeServerError(error, french)).toBe(
      "Aucune colonne n’est associée au titre. Colonnes trouvées : nom_complet, portée.",
    );
  });

  it("falls back to the server message for an unknown reason", () => {
    const error = { code: "bad_request", message: "mapping is not valid JSON.", details: { reason: "mapping_json" } };

    expect(localizeServerError(error, french)).toBe("mapping is not valid JSON.");
  });

  it("falls back to the server message when a param is missing", () => {
    const error = { code: "csv_malformed", message: "A quoted field that starts in row 4 is never closed." };

    expect(localizeServerError(error, french)).toBe("A quoted field that starts in row 4 is never closed.");
  });

  it("names the resource of a not found error", () => {
    const error = { code: "not_found", message: "Run not found.", details: { params: { resource: "run" } } };

    expect(localizeServerError(error, english)).toBe(
      "Not found: the run does not exist, was deleted, or you do not have access to it.",
    );
    expect(localizeServerError(error, french)).toBe(
      "Exécution introuvable : elle n’existe pas, a été supprimée, ou vous n’y avez pas accès.",
    );
  });

  it("names every not found resource in both catalogs", () => {
    const generic = (t: typeof french) =>
      localizeServerError({ code: "not_found", message: "x", details: { params: { resource: "other" } } }, t);

    for (const resource of notFoundResources) {
      const error = notFound(resource);
      const body = { code: error.code, message: error.message, details: error.details };

      expect(localizeServerError(body, english), resource).not.toBe(generic(english));
      expect(localizeServerError(body, french), resource).not.toBe(generic(french));
    }
  });

  it("translates a not found error without a resource", () => {
    expect(localizeServerError({ code: "not_found", message: "Workspace not found." }, french)).toBe(
      "Ressource introuvable : elle n’existe pas, a été supprimée, ou vous n’y avez pas accès.",
    );
  });

  it("names the methods of a method not allowed", () => {
    const error = {
      code: "method_not_allowed",
      message: "DELETE is not allowed on /api/v1/runs/r1. Use GET.",
      details: { params: { method: "DELETE", allowed: "GET" } },
    };

    expect(localizeServerError(error, english)).toBe(
      "DELETE is not allowed on this API endpoint. Allowed methods: GET.",
    );
    expect(localizeServerError(error, french)).toBe(
      "La méthode DELETE n’est pas autorisée pour cette adresse de l’API. Méthodes autorisées : GET.",
    );
  });

  it("puts the limit of a body too large in the text", () => {
    const error = {
      code: "body_too_large",
      message: "The request body is larger than 4194304 bytes. Split the file.",
      details: { field: "body", params: { maxBytes: 4194304 } },
    };

    expect(localizeServerError(error, french)).toBe(
      "La requête dépasse 4\u202f194\u202f304 octets. Envoyez moins de données à la fois, ou découpez le fichier.",
    );
  });

  it("puts the limit of an upload too large in the text", () => {
    const error = {
      code: "payload_too_large",
      message: "The file is larger than 10485 kB; split it, or ask an admin to raise KNOWLEDGE_MAX_UPLOAD_BYTES.",
      details: { field: "file", params: { maxBytes: 10485760 } },
    };

    expect(localizeServerError(error, french)).toBe(
      "Le fichier dépasse 10\u202f485\u202f760 octets. Découpez-le, ou demandez à un administrateur de relever la limite d’envoi.",
    );
  });

  it("translates a conflict by its reason and params", () => {
    const error = {
      code: "conflict",
      message: "The run is already completed; only queued or running runs can be cancelled.",
      details: { reason: "run_not_cancellable", params: { status: "completed" } },
    };

    expect(localizeServerError(error, french)).toBe(
      "L’exécution est déjà terminée : seules les exécutions en attente ou en cours peuvent être annulées.",
    );
  });

  it("translates a prompt conflict with the newer version", () => {
    const error = {
      code: "conflict",
      message: "Prompt prioritize (fr) was published by someone else since you opened it: version 4 is live now.",
      details: {
        reason: "prompt_published_elsewhere",
        params: { key: "prioritize", language: "fr", versionNumber: 4 },
      },
    };

    expect(localizeServerError(error, french)).toBe(
      "Quelqu’un d’autre a publié le prompt prioritize (fr) depuis que vous l’avez ouvert : la version 4 est en ligne. Rien n’a été modifié ; rechargez et décidez de nouveau.",
    );
  });

  it("translates a conflict without a reason", () => {
    expect(localizeServerError({ code: "conflict", message: "The item changed." }, french)).toBe(
      "Quelqu’un d’autre a modifié ces données entre-temps. Rechargez la page et réessayez.",
    );
  });

  it("translates every model error kind in both catalogs", () => {
    for (const kind of Object.keys(modelErrorKinds)) {
      const error = { code: `model_${kind}`, message: "English text", details: { kind } };

      expect(localizeServerError(error, english), kind).not.toBe("English text");
      expect(localizeServerError(error, french), kind).not.toBe("English text");
    }
  });
});

describe("readModelErrorKind", () => {
  it("ignores a details kind that does not match the code", () => {
    expect(readModelErrorKind({ code: "bad_request", message: "x", details: { kind: "timeout" } })).toBeUndefined();
  });
});

describe("parseServerErrorBody", () => {
  it("reads code, message, details and field paths", () => {
    const body = {
      error: {
        code: "invalid_input",
        message: "Invalid input: title: Required",
        fields: [{ path: "title", message: "Required" }, { message: "no path" }],
        details: { field: "title" },
      },
    };

    expect(parseServerErrorBody(body)).toEqual({
      code: "invalid_input",
      message: "Invalid input: title: Required",
      details: { field: "title" },
      fields: [{ path: "title" }],
    });
  });

  it("returns undefined without a message", () => {
    expect(parseServerErrorBody({ error: { code: "x" } })).toBeUndefined();
    expect(parseServerErrorBody("Internal Server Error")).toBeUndefined();
    expect(parseServerErrorBody(null)).toBeUndefined();
  });
});
