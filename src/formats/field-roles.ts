/**
 * What each field of a log line is, as far as privacy is concerned: every parser says where its fields are
 * (LineParser.fieldsOf) and which of them identify a person, so that a rejected line can be quarantined with
 * those replaced and the rest scrubbed by the boundary's rules (privacy/redact.ts).
 */
export type FieldRole =
  /** Fields that identify a person: replaced by `{client}`, `{forwarded_for}`, `{user}`, `{ident}`, `{cookie}`, `{body}`. */
  | 'client' | 'forwarded_for' | 'user' | 'ident' | 'cookie' | 'body'
  /** The virtual host: kept when it may be a site name. */
  | 'host'
  /** `METHOD target PROTOCOL`, or a target or path alone. */
  | 'request'
  /** A query string without its `?`. */
  | 'query'
  /** A URL (the referrer). */
  | 'referrer'
  /** Anything else (times, statuses, sizes, agents, fields siftlog does not read): scrubbed. */
  | 'text';

export const IDENTIFYING_ROLES: ReadonlySet<FieldRole> = new Set<FieldRole>(['client', 'forwarded_for', 'user', 'ident', 'cookie', 'body']);

/** One field of a text line: `line.slice(start, end)`. */
export interface FieldSpan {
  start: number;
  end: number;
  role: FieldRole;
}

/**
 * Where the fields of a line are. `text`: spans in order; what lies between them is the format's own literal
 * text (separators, quotes, brackets), and what lies after `splitTo` could not be split into fields.
 * `json`: the parsed object, and the role of each value by its key path.
 */
export type LineFields =
  | { kind: 'text'; spans: readonly FieldSpan[]; splitTo: number }
  | { kind: 'json'; doc: Record<string, unknown>; roleOf: (path: readonly string[]) => FieldRole };

/**
 * Headers, variables, columns and keys that identify a person, by name, whatever the format: `Cookie`,
 * `$http_cookie`, `$cookie_sid`, `%{Cookie}i`, `cs(Cookie)`, `remote_user`, `Authorization`, `From`,
 * `X-Real-IP`, `$realip_remote_addr`, `c-ip`, `ClientAddr`… null for names that say nothing of the kind.
 */
export function roleOfName(name: string): FieldRole | null {
  if (/^%[0-9,!<>]*\{[^}]*\}C$/.test(name.trim())) return 'cookie'; // Apache %{name}C is a cookie, whatever its name
  const key = bareName(name);
  if (key.length === 0) return null;
  if (key === 'requestbody' || key === 'requestbodyfile' || key === 'postdata') return 'body';
  if (key.startsWith('cookie') || key.endsWith('cookie') || key === 'sessionid' || key === 'session') return 'cookie';
  if (FORWARDED.has(key)) return 'forwarded_for';
  if (USER.has(key) || key.endsWith('username') || key.endsWith('email') || key.endsWith('userid')) return 'user';
  if (key === 'l' || key === 'ident' || key === 'remoteident' || key === 'remotelogname') return 'ident';
  if (CLIENT.has(key) || key.endsWith('remoteaddr') || key.endsWith('clientip') || key.endsWith('remoteip')) return 'client';
  return null;
}

const FORWARDED = new Set(['xforwardedfor', 'forwarded', 'forwardedfor', 'proxyaddxforwardedfor', 'sxff', 'xff', 'xrealip',
  'trueclientip', 'cfconnectingip', 'xclientip', 'xclusterclientip', 'fastlyclientip', 'xoriginalforwardedfor']);
const USER = new Set(['u', 'user', 'remoteuser', 'authorization', 'proxyauthorization', 'from', 'login', 'clientusername',
  'authuser', 'userid', 'uid']);
const CLIENT = new Set(['h', 'a', 'ca', 'ch', 'ip', 'client', 'clientaddr', 'clienthost', 'clientport', 'remotehost', 'remoteport',
  'cdns', 'cport', 'remoteaddr', 'binaryremoteaddr', 'realipremoteaddr', 'proxyprotocoladdr', 'addr']);

/**
 * A field's name with its syntax taken off and only letters and digits kept, lower case: `$http_x_real_ip` →
 * `xrealip`, `%{X-Forwarded-For}i` → `xforwardedfor`, `%{c}a` → `ca`, `cs(Cookie)` → `cookie`, `c-ip` → `cip`
 * (then `ip`-suffixed names are clients), `request_User-Agent` → `requestuseragent`.
 */
function bareName(name: string): string {
  let text = name.trim();
  const apache = /^%[0-9,!<>]*\{([^}]*)\}([a-zA-Z])$/.exec(text);
  if (apache) text = apache[2] === 'a' || apache[2] === 'h' ? `${apache[1]}${apache[2]}` : apache[1];
  else if (text.startsWith('%')) text = text.replace(/^%[0-9,!<>]*/, '');
  text = text.replace(/^\$\{?|\}$/g, '').replace(/^(?:cs|sc|s|rs|sr)\((.*)\)$/i, '$1');
  let key = text.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (key.startsWith('http') && key.length > 4 && text.toLowerCase().startsWith('http_')) key = key.slice(4);
  if (key === 'cip') return 'ip';
  return key;
}
