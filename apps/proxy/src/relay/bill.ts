import {
  ceilOfProduct,
  imagePriceFactor,
  quotaFor,
  type Price,
  type Usage,
} from '@chat-api/billing';
import { LogType, nowSeconds, type Consumption, type HeldQuota, type Payer } from '@chat-api/db';
import type { ClientRequest, NativeFormat } from '@chat-api/providers';
import type { Endpoint } from './endpoints.js';
import type { StreamOutcome } from './forward-stream.js';

export interface Charge {
  endpoint: Endpoint;
  price: Price;
  quotaPerUnit: number;
  /** Tokens the upstream reported (or, later, that we counted). */
  usage: Usage;
  /** images: how many × their size/quality factor; characters: input length; call: 1, or the
   * minutes of audio a transcription reported. */
  units: number;
}

/** The quota a finished request costs (DESIGN §6). */
export function quotaOfCharge({ endpoint, price, quotaPerUnit, usage, units }: Charge): number {
  switch (endpoint.billing) {
    case 'tokens':
      return quotaFor(usage, price, quotaPerUnit);
    case 'characters':
      return quotaFor({ promptTokens: units, completionTokens: 0 }, price, quotaPerUnit);
    case 'images':
    case 'call':
      return ceilOfProduct([
        units,
        quotaFor({ promptTokens: 0, completionTokens: 0 }, price, quotaPerUnit),
      ]);
  }
}

/** Longer than any upload the audio endpoints accept (25 MB). */
const MAX_AUDIO_SECONDS = 24 * 3600;

/**
 * images: how many were asked for (made or edited), by size and quality; speech: input
 * characters; transcriptions: the minutes of audio the upstream reported (one when it did not).
 */
export function unitsOf(
  endpoint: Endpoint,
  client: ClientRequest,
  answer: string | undefined,
): number {
  const json = client.json;
  switch (endpoint.billing) {
    case 'tokens':
      return 1; // billed by usage; nothing to read
    case 'images': {
      // The JSON body, or the form of an upload (image edits) whose `n` is written in digits;
      // either way `n` was checked to be a whole number from 1 to 10 (client-numbers.ts).
      const fields = json ?? client.form;
      const count = fields?.n == null ? 1 : Number(fields.n);
      return count * imagePriceFactor(client.model, fields?.size, fields?.quality);
    }
    case 'characters':
      return typeof json?.input === 'string' ? json.input.length : 0;
    case 'call': {
      const seconds = Number(answer && /"seconds"\s*:\s*([\d.]+)/.exec(answer)?.[1]);
      // An upstream's number is untrusted: nonsense (NaN, days of audio) bills one minute.
      if (!(seconds > 0 && seconds <= MAX_AUDIO_SECONDS)) return 1;
      return Math.ceil(seconds / 60);
    }
  }
}

/** What the consume log notes beyond the price: usage the gateway counted, a cut stream. */
export interface BillMarks {
  usageCounted?: true;
  streamEnd?: Exclude<StreamOutcome['end'], 'complete'>;
  /** The client's format, when not OpenAI's (DESIGN §5a: the log records it). */
  clientFormat?: NativeFormat;
}

/**
 * The consume log's `other` (JSON): the price, the prompt-cache tokens billed apart, and the
 * marks, so that an admin can redo the sum.
 */
export function billNote(price: Price, usage: Usage, marks: BillMarks | undefined): string {
  const cached = usage.cachedTokens ?? 0;
  const cacheWrites = usage.cacheWriteTokens ?? 0;
  if (!marks && cached === 0 && cacheWrites === 0) return priceNote(price);
  const cache =
    cached > 0 || cacheWrites > 0 ? { cachedTokens: cached, cacheWriteTokens: cacheWrites } : {};
  return JSON.stringify(Object.assign({}, price, cache, marks));
}

const priceNotes = new WeakMap<Price, string>();

/**
 * The price alone as JSON, worked out once per price: PriceBook hands out the same object for a
 * model and group until the prices change.
 */
function priceNote(price: Price): string {
  let note = priceNotes.get(price);
  if (note === undefined) {
    note = JSON.stringify(price);
    priceNotes.set(price, note);
  }
  return note;
}

export interface RequestRecord {
  payer: Payer;
  /** Held at admission; the bill replaces it with `quota`. */
  held: HeldQuota;
  remindBelow: number;
  /** LogConsumeEnabled: without it the request is billed but writes no consume log. */
  keepLog: boolean;
  token: { name: string };
  owner: { id: number; username: string };
  channelId: number;
  model: string;
  quota: number;
  usage: Usage;
  isStream: boolean;
  ttftMs: number;
  durationMs: number;
  requestId: string;
  /** Details for admins, as JSON: ratios used, abort and missing-usage marks. */
  other: string;
}

/**
 * The bill of an answered request: what its key, owner and channel pay, and its consume log.
 * Built field by field: V8 copies a spread object slowly, and this runs on every request.
 */
export function consumptionOf(record: RequestRecord): Consumption {
  const { payer } = record;
  return {
    tokenId: payer.tokenId,
    keyHash: payer.keyHash,
    userId: payer.userId,
    unlimitedQuota: payer.unlimitedQuota,
    channelId: record.channelId,
    quota: record.quota,
    held: record.held,
    remindBelow: record.remindBelow,
    keepLog: record.keepLog,
    log: {
      userId: record.owner.id,
      type: LogType.consume,
      createdAt: nowSeconds(),
      username: record.owner.username,
      tokenName: record.token.name,
      tokenId: payer.tokenId,
      model: record.model,
      channelId: record.channelId,
      promptTokens: record.usage.promptTokens,
      completionTokens: record.usage.completionTokens,
      quota: record.quota,
      isStream: record.isStream,
      ttftMs: Math.round(record.ttftMs),
      durationMs: Math.round(record.durationMs),
      requestId: record.requestId,
      other: record.other,
    },
  };
}
