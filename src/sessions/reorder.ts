/**
 * Puts hits back in time order within a bounded window, so that sessions/ sees the logs of several servers
 * of one site as one time-ordered stream.
 *
 * Each input is a stream. A hit is held until every open stream has reached `windowMs` past it, then
 * released, earliest first (ties in arrival order). So disorder inside one input (servers that log when a
 * request ends but stamp it with its start; several servers' lines merged by a log shipper) is undone up to
 * the window, and several inputs read side by side are merged exactly however far apart they are, as long
 * as the reader keeps them roughly abreast (memory is what lies between the slowest and the fastest stream).
 *
 * Past the bound: a hit older than the last one released cannot be put in its place any more. It is
 * released at once, flagged late, and counted; it is never dropped. When more than `maxBuffered` hits are
 * held (a stream that stalls, inputs read one after the other), the earliest are released early and counted
 * as forced; hits that then arrive behind them are late.
 *
 * Hits that arrive in order (the common case) wait in a queue of parallel arrays, allocation-free; only
 * those that arrive before the queue's newest go into a min-heap. Release takes the earlier of the two heads.
 */
export interface ReorderOptions {
  /** How far behind the newest hit of every stream a hit may arrive and still be put in order. */
  windowMs: number;
  /** Most hits held at once; beyond it the earliest are released early. */
  maxBuffered: number;
}

export interface ReorderStats {
  /** Hits released in order. */
  released: number;
  /** Hits that arrived behind hits already released: released at once, out of order. */
  late: number;
  /** Hits released before the window had passed them, to keep memory under maxBuffered. */
  forced: number;
  /** The most hits held at once. */
  maxHeld: number;
}

interface Entry<T> {
  time: number;
  seq: number;
  item: T;
}

export type Release<T> = (item: T, late: boolean) => void;

export class ReorderBuffer<T> {
  // The queue: hits that arrived in time order, oldest at `head`.
  private qItems: (T | undefined)[] = [];
  private qTimes: number[] = [];
  private qSeqs: number[] = [];
  private head = 0;
  /** The out-of-order arrivals, a binary min-heap on (time, seq). */
  private readonly heap: Entry<T>[] = [];
  private seq = 0;
  /** Newest time per stream; -Infinity until a stream's first hit. */
  private readonly newest: number[] = [];
  private readonly ended: boolean[] = [];
  /** The stream holding release back (the open stream with the oldest newest time), or -1 when none is open. */
  private slowest = -1;
  /** Everything released in order so far is at or before this time. */
  releasedUpTo = Number.NEGATIVE_INFINITY;
  readonly stats: ReorderStats = { released: 0, late: 0, forced: 0, maxHeld: 0 };

  constructor(private readonly options: ReorderOptions, private readonly release: Release<T>) {}

  /**
   * Declares streams 0..count-1 up front: release waits for each of them to reach a time, or to end.
   * Undeclared streams are opened by their first push().
   */
  openStreams(count: number): void {
    while (this.newest.length < count) {
      this.newest.push(Number.NEGATIVE_INFINITY);
      this.ended.push(false);
    }
    this.findSlowest();
  }

  /**
   * A stream not begun yet is known to start at `time` (its first line's): until its first hit it holds back
   * only what is not `windowMs` before that, as it would once that hit were pushed. Inputs read one after
   * the other then hold back nothing of the earlier ones' hours (docs/visits.md, "Reordering").
   */
  startsAt(stream: number, time: number): void {
    if (stream >= this.newest.length) this.openStreams(stream + 1);
    if (this.newest[stream] !== Number.NEGATIVE_INFINITY || this.ended[stream]) return;
    this.newest[stream] = time;
    this.findSlowest();
    this.drain();
  }

  /** No more hits on `stream`: it holds nothing back any more. */
  endStream(stream: number): void {
    if (stream >= this.ended.length || this.ended[stream]) return;
    this.ended[stream] = true;
    if (stream === this.slowest) {
      this.findSlowest();
      this.drain();
    }
  }

  /** Restarts a stream that had ended (follow mode reading a file again after a pause). */
  reopenStream(stream: number): void {
    this.openStreams(stream + 1);
    this.ended[stream] = false;
    this.findSlowest();
  }

  push(item: T, time: number, stream = 0): void {
    if (stream >= this.newest.length) this.openStreams(stream + 1);
    if (this.ended[stream]) this.reopenStream(stream);
    if (time < this.releasedUpTo) {
      this.stats.late++;
      this.release(item, true);
      return;
    }
    const queued = this.qTimes.length - this.head;
    if (queued === 0 || time >= this.qTimes[this.qTimes.length - 1]) {
      this.qItems.push(item);
      this.qTimes.push(time);
      this.qSeqs.push(this.seq++);
    } else {
      this.insert({ time, seq: this.seq++, item });
    }
    const held = this.held;
    if (held > this.stats.maxHeld) this.stats.maxHeld = held;
    if (time > this.newest[stream]) {
      this.newest[stream] = time;
      if (stream === this.slowest) this.findSlowest();
    }
    this.drain();
  }

  /** Releases every held hit, in order (end of a run, or a commit point in follow mode). */
  flush(): void {
    while (this.held > 0) this.releaseFirst();
  }

  get held(): number {
    return this.qTimes.length - this.head + this.heap.length;
  }

  private drain(): void {
    const bound = this.slowest < 0 ? Number.POSITIVE_INFINITY : this.newest[this.slowest] - this.options.windowMs;
    while (this.held > 0 && this.firstTime() <= bound) this.releaseFirst();
    while (this.held > this.options.maxBuffered) {
      this.stats.forced++;
      this.releaseFirst();
    }
  }

  private firstTime(): number {
    const q = this.head < this.qTimes.length ? this.qTimes[this.head] : Number.POSITIVE_INFINITY;
    return this.heap.length > 0 && this.heap[0].time < q ? this.heap[0].time : q;
  }

  /** Releases the earliest held hit: the queue's head or the heap's top, ties to the earlier arrival. */
  private releaseFirst(): void {
    let item: T;
    let time: number;
    const h = this.head;
    const fromQueue = h < this.qTimes.length
      && (this.heap.length === 0 || this.qTimes[h] < this.heap[0].time || (this.qTimes[h] === this.heap[0].time && this.qSeqs[h] < this.heap[0].seq));
    if (fromQueue) {
      item = this.qItems[h] as T;
      time = this.qTimes[h];
      this.qItems[h] = undefined;
      this.head++;
      if (this.head === this.qTimes.length) this.resetQueue();
      else if (this.head >= 65_536 && this.head * 2 >= this.qTimes.length) this.compactQueue();
    } else {
      const top = this.pop();
      item = top.item;
      time = top.time;
    }
    if (time > this.releasedUpTo) this.releasedUpTo = time;
    this.stats.released++;
    this.release(item, false);
  }

  private resetQueue(): void {
    this.qItems.length = 0;
    this.qTimes.length = 0;
    this.qSeqs.length = 0;
    this.head = 0;
  }

  private compactQueue(): void {
    this.qItems = this.qItems.slice(this.head);
    this.qTimes = this.qTimes.slice(this.head);
    this.qSeqs = this.qSeqs.slice(this.head);
    this.head = 0;
  }

  private findSlowest(): void {
    let slowest = -1;
    for (let s = 0; s < this.newest.length; s++) {
      if (!this.ended[s] && (slowest < 0 || this.newest[s] < this.newest[slowest])) slowest = s;
    }
    this.slowest = slowest;
  }

  private insert(entry: Entry<T>): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry<T> {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && before(heap[right], heap[left]) ? right : left;
        if (!before(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
