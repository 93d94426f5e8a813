/**
 * TEST-ONLY HARNESS — never part of siftlog, never for production data.
 *
 * Serves the embedded engine (chdb) over ClickHouse's HTTP interface, the protocol `@clickhouse/client`
 * speaks to a server, so that siftlog's server code path (--url: HTTP, auth, settings, errors, retries,
 * publishing) runs against the real engine in CI, where no modern ClickHouse server can be installed.
 * Run as its own process (`node <this file> <data dir> <users JSON>`, started by chdb-http.ts): it
 * prints `listening <port>` once it accepts requests, like a server that owns its data folder.
 *
 * What it implements of the HTTP interface: `/ping`; the query as the `query` URL parameter and/or the
 * request body (joined by a newline, as the server does for inserts); `database`; `param_<name>` query
 * parameters; every other URL parameter as a setting of that request only (a fresh engine session per
 * request, so a setting never leaks into the next one); `default_format` (TabSeparated when absent);
 * HTTP basic auth, `X-ClickHouse-User`/`-Key` headers or `user`/`password` parameters against the users
 * it was given (a user may carry a `readonly` level, as a settings profile would); gzip request bodies
 * and, with `enable_http_compression=1`, gzip responses; errors as the server sends them (the text
 * `Code: N. DB::Exception: … (NAME)` with an error status and `X-ClickHouse-Exception-Code`).
 * What it does not: sessions (`session_id`), progress headers, formats chosen by Accept headers, RBAC
 * (chdb has no access storage: GRANTs cannot be shown here, see test/e2e/server-*.test.ts).
 *
 * Faults for retry tests, set with `POST /__harness/faults` (JSON list of rules, each used `times` times
 * on requests whose SQL matches `match`): `drop-before` closes the connection without running the
 * statement, `drop-after` runs it and then closes the connection without an answer, `delay` waits `ms`
 * before running it. `POST /__harness/pause?ms=N` stops listening for N ms (connections are refused).
 * `GET /__harness/log` lists the statements run so far, one JSON string per line.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Session } from 'chdb';

interface HarnessUser {
  password: string;
  readonly?: number;
}

interface FaultRule {
  action: 'drop-before' | 'drop-after' | 'delay';
  match?: string;
  times: number;
  ms?: number;
}

const [dataDir, usersJson] = process.argv.slice(2);
const users: Record<string, HarnessUser> = usersJson ? (JSON.parse(usersJson) as Record<string, HarnessUser>) : { default: { password: '' } };
const VERSION = '26.7.2.1';
/** URL parameters of the HTTP interface itself: everything else is a setting. */
const NOT_SETTINGS = new Set([
  'query', 'database', 'default_format', 'query_id', 'session_id', 'session_timeout', 'session_check', 'user', 'password',
  'quota_key', 'compress', 'decompress', 'buffer_size', 'wait_end_of_query', 'enable_http_compression',
  'send_progress_in_http_headers', 'http_headers_progress_interval_ms', 'http_zlib_compression_level', 'role',
]);
let faults: FaultRule[] = [];
const log: string[] = [];
// The harness's own session keeps the data folder bound for the life of the process.
const keeper = new Session(dataDir);

