export { embedText, SIMULATED_EMBEDDING_DIMENSIONS } from "./embeddings";
export { type FaultName, faultDescriptions } from "./faults";
export { defaultSimulatorOptions, startSimulator } from "./server";
export type { FaultRule, SimulatorHandle, SimulatorOptions, SimulatorRequestRecord } from "./types";
