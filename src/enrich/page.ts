/**
 * Whether a request is a page view: by default a successful (2xx) or not-modified (304) response for a path
 * with no extension or a document extension. Images, scripts, styles, fonts and downloads are assets.
 * Both lists are configurable in the pipeline file (`enrich.pages`).
 */
export const DEFAULT_PAGE_EXTENSIONS: readonly string[] = [
  '', 'html', 'htm', 'php', 'asp', 'aspx', 'jsp', 'shtml', 'cgi', 'pl', 'cfm', 'xhtml',
];
/** Status classes (`2xx`) or single statuses (`304`) that count. */
export const DEFAULT_PAGE_STATUSES: readonly string[] = ['2xx', '304'];

export function extensionOf(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return '';
  return path.slice(dot + 1).toLowerCase();
}

export class PageRule {
  private readonly extensions: Set<string>;
  /** statusCounts[status] is 1 for statuses that make a page view. */
  private readonly statusCounts = new Uint8Array(600);

  /**
   * @param extensions without the dot; '' stands for paths without an extension (`/`, `/about`)
   * @param statuses `2xx`-style classes or three-digit statuses
   */
  constructor(extensions: readonly string[] = DEFAULT_PAGE_EXTENSIONS, statuses: readonly string[] = DEFAULT_PAGE_STATUSES) {
    this.extensions = new Set(extensions.map((e) => e.replace(/^\./, '').toLowerCase()));
    for (const s of statuses) {
      const text = s.trim().toLowerCase();
      if (/^[1-5]xx$/.test(text)) this.statusCounts.fill(1, Number(text[0]) * 100, Number(text[0]) * 100 + 100);
      else if (/^[1-5]\d\d$/.test(text)) this.statusCounts[Number(text)] = 1;
      else throw new Error(`enrich.pages.statuses: "${s}" is neither a status class such as 2xx nor a status such as 304`);
    }
  }

  isPage(path: string, status: number): boolean {
    return status < 600 && this.statusCounts[status] === 1 && this.extensions.has(extensionOf(path));
  }
}
