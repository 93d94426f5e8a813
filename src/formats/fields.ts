/**
 * What a field of a format string means for a RawHit. nginx variables and Apache directives map to the
 * same kinds, so one compiled extractor serves both languages. Names siftlog does not need map to IGNORE:
 * their text is skipped, never copied.
 */
export enum FieldKind {
  IGNORE,
  /** The client address (or host name). */
  CLIENT,
  /** `address:port`, `[v6]:port` (load balancers): the port is dropped. */
  CLIENT_PORT,
  REMOTE_USER,
  /** `dd/Mon/yyyy:HH:MM:SS +zzzz` (without the brackets). */
  TIME_CLF,
  TIME_ISO,
  TIME_EPOCH_S,
  TIME_EPOCH_MS,
  TIME_EPOCH_US,
  /** HAProxy `dd/Mon/yyyy:HH:MM:SS.mmm`, no zone. */
  TIME_HAPROXY,
  /** `METHOD target PROTOCOL` */
  REQUEST,
  METHOD,
  /** Path plus query, as `$request_uri`. */
  TARGET,
  /** Path only (`$uri`, `%U`); a QUERY field may complete it. */
  PATH,
  QUERY,
  PROTOCOL,
  STATUS,
  BYTES,
  REFERRER,
  USER_AGENT,
  /** Virtual host; a `:port` suffix is dropped. */
  VHOST,
  DURATION_S,
  DURATION_MS,
  DURATION_US,
  FORWARDED_FOR,
  /** The Accept-Language request header (`$http_accept_language`, `%{Accept-Language}i`). */
  ACCEPT_LANGUAGE,
  /** A date without time (`03/20/98`, `03/20/1998`: IIS native logs), completed by a TIME_OF_DAY field. */
  DATE_MDY,
  /** `7:55:20` / `07:55:20.123`, the time of day a DATE_MDY field dates. */
  TIME_OF_DAY,
}

/** nginx variables (ngx_http_log_module and ngx_http_core_module), plus siftlog names for AWS/HAProxy fields. */
export const NGINX_VARIABLES: Record<string, FieldKind> = {
  remote_addr: FieldKind.CLIENT,
  binary_remote_addr: FieldKind.IGNORE,
  realip_remote_addr: FieldKind.IGNORE,
  remote_user: FieldKind.REMOTE_USER,
  time_local: FieldKind.TIME_CLF,
  time_iso8601: FieldKind.TIME_ISO,
  msec: FieldKind.TIME_EPOCH_S,
  request: FieldKind.REQUEST,
  request_method: FieldKind.METHOD,
  request_uri: FieldKind.TARGET,
  uri: FieldKind.PATH,
  document_uri: FieldKind.PATH,
  args: FieldKind.QUERY,
  query_string: FieldKind.QUERY,
  server_protocol: FieldKind.PROTOCOL,
  status: FieldKind.STATUS,
  body_bytes_sent: FieldKind.BYTES,
  bytes_sent: FieldKind.BYTES,
  http_referer: FieldKind.REFERRER,
  http_user_agent: FieldKind.USER_AGENT,
  host: FieldKind.VHOST,
  http_host: FieldKind.VHOST,
  server_name: FieldKind.VHOST,
  request_time: FieldKind.DURATION_S,
  http_x_forwarded_for: FieldKind.FORWARDED_FOR,
  proxy_add_x_forwarded_for: FieldKind.FORWARDED_FOR,
  // siftlog's names for fields of formats that have no format-string language of their own.
  client_port: FieldKind.CLIENT_PORT,
  time_haproxy: FieldKind.TIME_HAPROXY,
  time_epoch_ms: FieldKind.TIME_EPOCH_MS,
  time_epoch_us: FieldKind.TIME_EPOCH_US,
  duration_ms: FieldKind.DURATION_MS,
  duration_us: FieldKind.DURATION_US,
  date_mdy: FieldKind.DATE_MDY,
  time_of_day: FieldKind.TIME_OF_DAY,
};

/** Apache mod_log_config directives without a `{…}` argument. */
export const APACHE_DIRECTIVES: Record<string, FieldKind> = {
  h: FieldKind.CLIENT,
  a: FieldKind.CLIENT,
  l: FieldKind.IGNORE,
  u: FieldKind.REMOTE_USER,
  t: FieldKind.TIME_CLF,
  r: FieldKind.REQUEST,
  m: FieldKind.METHOD,
  U: FieldKind.PATH,
  q: FieldKind.QUERY,
  H: FieldKind.PROTOCOL,
  s: FieldKind.STATUS,
  b: FieldKind.BYTES,
  B: FieldKind.BYTES,
  O: FieldKind.BYTES,
  v: FieldKind.VHOST,
  V: FieldKind.VHOST,
  D: FieldKind.DURATION_US,
  T: FieldKind.DURATION_S,
};

/** Request headers (`%{Name}i`, `$http_name`) siftlog reads, by lower-case name. */
export const HEADER_FIELDS: Record<string, FieldKind> = {
  referer: FieldKind.REFERRER,
  'user-agent': FieldKind.USER_AGENT,
  host: FieldKind.VHOST,
  'x-forwarded-for': FieldKind.FORWARDED_FOR,
  'accept-language': FieldKind.ACCEPT_LANGUAGE,
};

/** Fields a format must have to yield hits at all. */
export function missingEssentials(kinds: readonly FieldKind[]): string[] {
  const has = (...k: FieldKind[]) => k.some((x) => kinds.includes(x));
  const missing: string[] = [];
  if (!has(FieldKind.CLIENT, FieldKind.CLIENT_PORT)) missing.push('the client address ($remote_addr / %h)');
  if (!has(FieldKind.TIME_CLF, FieldKind.TIME_ISO, FieldKind.TIME_EPOCH_S, FieldKind.TIME_EPOCH_MS, FieldKind.TIME_EPOCH_US, FieldKind.TIME_HAPROXY)
    && !(has(FieldKind.DATE_MDY) && has(FieldKind.TIME_OF_DAY))) {
    missing.push('a time ($time_local / %t)');
  }
  if (!has(FieldKind.REQUEST, FieldKind.TARGET, FieldKind.PATH)) missing.push('the request ($request / %r)');
  if (!has(FieldKind.STATUS)) missing.push('the status ($status / %>s)');
  return missing;
}
