import type { LineFields } from './field-roles.js';

/**
 * A request as the log line states it. It still carries identity (client address, remote user, full
 * request target with its query string), so it must never travel past src/privacy: the boundary turns it
 * into an AnonHit, whose type has no field that can hold any of these.
 */
export interface RawHit {
  /** Request time, milliseconds since the epoch (UTC instant). */
  time: number;
  /** Client address or host name exactly as logged. */
  clientAddress: string;
  /** The authenticated user (`%u`, `$remote_user`); '' when '-'. */
  remoteUser: string;
  method: string;
  /** Request target as logged: path plus query string. */
  target: string;
  protocol: string;
  status: number;
  /** Response body bytes; 0 when '-'. */
  bytes: number;
  /** Referrer URL; '' when '-' or absent. */
  referrer: string;
  /** User agent; null when the format has no such field, '' when logged as '-' or empty. */
  userAgent: string | null;
  /** Virtual host / server name when the format carries one, else ''. */
  vhost: string;
  /** Time the server took for the request, milliseconds; -1 when the format does not log it. */
  durationMs: number;
  /**
   * The X-Forwarded-For value as logged ('' when absent or '-'). Informational: when the pipeline lists
   * `trusted_proxies`, the parser has already resolved it into clientAddress.
   */
  forwardedFor: string;
  /** The Accept-Language request header when the format logs it, else ''. */
  acceptLanguage: string;
}

/** Why a line could not become a RawHit. Keys are stable: they appear in summaries and quarantine files. */
export const REJECT_REASONS = {
  empty_line: 'the line is empty',
  not_access_log: 'the line does not have the shape of the chosen format',
  bad_timestamp: 'the time field is missing or not a valid time in the format\'s time syntax',
  bad_request_line: 'the request field is not an HTTP request line ("METHOD target PROTOCOL")',
  bad_status: 'the status is not a three-digit HTTP status',
  bad_bytes: 'the size field is neither a number nor "-"',
  line_too_long: 'the line is longer than the line-length cap',
  missing_field: 'a field the format needs (client address, time, request, status) is absent',
  no_fields_header: 'a W3C data line came before any #Fields: header, so its columns are unknown',
  bad_json: 'the line is not a JSON object',
  nul_bytes: 'the line contains NUL bytes (binary data, or a file that was being written when it was copied)',
  identifier_in_output: 'a value bound for the store looked like an address, e-mail or unlisted query key in a column not meant to hold one (the privacy output check)',
  // Checked before a row is encoded (sink/clickhouse/columns.ts): values the store's types cannot hold.
  time_out_of_range: 'the time is outside what the store holds (1970-01-01 to 2106-02-07 06:28:15 UTC)',
  value_out_of_range: 'a number is outside what its column holds (status up to 65535, size up to 2^53, ASN up to 2^32-1)',
} as const;

export type RejectReason = keyof typeof REJECT_REASONS;

/** Things a parser accepted but repaired; counted so nothing is changed silently. */
export const REPAIRS = {
  unterminated_quote: 'the last quoted field had no closing quote; the rest of the line was taken as its value',
} as const;

export type RepairKind = keyof typeof REPAIRS;

/**
 * Lines that are not requests and are not errors either: counted, never quarantined. A W3C `#Fields:` or
 * `#Date:` directive, a load-balancer record of a TCP (not HTTP) listener.
 */
export const SKIPS = {
  directive: 'a W3C directive line (#Software, #Version, #Date, #Fields, #Remark)',
  non_http_record: 'a load-balancer record of a TCP/TLS listener, which carries no HTTP request',
} as const;

export type SkipKind = keyof typeof SKIPS;

/** null: the line became a hit; a RejectReason: quarantined; a SkipKind: counted and passed over. */
export type ParseOutcome = RejectReason | SkipKind | null;

export function isSkip(outcome: RejectReason | SkipKind): outcome is SkipKind {
  return outcome === 'directive' || outcome === 'non_http_record';
}

/** A parser writes the hit into `out` and returns null, or returns why the line was rejected. */
export interface LineParser {
  readonly name: string;
  parse(line: string, out: RawHit): ParseOutcome;
  /** Set by the last parse() call when it repaired the line; reset at each call. */
  lastRepair: RepairKind | null;
  /**
   * Where the fields of a line are and which of them identify a person, for quarantining a rejected line
   * with those replaced; null when the line cannot be split into this format's fields at all. Reads the
   * parser's state as parse() left it (a W3C parser's current #Fields), changes nothing.
   */
  fieldsOf(line: string): LineFields | null;
}

export function emptyRawHit(): RawHit {
  return {
    time: 0, clientAddress: '', remoteUser: '', method: '', target: '', protocol: '', status: 0, bytes: 0,
    referrer: '', userAgent: null, vhost: '', durationMs: -1, forwardedFor: '', acceptLanguage: '',
  };
}
