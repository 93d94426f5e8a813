/**
 * Whether a request is a page view: a successful (2xx) or not-modified (304) response for a path with no
 * extension or a document extension. Images, scripts, styles, fonts and downloads are assets.
 */
const PAGE_EXTENSIONS = new Set(['', 'html', 'htm', 'php', 'asp', 'aspx', 'jsp', 'shtml', 'cgi', 'pl', 'cfm', 'xhtml']);

export function extensionOf(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return '';
  return path.slice(dot + 1).toLowerCase();
}

export function isPageView(path: string, status: number): boolean {
  if (!((status >= 200 && status < 300) || status === 304)) return false;
  return PAGE_EXTENSIONS.has(extensionOf(path));
}
