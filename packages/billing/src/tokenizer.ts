import { createRequire } from 'node:module';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { encodingFor, type TokenEncoding } from './token-encoding.js';

/** Counts the tokens of plain text in one encoding. */
export interface Tokenizer {
  readonly encoding: TokenEncoding;
  count(text: string): number;
}

const require = createRequire(import.meta.url);
const rankTables = new Map<TokenEncoding, TiktokenBPE>();

/**
 * An encoding's rank table, loaded on first use: each is ~10 MB, and a proxy whose upstreams
 * report usage never needs one.
 */
function ranksOf(encoding: TokenEncoding): TiktokenBPE {
  let ranks = rankTables.get(encoding);
  if (ranks === undefined) {
    ranks = require(`js-tiktoken/ranks/${encoding}`) as TiktokenBPE;
    rankTables.set(encoding, ranks);
  }
  return ranks;
}

// js-tiktoken merges each regex piece in time quadratic in its length: one 8,000-letter
// "word" takes ~5 s and 32 KB over a minute, on the proxy's event loop. Longer pieces are
// counted in slices of this many UTF-16 units (each slice boundary may add one token);
// words, numbers and CJK clauses are almost always shorter and count exactly.
const MAX_PIECE_LENGTH = 32;

const encoders = new Map<TokenEncoding, Tiktoken>();
const tokenizers = new Map<TokenEncoding, Tokenizer>();

/**
 * The process's one encoder for `encoding`, built on first use: building costs ~0.5–1 s and
 * ~50 MB, so it must never happen per request.
 */
export function encoderFor(encoding: TokenEncoding): Tiktoken {
  let encoder = encoders.get(encoding);
  if (encoder === undefined) {
    encoder = new Tiktoken(ranksOf(encoding));
    encoders.set(encoding, encoder);
  }
  return encoder;
}

/** The tokenizer for `model`'s encoding (see `encodingFor`), shared by every caller. */
export function tokenizerFor(model: string): Tokenizer {
  const encoding = encodingFor(model);
  let tokenizer = tokenizers.get(encoding);
  if (tokenizer === undefined) {
    const pieces = new RegExp(ranksOf(encoding).pat_str, 'gu');
    tokenizer = { encoding, count: (text) => countOrdinary(encoderFor(encoding), pieces, text) };
    tokenizers.set(encoding, tokenizer);
  }
  return tokenizer;
}

/**
 * Tokens of `text` as `model` would read it. Special-token strings a user typed, such as
 * `<|endoftext|>`, are ordinary text to the model and are counted as such.
 */
export function countText(text: string, model: string): number {
  return tokenizerFor(model).count(text);
}

function countOrdinary(encoder: Tiktoken, pieces: RegExp, text: string): number {
  let total = 0;
  let segmentStart = 0;
  for (const match of text.matchAll(pieces)) {
    const piece = match[0];
    if (piece.length <= MAX_PIECE_LENGTH) continue;
    total += encodeOrdinary(encoder, text.slice(segmentStart, match.index));
    for (const slice of slices(piece)) total += encodeOrdinary(encoder, slice);
    segmentStart = match.index + piece.length;
  }
  return total + encodeOrdinary(encoder, text.slice(segmentStart));
}

function encodeOrdinary(encoder: Tiktoken, text: string): number {
  // No allowed and no disallowed special tokens: tiktoken's encode_ordinary, which never throws.
  return text === '' ? 0 : encoder.encode(text, [], []).length;
}

function* slices(piece: string): Generator<string> {
  let start = 0;
  while (start < piece.length) {
    let end = Math.min(start + MAX_PIECE_LENGTH, piece.length);
    // Keep surrogate pairs whole so no slice holds half a character.
    if (isHighSurrogate(piece.charCodeAt(end - 1)) && end < piece.length) end += 1;
    yield piece.slice(start, end);
    start = end;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
