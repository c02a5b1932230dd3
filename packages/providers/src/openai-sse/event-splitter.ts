const LF = 0x0a;
const CR = 0x0d;

// An event ends at its first blank line. Lines end with `\n`, `\r\n` or `\r`, so two
// line endings in a row always contain one of these pairs (`\r\n` alone is one ending).

/**
 * Cuts a byte stream into whole server-sent events, each returned as its exact original
 * bytes including the blank line that ends it. Works on bytes only, so chunks may split
 * anything, a UTF-8 character included. Events that lie inside one pushed chunk are views
 * of that chunk, not copies; only an event spread over several chunks is joined.
 */
export class SseEventSplitter {
  /** The event in progress, as the pieces of the chunks it arrived in. */
  #pending: Buffer[] = [];
  /** The pending event is complete but ended in `\n\r`: a `\n` next would still be its own. */
  #awaitingLf = false;

  push(chunk: Buffer): Buffer[] {
    const events: Buffer[] = [];
    if (chunk.length === 0) return events;
    // One native scan; streams framed with `\n` alone (nearly all) then take the fast search.
    const lineFeedsOnly = chunk.indexOf(CR) === -1;
    let start = 0;
    if (this.#awaitingLf) {
      this.#awaitingLf = false;
      start = chunk[0] === LF ? 1 : 0;
      events.push(this.#take(chunk.subarray(0, start)));
    }
    for (;;) {
      // A blank line may begin in the bytes already pending: only the last one matters.
      const before = start === 0 ? this.#lastPendingByte() : undefined;
      let end =
        before !== undefined && seamIsBlankLine(before, chunk[0])
          ? 1
          : findBlankLine(chunk, start, lineFeedsOnly);
      if (end === -1) break;
      if (chunk[end - 1] === CR) {
        if (end < chunk.length) {
          if (chunk[end] === LF) end += 1;
        } else if ((end >= 2 ? chunk[end - 2] : before) === LF) {
          // `\r\n\r` framing cut before its last `\n`. (`\r\r` means `\r` framing: no wait.)
          this.#pending.push(chunk.subarray(start));
          this.#awaitingLf = true;
          return events;
        }
      }
      events.push(this.#take(viewOf(chunk, start, end)));
      start = end;
    }
    if (start < chunk.length) this.#pending.push(chunk.subarray(start));
    return events;
  }

  /** The bytes of an event the stream never finished, if any; the splitter is then empty. */
  flush(): Buffer | undefined {
    this.#awaitingLf = false;
    if (this.#pending.length === 0) return undefined;
    return this.#take(Buffer.alloc(0));
  }

  /**
   * Whether push(chunk) would return whole events covering exactly the chunk and hold nothing
   * back: the caller may then take the chunk as it is, without pushing it (the splitter's state
   * would be the same). Only for `\n` framing, with a blank line at the end that is not part of
   * a longer run of line feeds (where a cut could fall one byte short of the end).
   */
  cutsWhole(chunk: Buffer): boolean {
    const n = chunk.length;
    return (
      this.#pending.length === 0 &&
      n >= 2 &&
      chunk[n - 1] === LF &&
      chunk[n - 2] === LF &&
      (n === 2 || chunk[n - 3] !== LF) &&
      chunk.indexOf(CR) === -1
    );
  }

  /** True while the bytes of an unfinished event are held. */
  get midEvent(): boolean {
    return this.#pending.length > 0 && !this.#awaitingLf;
  }

  /** The pending pieces followed by `last`, as one event; the pending list is emptied. */
  #take(last: Buffer): Buffer {
    if (this.#pending.length === 0) return last;
    const pieces = this.#pending;
    this.#pending = [];
    if (last.length > 0) pieces.push(last);
    return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
  }

  #lastPendingByte(): number | undefined {
    const last = this.#pending.at(-1);
    return last?.[last.length - 1];
  }
}

/** Whether a line ending in `before` and one starting at `first` make a blank line. */
function seamIsBlankLine(before: number, first: number | undefined): boolean {
  return first === CR ? before === LF || before === CR : first === LF && before === LF;
}

/** `buf[start, end)`: the chunk itself when that is all of it (the usual event per chunk). */
function viewOf(buf: Buffer, start: number, end: number): Buffer {
  return start === 0 && end === buf.length ? buf : buf.subarray(start, end);
}

/**
 * The offset just after the first byte pair of the first blank line in `buf` at or after
 * `from`, or -1. Without any `\r`, a native search jumps from line feed to line feed (an
 * event is mostly one long `data:` line); otherwise one pass in JavaScript, which costs less
 * than the native searches for each line-ending pair it would take.
 */
function findBlankLine(buf: Buffer, from: number, lineFeedsOnly: boolean): number {
  const last = buf.length - 1;
  if (lineFeedsOnly) {
    for (let i = buf.indexOf(LF, from); i !== -1 && i < last; i = buf.indexOf(LF, i + 1)) {
      if (buf[i + 1] === LF) return i + 2;
    }
    return -1;
  }
  for (let i = from; i < last; i++) {
    const byte = buf[i];
    if (byte === LF) {
      const next = buf[i + 1];
      if (next === LF || next === CR) return i + 2;
    } else if (byte === CR && buf[i + 1] === CR) {
      return i + 2;
    }
  }
  return -1;
}
