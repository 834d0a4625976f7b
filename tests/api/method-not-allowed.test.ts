import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isMethodNotAllowedHandler, ROUTE_METHODS } from "@/lib/http/method-not-allowed";

/**
 * Every route file under app/api exports GET, POST, PUT, PATCH and DELETE, so that a method it does
 * not implement gets the JSON 405 of `methodsNotAllowed` instead of the empty 405 of Next.js. The
 * files also export its OPTIONS handler, except the `/api/v1/[...path]` catch-all, which returns
 * 404 for every method.
 */

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const apiDir = path.join(process.cwd(), "app", "api");
const routeFiles = fs
  .readdirSync(apiDir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name === "route.ts")
  .map((entry) => path.relative(process.cwd(), path.join(entry.parentPath, entry.name)))
  .sort();

const routeModules = new Map<string, Record<string, unknown>>();
for (const file of routeFiles) {
  routeModules.set(file, (await import(path.join(process.cwd(), file))) as Record<string, unknown>);
}

/** Methods of a route module that have their own handler, in the order of ROUTE_METHODS. */
function implementedMethods(module: Record<string, unknown>): string[] {
  return ROUTE_METHODS.filter(
    (method) => typeof module[method] === "function" && !isMethodNotAllowedHandler(module[method]),
  );
}

/** URL path of a route file, with its dynamic segments left as written: `/api/v1/runs/[runId]`. */
function urlPathOf(file: string): string {
  return `/${path.dirname(file).split(path.sep).slice(1).join("/")}`;
}

describe("API route methods", () => {
  it("finds the route files", () => {
    expect(routeFiles.length).toBeGreaterThan(40);
  });

  it.each(routeFiles)("%s exports every method", (file) => {
    const module = routeModules.get(file) ?? {};

    for (const method of ROUTE_METHODS) {
      expect(typeof module[method], `${method} of ${file}`).toBe("function");
    }
  });

  it.each(routeFiles)("%s implements at least one method", (file) => {
    expect(implementedMethods(routeModules.get(file) ?? {})).not.toEqual([]);
  });

  it.each(routeFiles)("%s rejects other methods with JSON 405", async (file) => {
    const module = routeModules.get(file) ?? {};
    const implemented = implementedMethods(module);
    const expectedAllow = [...implemented, ...(implemented.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");

    for (const method of ROUTE_METHODS.filter((name) => !implemented.includes(name))) {
      const request = new Request(`http://127.0.0.1${urlPathOf(file)}`, { method });
      const response = await (module[method] as Handler)(request, { params: Promise.resolve({}) });
      const body = (await response.json()) as { error: { code: string; message: string } };

      expect(response.status, `${method} of ${file}`).toBe(405);
      expect(response.headers.get("allow"), `${method} of ${file}`).toBe(expectedAllow);
      expect(body.error.code, `${method} of ${file}`).toBe("method_not_allowed");
      expect(body.error.message, `${method} of ${file}`).toContain(`${method} is not allowed`);
    }
  });

  it.each(routeFiles.filter((file) => !file.includes("[...path]")))(
    "%s lists its methods for OPTIONS",
    async (file) => {
      const module = routeModules.get(file) ?? {};
      const implemented = implementedMethods(module);
      const expectedAllow = [...implemented, ...(implemented.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");

      expect(typeof module.OPTIONS, `OPTIONS of ${file}`).toBe("function");
      const request = new Request(`http://127.0.0.1${urlPathOf(file)}`, { method: "OPTIONS" });
      const response = await (module.OPTIONS as Handler)(request, { params: Promise.resolve({}) });

      expect(response.status).toBe(204);
      expect(response.headers.get("allow")).toBe(expectedAllow);
    },
  );
});
