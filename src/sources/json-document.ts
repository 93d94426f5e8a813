import type { Readable } from 'node:stream';
import Parser from 'stream-json/Parser.js';
import Pick from 'stream-json/filters/Pick.js';
import StreamArray from 'stream-json/streamers/StreamArray.js';

/** A JSON document holding many records, rather than one record per line (NDJSON). */
export type JsonDocumentKind = 'array' | 'records';

/**
 * Recognises `[ {…}, {…} ]` and `{"Records": [ … ]}` (AWS exports) from the first decoded text. NDJSON
 * starts with `{` too, but its first object is not a `Records` wrapper.
 */
export function detectJsonDocument(head: string): JsonDocumentKind | null {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const start = text.search(/\S/);
  if (start < 0) return null;
  if (text[start] === '[') return 'array';
  if (text[start] === '{' && /^\{\s*"Records"\s*:\s*\[/.test(text.slice(start, start + 200))) return 'records';
  return null;
}

/**
 * Streams the records of a JSON document with stream-json (the document is never held in memory whole),
 * yielding each record as one line of JSON for the JSON parsers. Batches of up to `batchSize` lines.
 */
export async function* jsonDocumentRecords(bytes: Readable, kind: JsonDocumentKind, batchSize = 5_000): AsyncGenerator<string[]> {
  const parser = new Parser();
  bytes.on('error', (err) => parser.destroy(err));
  let tokens: NodeJS.ReadableStream = bytes.pipe(parser);
  if (kind === 'records') tokens = tokens.pipe(new Pick({ filter: 'Records' }));
  const records = tokens.pipe(new StreamArray());
  parser.on('error', (err) => records.destroy(err));
  let batch: string[] = [];
  try {
    for await (const item of records as AsyncIterable<{ key: number; value: unknown }>) {
      batch.push(JSON.stringify(item.value));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    // The records before a damaged or cut-off part are kept, like the lines before a truncated gzip.
    if (batch.length > 0) yield batch;
    const message = (err as Error).message;
    throw /^Parser /.test(message) ? new Error(`the JSON document is damaged or ends early (${message})`) : err;
  }
  if (batch.length > 0) yield batch;
}
