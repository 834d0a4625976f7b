import type { ServerResponse } from "node:http";

/**
 * Writer of server-sent events. With event splitting on, each event goes out in several writes a
 * moment apart, so the client receives it across several network reads. Multibyte splitting cuts
 * inside a UTF-8 sequence when the event contains one.
 */
export class SseWriter {
  constructor(
    private readonly response: ServerResponse,
    private readonly splitEvents: boolean,
    private readonly splitMultibyte: boolean,
  ) {
    response.socket?.setNoDelay(true);
  }

  write(data: unknown): Promise<void> {
    return this.writeRaw(`data: ${JSON.stringify(data)}\n\n`);
  }

  async writeRaw(text: string): Promise<void> {
    if (this.response.destroyed) return;
    const bytes = Buffer.from(text, "utf8");
    const cuts = this.cutPoints(bytes);
    if (cuts.length === 0) {
      this.response.write(bytes);
      return;
    }
    let start = 0;
    for (const cut of [...cuts, bytes.length]) {
      if (this.response.destroyed) return;
      this.response.write(bytes.subarray(start, cut));
      start = cut;
      await delay(1);
    }
  }

  private cutPoints(bytes: Buffer): number[] {
    const cuts = new Set<number>();
    if (this.splitEvents && bytes.length > 8) {
      cuts.add(Math.floor(bytes.length / 3));
      cuts.add(Math.floor((bytes.length * 2) / 3));
    }
    if (this.splitMultibyte) {
      // A continuation byte (10xxxxxx) is never the first byte of a character: cutting before it splits one.
      const index = bytes.findIndex((byte) => (byte & 0xc0) === 0x80);
      if (index > 0) cuts.add(index);
    }
    return [...cuts].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b);
  }
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
