// Every table of the app; drizzle-kit reads this file to generate migrations.
export * from "./api";
export * from "./auth";
export * from "./backlog";
export * from "./documents";
export * from "./knowledge";
export * from "./prompt-tests";
export * from "./prompts";
export * from "./runs";
