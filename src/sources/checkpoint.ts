import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a followed file was read up to: the file's identity (device, inode) and the byte after the last line. */
export interface FollowPosition {
  dev: number;
  ino: number;
  /** Bytes of complete lines consumed. */
  offset: number;
  /** Line number of the next line. */
  lineNo: number;
}

/**
 * Follow positions by absolute path, kept in the store's state folder. Saved only after the rows of the
 * lines before the position were inserted, so a restart never reads a counted line again; the file is
 * replaced atomically (write, then rename) so a crash cannot leave half a checkpoint.
 */
export class CheckpointStore {
  private readonly file: string;
  private positions: Record<string, FollowPosition>;

  constructor(stateDir: string) {
    this.file = join(stateDir, 'follow-checkpoints.json');
    try {
      this.positions = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, FollowPosition>;
    } catch {
      this.positions = {};
    }
  }

  get(path: string): FollowPosition | null {
    return this.positions[path] ?? null;
  }

  save(path: string, position: FollowPosition): void {
    this.positions[path] = { ...position };
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.positions, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
