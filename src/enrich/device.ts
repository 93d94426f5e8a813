import type { DeviceType } from './useragent.js';

/**
 * The device type where ua-parser-js has none (it leaves desktops, many TVs and feature phones undefined)
 * or confuses TV boxes with tablets. Tuned against device-detector's fixtures (`npm run accuracy`).
 */

// Smart TVs, set-top boxes, sticks: platform tokens and TV browsers are sure signs (bots.ts trusts them too);
// brand and model words (Hisense, "LED32", "Smart Box") only count when the agent does not also say Mobile
// (their phones do).
export const TV = /SmartTV|Smart-?TV|HbbTV|CE-HTML|NetCast|NETTV|Web0S|webOS\.TV|BRAVIA|Google ?TV|Android ?TV|\bAFT[A-Z]|AppleTV|tvOS|Roku|CrKey|\bDTV|\bSTB\b|TV Safari|Opera TV|Tbrowser|Espial|SmartHub|Vidaa|VIDAA|Titan OS|Kodi|XBMC/;
const TV_MODEL = /\bTV\b|_TV_|[_-]TV[_-]|\bTV\d|TV ?Box|\bbox\b|box\d|MiBOX|Smart ?Box|\bShell\b|SMART|\bLED|_LED|LED\d|\bLCD|\bFHD\b|\bUHD\b|\b4K\b|Philips|Sagemcom|Freebox|Formuler|Hisense|HUMAX|Humax|Polarline|UGOOS|YUNDOO|Kingbox|\bQTV\b/i;
// Macs and PCs that some apps' agents make look like iOS (CFNetwork … Darwin … (x86_64)).
const DESKTOP_HINT = /Darwin\/[\d.]+ \((?:x86_64|i386)\)|MacBook|iMac|MacPro|Macmini|Chromebook|Desktop x64|Windows NT|Windows 9\d/;
const PHONE_HINT = /Mobile|Android|iPhone|iPad|Phone|Tablet/;
const TABLET = /Tablet|\bTab[ _]?\d|\bTab\b|\/apad\b|\bPad\b|Pad\d|\bSlate\b|Kindle|Silk\/|\bKF[A-Z]{2,4}\b|PlayBook|Nexus (?:7|9|10)\b|\bMID\b|MID[-_ ]?\d|; TAB|\bTB[-_]|\bPMT\d|iPlay|ImPAD|MultiPad|Plane \d|Optima \d|CITI \d|Ginzzu|Readboy/;
const FEATURE_PHONE = /MIDP|WAP|UCWEB|MAUI|Opera Mini|\bMRE[/\\]|Series ?40|\bS40|NetFront|Obigo|Teleca|BREW|Profile\/|J2ME/i;
const MOBILE_OS = new Set(['Android', 'iOS', 'Windows Phone', 'Windows Mobile', 'BlackBerry', 'Symbian', 'KaiOS', 'Bada', 'Firefox OS',
  'Sailfish', 'Series40', 'MeeGo', 'Maemo', 'HarmonyOS', 'RIM Tablet OS', 'watchOS', 'Tizen', 'webOS']);

// ua-parser-js has no device type for desktops: an OS from this list decides it.
const DESKTOP_OS = new Set([
  'Windows', 'Mac OS', 'macOS', 'Linux', 'Ubuntu', 'Debian', 'Fedora', 'Chromium OS', 'Chrome OS', 'FreeBSD',
  'OpenBSD', 'NetBSD', 'Solaris', 'SunOS', 'Mint', 'Arch', 'Gentoo', 'Mandriva', 'SUSE', 'openSUSE', 'CentOS',
  'RedHat', 'Red Hat', 'Slackware', 'Kubuntu', 'Xubuntu', 'Lubuntu', 'elementary OS', 'Manjaro', 'Zenwalk', 'Unix', 'BeOS',
  'Haiku', 'OS/2', 'AIX', 'HP-UX', 'IRIX', 'RISC OS', 'AmigaOS', 'Morph OS', 'Plan9',
]);

const PARSER_TYPES: Record<string, DeviceType> = {
  mobile: 'mobile', tablet: 'tablet', smarttv: 'tv', console: 'console', wearable: 'mobile', embedded: 'other', xr: 'other',
};

/**
 * @param parsedType ua-parser-js's device.type (undefined for most desktops)
 * @param os ua-parser-js's OS name
 */
export function deviceTypeOf(userAgent: string, parsedType: string | undefined, os: string): DeviceType {
  if (parsedType === 'console') return 'console';
  if (parsedType === 'smarttv' || TV.test(userAgent)) return 'tv';
  const saysMobile = userAgent.indexOf('Mobile') >= 0;
  if (!saysMobile && (os === 'Android' || parsedType === 'tablet') && TV_MODEL.test(userAgent)) return 'tv';
  if (DESKTOP_HINT.test(userAgent) && (userAgent.indexOf('Chromebook') >= 0 || !PHONE_HINT.test(userAgent))) return 'desktop';
  if (parsedType === 'mobile' || parsedType === 'tablet' || parsedType === undefined) {
    if (TABLET.test(userAgent)) return 'tablet';
  }
  if (parsedType !== undefined) return PARSER_TYPES[parsedType] ?? 'other';
  if (os === 'Android') return saysMobile || userAgent.indexOf('Dalvik') >= 0 ? 'mobile' : 'tablet';
  if (MOBILE_OS.has(os) || FEATURE_PHONE.test(userAgent)) return 'mobile';
  if (DESKTOP_OS.has(os)) return 'desktop';
  return 'other';
}