const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => {
    if (!res.headersSent) res.writeHead(500);
    res.end(`Code: 1001. DB::Exception: harness: ${String(err)}. (STD_EXCEPTION)\n`);
  });
});
let port = 0;
server.listen(0, '127.0.0.1', () => {
  port = (server.address() as { port: number }).port;
  process.stdout.write(`listening ${port}\n`);
});
process.on('SIGTERM', () => {
  keeper.close();
  process.exit(0);
});

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://harness');
  const raw = await body(req);
  if (url.pathname === '/ping') return void res.end('Ok.\n');
  if (url.pathname === '/__harness/faults') {
    faults = JSON.parse(raw.toString('utf8')) as FaultRule[];
    return void res.end('ok\n');
  }
  if (url.pathname === '/__harness/log') return void res.end(log.map((s) => `${JSON.stringify(s)}\n`).join(''));
  if (url.pathname === '/__harness/pause') {
    res.end('ok\n');
    server.close();
    server.closeAllConnections();
    setTimeout(() => server.listen(port, '127.0.0.1'), Number(url.searchParams.get('ms') ?? 1000));
    return;
  }
  const user = authenticate(req, url);
  if (user === null) return error(res, 403, 516, 'AUTHENTICATION_FAILED', `${userName(req, url)}: Authentication failed: password is incorrect, or there is no user with such name`);
  const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
  const fromUrl = url.searchParams.get('query');
  const sql = fromUrl === null ? text : text.length > 0 ? `${fromUrl}\n${text}` : fromUrl;
  if (sql.trim() === '') return error(res, 400, 62, 'SYNTAX_ERROR', 'Empty query');
  const fault = faults.find((f) => f.times > 0 && (f.match === undefined || new RegExp(f.match).test(sql)));
  if (fault !== undefined) fault.times--;
  if (fault?.action === 'drop-before') return void req.socket.destroy();
  if (fault?.action === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms ?? 1000));
  const session = new Session(dataDir);
  try {
    if (user.readonly !== undefined) await session.queryAsync(`SET readonly = ${user.readonly}`);
    for (const [key, value] of url.searchParams) {
      if (key.startsWith('param_')) {
        if (!/^param_[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return error(res, 400, 36, 'BAD_ARGUMENTS', `bad parameter name ${key}`);
        await session.queryAsync(`SET ${key} = ${literal(value)}`);
      } else if (!NOT_SETTINGS.has(key) && !key.startsWith('http_')) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return error(res, 400, 115, 'UNKNOWN_SETTING', `Unknown setting ${key}`);
        await session.queryAsync(`SET ${key} = ${literal(value)}`);
      }
    }
    const database = url.searchParams.get('database');
    if (database !== null) await session.queryAsync(`USE \`${database.replace(/`/g, '')}\``);
    log.push(sql.length > 2000 ? `${sql.slice(0, 2000)}…` : sql);
    const result = await session.queryAsync(sql, { format: url.searchParams.get('default_format') ?? 'TabSeparated' });
    if (fault?.action === 'drop-after') return void req.socket.destroy();
    const summary = { read_rows: String(result.rowsRead), read_bytes: String(result.bytesRead), written_rows: '0', written_bytes: '0', total_rows_to_read: '0', result_rows: '0', result_bytes: '0', elapsed_ns: String(Math.round(result.elapsed * 1e9)) };
    const headers: Record<string, string> = {
      'X-ClickHouse-Query-Id': url.searchParams.get('query_id') ?? randomUUID(),
      'X-ClickHouse-Summary': JSON.stringify(summary),
      'X-ClickHouse-Timezone': 'UTC',
      'X-ClickHouse-Server-Display-Name': 'siftlog-test-harness',
      'Content-Type': 'text/plain; charset=UTF-8',
    };
    let out = Buffer.from(result.bytes());
    if (url.searchParams.get('enable_http_compression') === '1' && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      out = gzipSync(out);
      headers['Content-Encoding'] = 'gzip';
    }
    res.writeHead(200, headers);
    res.end(out);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const match = /^Code: (\d+)\. DB::Exception: ([\s\S]*?) \((\w+)\)\s*$/.exec(message.trim());
    if (match === null) return error(res, 500, 1001, 'STD_EXCEPTION', message);
    const code = Number(match[1]);
    return error(res, code === 62 ? 400 : code === 60 || code === 81 ? 404 : code === 497 ? 403 : 500, code, match[3], match[2]);
  } finally {
    session.close();
  }
}

function error(res: ServerResponse, status: number, code: number, name: string, message: string): void {
  res.writeHead(status, { 'X-ClickHouse-Exception-Code': String(code), 'Content-Type': 'text/plain; charset=UTF-8' });
  res.end(`Code: ${code}. DB::Exception: ${message}. (${name}) (version ${VERSION} (official build))\n`);
}

function userName(req: IncomingMessage, url: URL): string {
  return credentials(req, url)[0];
}

function credentials(req: IncomingMessage, url: URL): [string, string] {
  const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''));
  if (basic !== null) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  const header = req.headers['x-clickhouse-user'];
  if (typeof header === 'string') return [header, String(req.headers['x-clickhouse-key'] ?? '')];
  return [url.searchParams.get('user') ?? 'default', url.searchParams.get('password') ?? ''];
}

function authenticate(req: IncomingMessage, url: URL): HarnessUser | null {
  const [name, password] = credentials(req, url);
  const user = users[name];
  return user !== undefined && user.password === password ? user : null;
}

/** A SQL string literal whose content is `value` exactly. */
function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
