// Every table of the app; drizzle-kit reads this file to generate migrations.
export * from "./auth";
