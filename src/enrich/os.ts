/**
 * The operating system's name as a user expects it. ua-parser-js 1.x returns some names as the agent spells
 * them (`android`, `ANDROID`, `WEBOS`, `Windows Phone OS` next to `Windows Phone`), which would split one
 * system's trends into several rows, and misreads a few agent shapes. Tuned against uap-core's test_os.yaml
 * (`npm run accuracy`).
 */

// Lower-cased ua-parser-js names → one spelling per system; names not listed are kept as they are.
const CANONICAL = new Map<string, string>([
  ['android', 'Android'], ['linux', 'Linux'], ['windows phone os', 'Windows Phone'], ['windows phone', 'Windows Phone'],
  ['mac os', 'macOS'], ['chromium os', 'Chrome OS'], ['webos', 'webOS'], ['kaios', 'KaiOS'], ['symbian', 'Symbian'],
  ['blackberry', 'BlackBerry'], ['bada', 'Bada'], ['playstation', 'PlayStation'], ['netrange', 'NetRange'], ['nettv', 'NetTV'],
  ['viera', 'VIERA'], ['gentoo', 'Gentoo'], ['redhat', 'Red Hat'], ['red hat', 'Red Hat'], ['ubuntu', 'Ubuntu'], ['suse', 'SUSE'],
  ['slackware', 'Slackware'], ['freebsd', 'FreeBSD'], ['dragonfly', 'DragonFly'], ['unix', 'Unix'], ['beos', 'BeOS'],
  ['amigaos', 'AmigaOS'],
]);

// Apps on a Mac: CFNetwork's `Darwin/13.0.1 (x86_64)` (ua-parser-js takes every Darwin for iOS).
const MAC_DARWIN = /Darwin\/[\d.]+[ ;(]+(?:x86_64|i386)|\bos\/macos\b/;
// iOS devices whose agent ua-parser-js reads as a Mac: `CPU iPhone 6_1_4` without "OS", and Chrome, Edge or
// Firefox on an iPad asking for desktop sites (`Macintosh … CriOS/102`).
const IOS_AS_MAC = /\((?:iPhone|iPad|iPod)[;)]|CriOS\/|EdgiOS\/|FxiOS\//;
// Android devices ua-parser-js reads as plain Linux: Kindle Fire's Silk, UC Browser's `Adr 4.2.2` and `JUC`,
// Meta Quest headsets.
const ANDROID_AS_LINUX = /\bAdr \d|Silk\/|^JUC|OculusBrowser/;
// Agents ua-parser-js finds no OS in.
const IOS = /\biOS\b|\bi(?:Ph|Pad|Pd) OS\b|iPhone OS|[(+;]iP(?:hone|ad|od)\b/;
const WINDOWS = /\bWin(?:dows|NT|16|32|CE|98|95)|Microsoft_Windows/;

export function osNameOf(userAgent: string, parsedName: string | undefined): string {
  let name = parsedName ?? '';
  if (name !== '') name = CANONICAL.get(name.toLowerCase()) ?? name;
  switch (name) {
    case 'iOS': return MAC_DARWIN.test(userAgent) ? 'macOS' : name;
    case 'macOS': return IOS_AS_MAC.test(userAgent) ? 'iOS' : name;
    case 'Linux': return ANDROID_AS_LINUX.test(userAgent) ? 'Android' : name;
    case '':
      if (MAC_DARWIN.test(userAgent)) return 'macOS';
      if (IOS.test(userAgent)) return 'iOS';
      if (WINDOWS.test(userAgent)) return 'Windows';
      return name;
    default: return name;
  }
}
