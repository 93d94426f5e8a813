import { type FileHandle, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { LineParser } from '../formats/types.js';
import { Provenance } from '../sink/clickhouse/provenance.js';
import { CheckpointStore, type FollowPosition } from '../sources/checkpoint.js';
import { checkInput, type InputSpec } from '../sources/file.js';
import { FINGERPRINT_LINES } from '../sources/fingerprint.js';
import { followFile } from '../sources/follow.js';
import type { IngestRun } from './ingest-run.js';
import type { InputSummary } from './run-types.js';

/** `--follow`: read one growing file until `signal` aborts (Ctrl-C), publishing as it goes. */
export interface FollowControl {
  signal: AbortSignal;
  pollMs: number;
  /** Publish at the latest after this many lines, even while still catching up. */
  commitLines?: number;
}

/** Where the last published run stopped reading the file, as recorded in `ingest_files.position`. */
interface PublishedPosition extends FollowPosition {
  path: string;
}

const HEAD_BYTES = 64 * 1024;

/**
 * Follows one file as a sequence of small runs: the lines read since the last publish are staged, and
 * whenever reading has caught up with the end of the file (or every `commitLines` lines while catching
 * up) they are published with the position reached, in the same publish (`ingest_files.position`). A
 * restart resumes from the last published position, so a line is counted exactly once whatever
 * happens: what was staged but not published when the process died is read again.
 *
 * Rows carry the fingerprint of the file's first lines like any input, so `siftlog ingest access.log.1`
 * after logrotate skips what the follower loaded; a followed file that an earlier `ingest` loaded in
 * part starts after those lines.
 */
export async function followInput(run: IngestRun, input: InputSpec, control: FollowControl): Promise<void> {
  const file = run.startInput(input);
  const path = resolve(input.path!);
  const checkpoints = new CheckpointStore(run.store.stateDir);
  const commitLines = control.commitLines ?? 50_000;
  await run.stage();
  let published = { ...file };
  let fileId = '';
  let parser: LineParser | null = null;
  let position: FollowPosition | null = null;
  try {
    await checkInput(input);
    parser = run.fixedParser(file);
    const start = (await publishedPosition(run, path)) ?? checkpoints.get(path);
    const options = { maxLineLength: run.config.limits.max_line_length, pollMs: control.pollMs };
    let pending = 0;
    for await (const batch of followFile(path, input.name, options, start, control.signal)) {
      const id = `${batch.position.dev}:${batch.position.ino}`;
      if (id !== fileId || run.followedLines < FINGERPRINT_LINES) {
        // A new file (start, rotation), or one still too short to be named by all its first lines; a new
        // file read from its first line starts after what earlier runs loaded of the same content.
        const fresh = id !== fileId && batch.firstLineNo === 1;
        const head = await headLines(path, batch.position.ino);
        // null: the path names another file already (renamed away): the batch's file keeps its name.
        if (head !== null) {
          fileId = id;
          await run.nameFollowedFile(head, fresh);
        }
      }
      if (batch.lines.length > 0) {
        parser ??= run.detectParser([batch], file);
        run.processBatch(input.name, batch, parser, file);
      }
      pending += batch.lines.length;
      position = batch.position;
      if ((batch.caughtUp && pending > 0) || pending >= commitLines) {
        published = await commit(run, file, published, position, path);
        checkpoints.save(path, position);
        pending = 0;
      }
    }
  } catch (err) {
    run.inputFailed(input, file, err);
  }
  // Stopped (Ctrl-C) or failed reading: what was read since the last publish is published now.
  await commit(run, file, published, position, path, false);
  if (position !== null) checkpoints.save(path, position);
  run.endInput(file);
}

/**
 * Publishes the lines read since `before` (a copy of the input's counts at the last publish) with the
 * position reached, and starts the next staged run. Returns the counts now published.
 */
async function commit(
  run: IngestRun, file: InputSummary, before: InputSummary, position: FollowPosition | null, path: string, next = true,
): Promise<InputSummary> {
  const delta: InputSummary = {
    ...file, linesRead: file.linesRead - before.linesRead, parsed: file.parsed - before.parsed, rejected: file.rejected - before.rejected,
    skipped: file.skipped - before.skipped, excluded: file.excluded - before.excluded, alreadyLoaded: file.alreadyLoaded - before.alreadyLoaded, warnings: [],
  };
  const recorded = position === null ? '' : JSON.stringify({ path, ...position } satisfies PublishedPosition);
  // lines_read counts from the file's start, so a later `ingest` of the rotated file knows how far it was loaded.
  if (delta.linesRead > 0 || delta.error !== null) {
    run.recordInput(delta, run.followedFingerprint, recorded, position === null ? undefined : position.lineNo - 1);
  }
  // The held requests' rows must be in before the position is published; open visits go in as provisional rows.
  await run.endVisits(false);
  await run.publish();
  if (next) await run.stage();
  return { ...file };
}

async function publishedPosition(run: IngestRun, path: string): Promise<FollowPosition | null> {
  const text = await new Provenance(run.store.client).followPosition(path);
  if (text === null) return null;
  const { path: _path, ...position } = JSON.parse(text) as PublishedPosition;
  return position;
}

/** The first lines (up to FINGERPRINT_LINES complete ones) of the file at `path` if it is inode `ino`, else null. */
async function headLines(path: string, ino: number): Promise<string[] | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    if ((await handle.stat()).ino !== ino) return null;
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const text = buffer.toString('utf8', 0, bytesRead);
    const lines = text.split('\n');
    lines.pop(); // the last piece is incomplete (or empty after the final newline)
    return lines.slice(0, FINGERPRINT_LINES).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  } finally {
    await handle.close();
  }
}
