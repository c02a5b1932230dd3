import { countChatPrompt, encodingFor, type ChatMessage } from '@chat-api/billing';
import { median, round } from './stats.js';

export interface TokenizerResult {
  encoding: string;
  model: string;
  /** Prompt tokens of the benchmark chat in this encoding. */
  tokens: number;
  /** The first count in the process, which builds the encoder. */
  firstCallMs: number;
  firstCallRssMb: number;
  /** Median of the following counts, scaled to 10,000 tokens. */
  msPer10kTokens: number;
  iterations: number;
}

const PROSE = [
  'The gateway routes each request to a channel, streams the answer back and bills the tokens it used.',
  "Could you summarise yesterday's incident report in three bullet points, with times in UTC?",
  'Quota is held before the upstream call and settled afterwards, so bursts cannot overspend.',
  'Voici la réponse : le jeton a expiré, veuillez en créer un nouveau dans la console.',
  '请用三句话解释这个错误，并给出修复建议。',
  'function retry(times) { for (let i = 0; i < times; i++) { if (tryOnce(i)) return true; } return false; }',
  'SELECT model, SUM(quota) AS quota FROM logs WHERE created_at >= 1700000000 GROUP BY model;',
  'Numbers like 3.14159, 2,718 and 1e-9 and dates like 2024-05-17T12:34:56Z tokenise differently.',
];

// Replies of this many sentences, this many of them: about 10,000 o200k tokens in all.
const SENTENCES_PER_MESSAGE = 12;
const MESSAGES = 35;

/** A multi-message conversation: prose, code, SQL, French and Chinese. */
function benchmarkChat(): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You are a careful assistant for the operators of an LLM gateway.' },
  ];
  let sentence = 0;
  for (let index = 0; index < MESSAGES; index += 1) {
    const parts = Array.from(
      { length: SENTENCES_PER_MESSAGE },
      () => PROSE[sentence++ % PROSE.length] as string,
    );
    messages.push({ role: index % 2 === 0 ? 'user' : 'assistant', content: parts.join(' ') });
  }
  return messages;
}

function time(run: () => number): { ms: number; value: number } {
  const startedAt = performance.now();
  const value = run();
  return { ms: performance.now() - startedAt, value };
}

function benchmarkModel(model: string, messages: ChatMessage[]): TokenizerResult {
  const rssBefore = process.memoryUsage().rss;
  const first = time(() => countChatPrompt({ messages }, model));
  const firstCallRssMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  const samples: number[] = [];
  const until = performance.now() + 1500;
  while (samples.length < 5 || (performance.now() < until && samples.length < 200)) {
    samples.push(time(() => countChatPrompt({ messages }, model)).ms);
  }
  return {
    encoding: encodingFor(model),
    model,
    tokens: first.value,
    firstCallMs: round(first.ms, 1),
    firstCallRssMb: round(firstCallRssMb, 1),
    msPer10kTokens: round((median(samples) * 10_000) / first.value, 2),
    iterations: samples.length,
  };
}

/**
 * Counting a ~10k-token chat with both encodings, the way the proxy estimates prompts. Runs
 * before anything else in this process counts tokens, so that each first call includes
 * building its encoder.
 */
export function benchmarkTokenizer(): TokenizerResult[] {
  const messages = benchmarkChat();
  return ['gpt-4o-mini', 'gpt-4'].map((model) => benchmarkModel(model, messages));
}
