import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { loadRequestConfig } from "./request-config";

const resolveFrench = async () => "fr" as const;

describe("loadRequestConfig", () => {
  it("prefers the requested locale", async () => {
    const config = await loadRequestConfig("en", resolveFrench);

    expect(config.locale).toBe("en");
    expect(config.messages).toEqual(en);
  });

  it("uses the request's locale without a request", async () => {
    const config = await loadRequestConfig(undefined, resolveFrench);

    expect(config.locale).toBe("fr");
    expect(config.messages).toEqual(fr);
  });

  it("ignores an unsupported requested locale", async () => {
    const config = await loadRequestConfig("de", resolveFrench);

    expect(config.locale).toBe("fr");
  });
});
