import type { Provenance } from '../sink/clickhouse/provenance.js';
import { prefixFingerprints } from '../sources/fingerprint.js';

/** How far earlier loads got into an input, found by the fingerprints of its first lines. */
export interface EarlierLoad {
  /** This input's own fingerprint ('' when it had no lines). */
  fingerprint: string;
  /** Lines 1 … skipThrough were loaded before (0: none). */
  skipThrough: number;
  /** The run that loaded them, or null. */
  loadedBy: string | null;
  /** Fingerprints of the input's first 1, 2 … 16 lines: every earlier load of the same content has one of them. */
  prints: string[];
  /** A nightly run kept some days of the same content: lines cannot be skipped by number, the input is read whole. */
  windowed: boolean;
}

/**
 * What the store (and this run, for inputs given twice) has loaded already: the store answers for
 * earlier runs through `ingest_files`; this run's own inputs are remembered here until it records them.
 */
export class EarlierLoads {
  /** Fingerprint → lines read and the run that loaded them, for this run's inputs. */
  private readonly thisRun = new Map<string, { lines: number; by: string }>();

  constructor(private readonly provenance: Provenance, private readonly key: Buffer, private readonly runId: string) {}

  /** `whole`: name the input but claim nothing was loaded (--force, nightly: its lines are read again). */
  async find(firstLines: readonly string[], whole: boolean): Promise<EarlierLoad> {
    const prints = prefixFingerprints(firstLines, this.key);
    const found: EarlierLoad = { fingerprint: prints.at(-1) ?? '', skipThrough: 0, loadedBy: null, prints, windowed: false };
    if (whole || prints.length === 0) return found;
    if (await this.provenance.windowedLoad(prints)) {
      found.windowed = true;
      return found;
    }
    const earlier = await this.provenance.earlierLoad(prints);
    if (earlier !== null) {
      found.skipThrough = earlier.lines;
      found.loadedBy = earlier.runId;
    }
    for (const print of prints) {
      const mine = this.thisRun.get(print);
      if (mine !== undefined && mine.lines > found.skipThrough) {
        found.skipThrough = mine.lines;
        found.loadedBy = mine.by;
      }
    }
    return found;
  }

  /** An input of this run has been read to its end (or its break) and its rows are in. */
  remember(fingerprint: string, linesRead: number, alreadyLoaded: number, loadedBy: string | null): void {
    if (fingerprint === '' || linesRead === 0) return;
    this.thisRun.set(fingerprint, { lines: linesRead, by: alreadyLoaded === linesRead && loadedBy !== null ? loadedBy : this.runId });
  }
}
