import t from 'tap';
import { FieldKind } from '../../../src/formats/fields.js';
import { parseApacheFormat, parseNginxFormat } from '../../../src/formats/format-string.js';

t.test('nginx combined compiles to fields with the literal text that ends each', async (t) => {
  const spec = parseNginxFormat('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"');
  t.equal(spec.lead, '');
  t.same(spec.fields.map((f) => [f.name, f.kind, f.quoted, f.after]), [
    ['$remote_addr', FieldKind.CLIENT, false, ' - '],
    ['$remote_user', FieldKind.REMOTE_USER, false, ' ['],
    ['$time_local', FieldKind.TIME_CLF, false, '] "'],
    ['$request', FieldKind.REQUEST, true, '" '],
    ['$status', FieldKind.STATUS, false, ' '],
    ['$body_bytes_sent', FieldKind.BYTES, false, ' "'],
    ['$http_referer', FieldKind.REFERRER, true, '" "'],
    ['$http_user_agent', FieldKind.USER_AGENT, true, '"'],
  ]);
});

t.test('nginx.conf quoting, braced variables and header variables are understood', async (t) => {
  const spec = parseNginxFormat(`'\${remote_addr} [$time_local] ' '"$request" $status $http_x_forwarded_for $upstream_addr'`);
  t.same(spec.fields.map((f) => f.kind), [FieldKind.CLIENT, FieldKind.TIME_CLF, FieldKind.REQUEST, FieldKind.STATUS, FieldKind.FORWARDED_FOR, FieldKind.IGNORE]);
  t.equal(spec.lead, '');
  t.equal(spec.fields[0].after, ' [');
});

t.test('Apache LogFormat: %t brings its brackets, %{…}i headers, %>s, %D and config escapes', async (t) => {
  const spec = parseApacheFormat('"%v:%p %h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\" %D %{X-Forwarded-For}i"');
  t.same(spec.fields.map((f) => f.kind), [
    FieldKind.VHOST, FieldKind.IGNORE, FieldKind.CLIENT, FieldKind.IGNORE, FieldKind.REMOTE_USER, FieldKind.TIME_CLF,
    FieldKind.REQUEST, FieldKind.STATUS, FieldKind.BYTES, FieldKind.REFERRER, FieldKind.USER_AGENT, FieldKind.DURATION_US,
    FieldKind.FORWARDED_FOR,
  ]);
  t.equal(spec.fields[4].after, ' [');
  t.equal(spec.fields[5].after, '] "');
  t.equal(spec.fields[6].quoted, true);
});

t.test('Apache time variants map to their units', async (t) => {
  t.equal(parseApacheFormat('%h %{msec}t %r %s').fields[1].kind, FieldKind.TIME_EPOCH_MS);
  t.equal(parseApacheFormat('%h %{%Y-%m-%dT%H:%M:%S%z}t %r %s').fields[1].kind, FieldKind.TIME_ISO);
  t.equal(parseApacheFormat('%h %t %r %s %{ms}T').fields[4].kind, FieldKind.DURATION_MS);
  t.throws(() => parseApacheFormat('%h %{%d.%m.%Y}t %r %s'), { message: /^%\{%d.%m.%Y\}t: only the default %t/ });
});

t.test('a format that cannot be split is refused with the reason', async (t) => {
  t.throws(() => parseNginxFormat('$remote_addr$remote_user'), { message: '$remote_addr and $remote_user have no text between them, so a line cannot be split there' });
  t.throws(() => parseNginxFormat('just text'), { message: 'the format has no fields' });
  t.throws(() => parseApacheFormat('%h %{Referer'), { message: 'unclosed %{ at character 5 of the format' });
});
