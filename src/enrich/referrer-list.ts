/**
 * The curated list behind referrer classes (docs/enrichment.md lists it for users). Hosts are matched on
 * themselves and on each parent domain (`l.facebook.com` matches `facebook.com`); search brands also match
 * under any country domain (`google.co.uk`, `yandex.com.tr`, `search.yahoo.co.jp`).
 */
export type { ReferrerClass } from '../privacy/lookups.js';

export interface KnownSource {
  class: 'search' | 'social' | 'email';
  /** Display name: the search engine, network or mail service. */
  name: string;
  /** Query parameters that carry the search keyword, in order of preference (search only). */
  keywordParams?: readonly string[];
}

const search = (name: string, ...keywordParams: string[]): KnownSource => ({ class: 'search', name, keywordParams });
const social = (name: string): KnownSource => ({ class: 'social', name });
const email = (name: string): KnownSource => ({ class: 'email', name });

/** Exact hosts and parent domains. Checked before the brands below, so mail.google.com is not Google search. */
export const KNOWN_HOSTS: ReadonlyMap<string, KnownSource> = new Map<string, KnownSource>([
  // Webmail and mail apps
  ['mail.google.com', email('Gmail')], ['com.google.android.gm', email('Gmail')], ['inbox.google.com', email('Gmail')],
  ['outlook.live.com', email('Outlook')], ['outlook.office.com', email('Outlook')], ['outlook.office365.com', email('Outlook')],
  ['mail.live.com', email('Outlook')], ['mail.yahoo.com', email('Yahoo Mail')], ['mail.yahoo.co.jp', email('Yahoo Mail')],
  ['mail.aol.com', email('AOL Mail')], ['mail.proton.me', email('Proton Mail')], ['mail.protonmail.com', email('Proton Mail')],
  ['mail.zoho.com', email('Zoho Mail')], ['mail.zoho.eu', email('Zoho Mail')], ['mail.yandex.ru', email('Yandex Mail')],
  ['mail.yandex.com', email('Yandex Mail')], ['e.mail.ru', email('Mail.ru')], ['mail.gmx.net', email('GMX')],
  ['navigator.gmx.net', email('GMX')], ['gmx.net', email('GMX')], ['gmx.de', email('GMX')], ['web.de', email('WEB.DE')],
  ['navigator.web.de', email('WEB.DE')], ['email.t-online.de', email('T-Online Mail')], ['app.fastmail.com', email('Fastmail')],
  ['www.icloud.com', email('iCloud Mail')], ['mail.qq.com', email('QQ Mail')], ['mail.163.com', email('NetEase Mail')],
  ['mail.126.com', email('NetEase Mail')], ['mail.naver.com', email('Naver Mail')], ['webmail.orange.fr', email('Orange Mail')],
  ['mail.libero.it', email('Libero Mail')], ['posteo.de', email('Posteo')], ['tuta.com', email('Tuta')], ['app.tuta.com', email('Tuta')],
  // Social networks and communities
  ['facebook.com', social('Facebook')], ['fb.com', social('Facebook')], ['fb.me', social('Facebook')],
  ['messenger.com', social('Facebook')], ['instagram.com', social('Instagram')], ['threads.net', social('Threads')],
  ['threads.com', social('Threads')], ['t.co', social('X')], ['twitter.com', social('X')], ['x.com', social('X')],
  ['linkedin.com', social('LinkedIn')], ['lnkd.in', social('LinkedIn')], ['com.linkedin.android', social('LinkedIn')],
  ['reddit.com', social('Reddit')], ['redd.it', social('Reddit')], ['youtube.com', social('YouTube')], ['youtu.be', social('YouTube')],
  ['tiktok.com', social('TikTok')], ['snapchat.com', social('Snapchat')], ['tumblr.com', social('Tumblr')],
  ['pinterest.com', social('Pinterest')], ['pin.it', social('Pinterest')], ['vk.com', social('VK')], ['ok.ru', social('Odnoklassniki')],
  ['weibo.com', social('Weibo')], ['news.ycombinator.com', social('Hacker News')], ['mastodon.social', social('Mastodon')],
  ['bsky.app', social('Bluesky')], ['quora.com', social('Quora')], ['discord.com', social('Discord')], ['discordapp.com', social('Discord')],
  ['t.me', social('Telegram')], ['web.telegram.org', social('Telegram')], ['org.telegram.messenger', social('Telegram')],
  ['whatsapp.com', social('WhatsApp')], ['wa.me', social('WhatsApp')], ['xing.com', social('XING')], ['medium.com', social('Medium')],
  ['lobste.rs', social('Lobsters')], ['slack.com', social('Slack')], ['com.slack', social('Slack')], ['line.me', social('LINE')],
  ['com.google.android.youtube', social('YouTube')], ['com.facebook.katana', social('Facebook')], ['com.reddit.frontpage', social('Reddit')],
  // Search engines without a brand rule
  ['bing.com', search('Bing', 'q')], ['cn.bing.com', search('Bing', 'q')], ['duckduckgo.com', search('DuckDuckGo', 'q')],
  ['baidu.com', search('Baidu', 'wd', 'word', 'kw')], ['m.baidu.com', search('Baidu', 'word', 'wd')], ['ecosia.org', search('Ecosia', 'q')],
  ['qwant.com', search('Qwant', 'q')], ['startpage.com', search('Startpage', 'query', 'q')], ['search.brave.com', search('Brave Search', 'q')],
  ['naver.com', search('Naver', 'query')], ['search.naver.com', search('Naver', 'query')], ['seznam.cz', search('Seznam', 'q')],
  ['search.seznam.cz', search('Seznam', 'q')], ['so.com', search('360 Search', 'q')], ['sogou.com', search('Sogou', 'query')],
  ['ask.com', search('Ask', 'q')], ['search.aol.com', search('AOL', 'q', 'query')], ['kagi.com', search('Kagi', 'q')],
  ['mojeek.com', search('Mojeek', 'q')], ['search.lycos.com', search('Lycos', 'q')], ['dogpile.com', search('Dogpile', 'q')],
  ['metager.de', search('MetaGer', 'eingabe')], ['metager.org', search('MetaGer', 'eingabe')], ['search.yahoo.com', search('Yahoo', 'p', 'q')],
  ['daum.net', search('Daum', 'q')], ['search.daum.net', search('Daum', 'q')], ['coccoc.com', search('Coc Coc', 'query')],
  ['petalsearch.com', search('Petal Search', 'query')], ['yep.com', search('Yep', 'q')], ['presearch.com', search('Presearch', 'q')],
  ['search.avast.com', search('Avast Search', 'q')], ['searx.be', search('SearX', 'q')], ['you.com', search('You.com', 'q')],
  ['perplexity.ai', search('Perplexity', 'q')], ['chatgpt.com', search('ChatGPT', 'q')],
  ['com.google.android.googlequicksearchbox', search('Google', 'q')],
]);

/** Brands that run one search site per country: `google` + any public suffix (`.com`, `.co.uk`, `.com.br`). */
export const SEARCH_BRANDS: ReadonlyMap<string, KnownSource> = new Map<string, KnownSource>([
  ['google', search('Google', 'q', 'query')],
  ['bing', search('Bing', 'q')],
  ['yahoo', search('Yahoo', 'p', 'q')],
  ['yandex', search('Yandex', 'text')],
  ['ya', search('Yandex', 'text')],
  ['startpage', search('Startpage', 'query', 'q')],
  ['qwant', search('Qwant', 'q')],
  ['ecosia', search('Ecosia', 'q')],
]);
