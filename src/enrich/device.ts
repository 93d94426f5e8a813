import type { DeviceType } from './useragent.js';

/**
 * The device type where ua-parser-js has none (it leaves desktops, many TVs and feature phones undefined)
 * or confuses TV boxes with tablets. Tuned against device-detector's fixtures (`npm run accuracy`).
 */

// Smart TVs, set-top boxes, sticks: platform tokens and TV browsers are sure signs (bots.ts trusts them too);
// brand and model words (Hisense, "LED32", "Smart Box") only count when the agent does not also say Mobile
// (their phones do).
export const TV = /Smart-?T[Vv]|MiTV|Movix|Model\/Vestel|\bOMI\/|HbbTV|CE-HTML|NetCast|NETTV|Web0S|webOS\.TV|BRAVIA|Google ?TV|Android ?TV|\bAFT[A-Z]|AppleTV|tvOS|Roku|CrKey|\bDTV|\bSTB\b|TV Safari|Opera TV|Tbrowser|Espial|SmartHub|Vidaa|VIDAA|Titan OS|Kodi|XBMC/;
const TV_MODEL = /\bTV\b|_TV_|[_-]TV[_-]|\bTV\d|TV ?Box|\bbox\b|box\d|MiBOX|Smart ?Box|\bShell\b|SMART|\bLED|_LED|LED\d|\bLCD|\bFHD\b|\bUHD\b|\b4K\b|Philips|Sagemcom|Freebox|Formuler|Hisense|HUMAX|Humax|Polarline|UGOOS|YUNDOO|Kingbox|\bQTV\b/i;
// Android TV boxes by model and chipset codes (X96, A95X, MXQ, GT-King, Amlogic S905, Rockchip RK33xx…): they
// often say Mobile, and ua-parser-js takes them for tablets.
const TV_BOX = /\bX96(?!Pro)|A95X|\bH96[_ ]|\bTX\d|MXQ|MBOX|GT-?King|NEO-[XUZ]|\bT95(?!\d)|TOX\d|_box\b|rk33\d\d|\bS905|IPTV/;
// TV box makers and their model lines (Mecool KM6, Zidoo X9, Formuler Z10, Yandex YNDX-00xx modules, Google's
// Nexus Player and ADT-2, Chromecast with Google TV); Tecno's KM phones and Yandex's YNDX-000 phone excepted.
const TV_BOX_BRAND = /Mecool|Beelink|Minix|Tanix|Ugoos|Amlogic|(?<!TECNO )\bKM\d(?![\dn])|Zidoo|Pendoo|Transpeed|iconBIT|NEXON|Formuler|Vinabox|Rombica|Rikomagic|RKM MK|Vorke|OzoneHD|YNDX-00(?!0)|Nexus Player|ADT-\d|Chromecast|Beyond ?TV|Union ?TV|\bHK1\b|Vontar|Openbox|AS_4K|Polar_|Invin|Hiremco|\bCT-8\d{3}\b/i;
// TV panels' model numbers hold the screen size in inches (Kivi 32F700WU, BBK 65LEX-8139, DEXP U43F8000Q,
// Prestigio PTV32SS04Z); phones' storage sizes (32GB) are not screen sizes. Brands' own TV models end in TV
// (MD09TV, SmartATV); DTV phones have a TV tuner, and BTV- is a Huawei tablet.
const TV_PANEL = /\b(?:2[48]|3[29]|4[0-9]|5[05]|6[05]|7[05]|8[56]|98)(?!GB|MB)(?:[A-Z]{1,4}[-_ ]?\d{2,}|[A-Z]{2,}\b)|\b[A-Z]{1,5}[-_ ]?(?:2[248]|3[29]|4[0-9]|5[0-58]|6[05]|7[05]|8[56]|98)(?!GB|MB)[A-Z]{1,4}[-_]?\d{2,}|[A-CE-Z\d]TV(?![-\w])|SELENGA|-DMP\d/;
// Opera's Presto engine on a MIPS, SH4 or ARM Linux: the browser of set-top boxes and TVs (TiVo, Vizio, Sagemcom).
const PRESTO_TV = /\(Linux (?:mips|sh4|armv)[^)]*\).*Presto|Presto.*\(Linux (?:mips|sh4|armv)/;
// Macs and PCs that some apps' agents make look like iOS (CFNetwork … Darwin … (x86_64)).
const DESKTOP_HINT = /Darwin\/[\d.]+ \((?:x86_64|i386)\)|MacBook|iMac|MacPro|Macmini|Chromebook|Desktop x64|Windows NT|Windows 9\d/;
const PHONE_HINT = /Mobile|Android|iPhone|iPad|Phone|Tablet/;
const TABLET = /Tablet|\bTab[ _]?\d|\bTab\b|\/apad\b|\bPad\b|Pad\d|\bSlate\b|Kindle|Silk\/|\bKF[A-Z]{2,4}\b|PlayBook|Nexus (?:7|9|10)\b|\bMID\b|MID[-_ ]?\d|; TAB|\bTB[-_]|\bPMT\d|iPlay|ImPAD|MultiPad|Plane \d|Optima \d|CITI \d|Ginzzu|Readboy/;
// Tablet families whose agents say Mobile, by name or model code: iPads in app agents, e-readers, Huawei
// MediaPad/MatePad (AGS, BAH, KOB, JDN…) and Huawei/Honor Wi-Fi-only models (PCE-W30: phones have no W models),
// LG G Pad (LG-V4xx–V9xx, LM-T), Lenovo Tab (TB-, YT-), bq (BQ-7xxx, 9xxx), ONYX BOOX (MC_), Irbis TZ, Digma CITI
// 7xxx/8xxx/1xxx, HP Slate, Tecno DroidPad, Navitel.
const TABLET_FAMILY = /\b[A-Z]{3,4}\d?-W\d{1,2}\b|\bMC_[A-Z]|\bTZ\d{2,3}\b|CITI[_ ][178]\d{3}|Slate ?\d|TECNO (?:DP|P[79]0\d)|NAVITEL|iPad|(?<![A-Za-z])(?:tab|pad)(?![A-Za-z])|PocketBook|BOOX|\bNook\b|Kobo|\b(?:AGS\d?|BAH\d?|KOB\d?|MRX|SCMR?|BTV|CMR|JDN\d?|DBY\d?|AGR|AGM\d?|BZ[ACDIT]|KRJ|HDN|GDI|WGR|DBR|BG2|SHT|VRD|FDR|BTK)[A-Z\d]*-(?:W|L|AL|DL|A|N)\d{2}|LG-V[4-9]\d\d|LM-T\d|Lenovo ?(?:TB|YT|IdeaTab|YOGA Tab)|\bTB\d?-|\bYT\d-|\bBQ-?(?:[79]\d{3}|1\d{4})/i;
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

// The platform comment of a Windows or Mac desktop browser with nothing else in it: ua-parser-js's device table
// has no entry for these, so scanning it (most of the parser's time) can be skipped.
const PLAIN_DESKTOP = /^Mozilla\/5\.0 \((?:Windows NT \d+\.\d(?:; (?:Win64; x64|WOW64))?|Macintosh; Intel Mac OS X [\d_.]+)(?:; rv:[\d.]+)?\) /;

export function isPlainDesktop(userAgent: string): boolean {
  return PLAIN_DESKTOP.test(userAgent);
}

const PARSER_TYPES: Record<string, DeviceType> = {
  mobile: 'mobile', tablet: 'tablet', smarttv: 'tv', console: 'console', wearable: 'mobile', embedded: 'other', xr: 'other',
};

/**
 * @param parsedType ua-parser-js's device.type (undefined for most desktops)
 * @param os ua-parser-js's OS name
 */
export function deviceTypeOf(userAgent: string, parsedType: string | undefined, os: string): DeviceType {
  if (parsedType === 'console') return 'console';
  if (parsedType === 'smarttv' || TV.test(userAgent) || TV_BOX.test(userAgent) || TV_BOX_BRAND.test(userAgent)
    || PRESTO_TV.test(userAgent)) return 'tv';
  const saysMobile = userAgent.indexOf('Mobile') >= 0;
  if (!saysMobile && (os === 'Android' || parsedType === 'tablet') && TV_MODEL.test(userAgent)) return 'tv';
  if (os === 'Android' && TV_PANEL.test(userAgent)) return 'tv';
  if (DESKTOP_HINT.test(userAgent) && (userAgent.indexOf('Chromebook') >= 0 || !PHONE_HINT.test(userAgent))) return 'desktop';
  if (parsedType === 'mobile' || parsedType === 'tablet' || parsedType === undefined) {
    if (TABLET.test(userAgent) || TABLET_FAMILY.test(userAgent)) return 'tablet';
  }
  if (parsedType !== undefined) return PARSER_TYPES[parsedType] ?? 'other';
  if (os === 'Android') return saysMobile || userAgent.indexOf('Dalvik') >= 0 ? 'mobile' : 'tablet';
  if (MOBILE_OS.has(os) || FEATURE_PHONE.test(userAgent)) return 'mobile';
  if (DESKTOP_OS.has(os)) return 'desktop';
  return 'other';
}
