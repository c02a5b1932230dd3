/** A seeded PRNG (mulberry32): a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One request of the run: what it sends and how the client behaves. */
export interface PlannedRequest {
  kind: string;
  body: string;
  stream: boolean;
  /** The client hangs up this many ms after sending (undefined: it waits for the answer). */
  abortAfterMs?: number;
  /** Whether the gateway must refuse it as the client's own mistake (400). */
  hostile: boolean;
}

const messages = (text: string) => `"messages":[{"role":"user","content":${JSON.stringify(text)}}]`;

/** Hostile bodies: every one must be a 400 that holds and bills nothing. */
const HOSTILE_BODIES = [
  `{"model":"gpt-4o","max_tokens":1e999,${messages('hi')}}`,
  `{"model":"gpt-4o","max_tokens":-5,${messages('hi')}}`,
  `{"model":"gpt-4o","max_tokens":2.5,${messages('hi')}}`,
  `{"model":"gpt-4o","n":1e308,${messages('hi')}}`,
  `{"model":"gpt-4o","max_completion_tokens":9007199254740993,${messages('hi')}}`,
  `{"model":"gpt-4o",${messages('hi')}`,
  `[1,2,3]`,
  `{"messages":[]}`,
];

/**
 * The mix of a run: ordinary chats (whole, streamed, with and without a completion limit),
 * slow streams the client abandons, text with NUL bytes, and hostile bodies.
 */
export function planRequest(random: () => number): PlannedRequest {
  const roll = random();
  if (roll < 0.12) {
    const body = HOSTILE_BODIES[Math.floor(random() * HOSTILE_BODIES.length)]!;
    return { kind: 'hostile', body, stream: false, hostile: true };
  }
  if (roll < 0.22) {
    // gpt-4o-mini is served by the slow upstream: the client leaves mid-stream.
    const body = `{"model":"gpt-4o-mini","stream":true,"max_tokens":12,${messages('slow')}}`;
    return {
      kind: 'abort',
      body,
      stream: true,
      abortAfterMs: Math.floor(random() * 60),
      hostile: false,
    };
  }
  if (roll < 0.3) {
    const body = `{"model":"gpt-4o","max_tokens":8,${messages('nul \u0000 inside')}}`;
    return { kind: 'nul', body, stream: false, hostile: false };
  }
  const stream = random() < 0.5;
  const limit = random() < 0.7 ? `"max_tokens":${1 + Math.floor(random() * 10)},` : '';
  const usage = stream && random() < 0.5 ? '"stream_options":{"include_usage":true},' : '';
  const body = `{"model":"gpt-4o",${stream ? '"stream":true,' : ''}${usage}${limit}${messages('hello there')}}`;
  return { kind: stream ? 'stream' : 'whole', body, stream, hostile: false };
}
