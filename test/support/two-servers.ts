import { CHROME_UA, FIREFOX_UA, line, SAFARI_UA } from './visit-pipeline.js';

// Logs whose visits, goals, e-mail events and durations are worked out by hand in test/e2e/queries.test.ts
// (and used again by test/e2e/grafana.test.ts): two servers' logs interleaved (nginx combined +
// $request_time), a visit across midnight that goes on in the second run, a crawler, e-mail opens and clicks.

export const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const at = (ip: string, when: string, request: string, status: number, referrer: string, agent: string, seconds?: string) =>
  `${line(ip, when, request, status, referrer, agent)}${seconds === undefined ? '' : ` ${seconds}`}`;
const d30 = (time: string) => `30/Nov/2026:${time}`;
const d01 = (time: string) => `01/Dec/2026:${time}`;
const GOOGLE = 'https://www.google.com/search?q=log+analytics';
const HOME = 'https://www.example.com/';

// 30 November, servers A and B (nginx combined + $request_time).
export const SERVER_A = [
  at('203.0.113.50', d30('08:00:00'), 'GET /t/open.gif?c=nov&r=r-111', 200, '-', PROXY, '0.001'),
  at('203.0.113.50', d30('08:30:00'), 'GET /t/open.gif?c=nov&r=r-111', 200, '-', PROXY, '0.001'),
  // Visit 1 (Firefox, from a Google search, signs up) goes back and forth between A and B.
  at('203.0.113.10', d30('09:00:00'), 'GET /', 200, GOOGLE, FIREFOX_UA, '0.020'),
  at('203.0.113.10', d30('09:05:00'), 'POST /signup', 302, `${HOME}pricing`, FIREFOX_UA, '0.150'),
  // Visit 3 (Chrome) starts with a click in the November mailing.
  at('192.0.2.30', d30('10:59:58'), 'GET /t/click?c=nov&r=r-222&u=https%3A%2F%2Fwww.example.com%2F', 302, '-', CHROME_UA, '0.002'),
  at('192.0.2.30', d30('11:00:00'), 'GET /?utm_source=newsletter&utm_medium=email&utm_campaign=nov', 200, '-', CHROME_UA, '0.018'),
  at('192.0.2.30', d30('11:03:00'), 'POST /signup', 302, `${HOME}pricing`, CHROME_UA, '0.120'),
  // A crawler: a page and a failing one.
  at('66.249.66.1', d30('12:00:00'), 'GET /', 200, '-', GOOGLEBOT, '0.010'),
  at('66.249.66.1', d30('12:00:05'), 'GET /pricing', 500, '-', GOOGLEBOT, '2.500'),
  // Visit 4 (Firefox) starts before midnight...
  at('203.0.113.60', d30('23:50:00'), 'GET /docs', 200, '-', FIREFOX_UA, '0.025'),
];
export const SERVER_B = [
  at('203.0.113.51', d30('08:40:00'), 'GET /t/open.gif?c=nov&r=r-222', 200, '-', PROXY, '0.001'),
  at('203.0.113.10', d30('09:02:00'), 'GET /pricing', 200, HOME, FIREFOX_UA, '0.030'),
  at('203.0.113.10', d30('09:05:01'), 'GET /welcome', 200, `${HOME}pricing`, FIREFOX_UA, '0.040'),
  // Visit 2 (Safari, from Hacker News): one page, a bounce.
  at('198.51.100.20', d30('10:00:00'), 'GET /blog/hello', 200, 'https://news.ycombinator.com/', SAFARI_UA, '0.015'),
  at('192.0.2.30', d30('11:01:00'), 'GET /pricing', 200, HOME, CHROME_UA, '0.035'),
  at('203.0.113.60', d30('23:59:00'), 'GET /missing', 404, `${HOME}docs`, FIREFOX_UA, '0.005'),
  at('203.0.113.60', d01('00:05:00'), 'GET /docs/install', 200, `${HOME}docs`, FIREFOX_UA, '0.045'),
];
// The next run: a server whose format logs no duration (combined). Visit 4 goes on and signs up; visit 5.
export const NEXT = [
  at('203.0.113.60', d01('00:20:00'), 'POST /signup', 302, `${HOME}docs/install`, FIREFOX_UA),
  at('198.51.100.5', d01('00:30:00'), 'GET /pricing', 200, '-', CHROME_UA),
];

