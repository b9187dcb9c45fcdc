/**
 * Result workers: worker threads that present large search pages (parse, check, redact, serialize)
 * so a megabyte of results neither blocks the event loop for tens of milliseconds nor keeps the
 * other cores idle. Small pages stay on the event loop, where a thread hop would cost more than
 * it saves. The session's vault stays here and stays the authority: each worker holds a mirror of
 * it, fed what the vault learned since its last job, and what the mirror learned is adopted back
 * before the result leaves (src/pii/vault-mirror.ts). docs/decisions/005 has the measurements.
 * A large page alone in the pool goes to two idle workers in two parts (presentSplit, decision 006).
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import type { Logger } from '../log.js';
// Portable policies and mirrors are for this module and the worker only, so pii/index.ts does not export them.
import { portablePolicy, type PortablePolicy } from '../pii/redaction-policy.js';
import { adoptFindings, deltaSince, mirrorSeed, rewriteTokens, START, type MirrorCursor, type MirrorFindings, type VaultDelta } from '../pii/vault-mirror.js';
import type { PiiVault, RedactionPolicy } from '../pii/index.js';
import { adoptReturnedBody, giveBackBody, ownsItsBuffer, UpstreamUnavailableError } from '../upstream/index.js';
import { literalText } from './answer-bytes.js';
import { splitPoint, type PagePart } from './split-page.js';

export interface Job {
  id: number;
  type: string;
  /** The page; for a part of a split page (`part`), the whole page in memory shared with the other part's worker. */
  body: Uint8Array;
  /** A part of a page split at `cut` across two workers (see presentSplit); absent for a whole page. */
  part?: PagePart;
  policy: { id: number; portable: PortablePolicy };
  /** Absent when the session shares personal data (no redaction). */
  mirror?: {
    id: number;
    /** Present when the job starts a new mirror (`from` is then START). */
    seed?: { key: KeyObject; hexLength: number };
    from: MirrorCursor;
    next: MirrorCursor;
    delta: VaultDelta;
  };
}

export type JobReply =
  /**
   * `bytes` (transferred): the structured JSON (its first `structuredBytes`), then the text
   * content's as a JSON string literal, up to `length`, both in ASCII (answer-bytes.ts). `body`
   * (transferred): the job's page, parsed, for the next upstream body to be read into.
   */
  | {
      id: number;
      ok: true;
      bytes: ArrayBuffer;
      structuredBytes: number;
      length: number;
      findings: MirrorFindings | undefined;
      /** Absent for a part of a split page: its page is shared, not transferred. */
      body?: Uint8Array;
      /** The second part of a split page: where its records' elements start, in the structured JSON and in `bytes`. */
      opened?: [structured: number, text: number];
    }
  /** `body` (transferred, absent for a part): the job's page, back for the job sent again with the whole vault. */
  | { id: number; ok: false; reason: 'resync'; body?: Uint8Array }
  | { id: number; ok: false; reason: 'invalid_page' | 'failed' };

/** Bytes in one buffer or in pieces to be written in order (a page presented in two parts), or a string. */
export type SerializedText = Buffer | readonly Buffer[] | string;

/** A presented page's structured JSON and its text content as a JSON string literal, as bytes (ASCII, from a worker) or as strings. */
export interface PresentedPage {
  structured: SerializedText;
  text: SerializedText;
  /**
   * Present with bytes from a worker: gives the buffer back to its worker for a later answer. Only
   * once nothing will read `structured` or `text` again, native I/O included (a response's
   * `finish`): afterwards they are empty (unless the worker is gone: then the buffer stays here).
   * Never called, the buffer is collected.
   */
  release?: () => void;
}

export interface ResultWorkersOptions {
  /** Worker threads; 0 presents every page on the event loop. */
  workers: number;
  /** Upstream bodies from this many bytes go to a worker. */
  minBytes: number;
  /** Pages from this many bytes are split across two workers when two are idle (presentSplit); absent, none are. */
  splitFromBytes?: number;
  /** Vault entries each worker may mirror, across sessions. */
  mirrorEntryBudget?: number;
  /** A job not answered by then ends its worker (a new one starts for the next job). */
  jobTimeoutMs?: number;
  /** The worker's module; tests use one that cannot start. */
  workerUrl?: URL;
  log: Logger;
}

export interface SearchInput {
  type: string;
  /**
   * The upstream's page. A worker that has started gets it transferred, not copied: `body` is then
   * empty while the worker has it. When presentSearch leaves the page to the event loop (returns
   * undefined), `body` holds it again.
   */
  body: Buffer;
  policy: RedactionPolicy;
  vault: PiiVault | undefined;
  /**
   * Whose page it is (the session). One owner has at most twice as many pages in the workers as
   * there are workers; the rest wait their turn here, so another session's page waits behind a few,
   * not a burst.
   */
  owner: string;
}

export interface ResultWorkers {
  /** Does this body go to a worker? */
  takes(body: Uint8Array, vault: PiiVault | undefined): boolean;
  /**
   * The presented page: its structured JSON, and its text content as a JSON string literal; or
   * undefined when the workers could not take it after all (none could start, the pool closed, or
   * the session's vault was dropped or outgrew its share meanwhile), for the caller to present it
   * on the event loop.
   * Throws UpstreamUnavailableError when the body is not a search page.
   */
  presentSearch(input: SearchInput): Promise<PresentedPage | undefined>;
  /** The session's vault was dropped: the workers drop their mirrors of it (personal data, and memory). */
  forget(vault: PiiVault): void;
  /** Pages split across two workers so far; of them, parts presented again (`redone`) and splits given up for a whole page (`abandoned`). */
  splits(): { split: number; redone: number; abandoned: number };
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  index: number;
  /** In the order sent, which is the order the worker takes them: the first is the one it is on. */
  pending: Map<number, { resolve: (reply: JobReply) => void; reject: (error: Error) => void }>;
  /** Runs while the worker is on a job: a job waiting behind others is not late. */
  timer: NodeJS.Timeout | undefined;
  /** Where this worker's mirror of each vault stands, as of the last job sent. */
  cursors: WeakMap<PiiVault, MirrorCursor>;
  /** Its module loaded (it said so). */
  ready: boolean;
  /** Stopped by the pool (a job timed out). */
  stopped: boolean;
  /** Stopped, failed or exited: nothing sent to it would be answered. */
  dead: boolean;
}

/** A job's worker failed before its module loaded: the page is presented on the event loop instead. */
class NotStarted extends Error {}

/**
 * Pages one session may have in the workers, per worker: two, so a worker has the session's next
 * page queued when it answers one, instead of idling while the event loop takes the answer and sends
 * the next; more would only make other sessions wait longer. (Pages go to the worker with the
 * fewest, so they spread; the cap is on the pool.)
 */
const PAGES_PER_WORKER = 2;
/** ≈ 80 MB of mirrors a worker at ≈ 0.4 KB an entry; one 1 MB page of members is 14,000–22,000 entries. */
const DEFAULT_MIRROR_ENTRY_BUDGET = 200_000;
/**
 * A vault larger than this share of the budget is not mirrored: its mirror would push every other
 * session's out of the worker, and each of theirs would then be copied whole from the event loop.
 */
const MAX_MIRROR_SHARE = 0.5;
const DEFAULT_JOB_TIMEOUT_MS = 30_000;
const COMMA = Buffer.from(',');

/** The inside of an answer's text content literal (answer-bytes.ts), without its quotes. */
const literalInside = (answer: { bytes: ArrayBuffer; structuredBytes: number; length: number }): Buffer =>
  Buffer.from(answer.bytes, answer.structuredBytes + 1, answer.length - answer.structuredBytes - 2);

/** Shared copies of pages being presented in two parts, kept for later pages (two are enough for two workers). */
const sharedPages: SharedArrayBuffer[] = [];
const MAX_SHARED_PAGES = 2;

/** `body` in memory both parts' workers read: nothing is transferred to them or back. */
function sharedCopy(body: Buffer): Buffer {
  const at = sharedPages.findIndex((page) => page.byteLength >= body.byteLength && page.byteLength <= 4 * body.byteLength);
  const page = at >= 0 ? sharedPages.splice(at, 1)[0]! : new SharedArrayBuffer(body.byteLength);
  const copy = Buffer.from(page, 0, body.byteLength);
  body.copy(copy);
  return copy;
}

function giveBackShared(copy: Buffer): void {
  if (sharedPages.length < MAX_SHARED_PAGES) sharedPages.push(copy.buffer as SharedArrayBuffer);
}

/** A whole page back from the worker it was transferred to (a worker returns every whole page it is sent). */
function returnedPage(body: Uint8Array | undefined): Buffer {
  if (body === undefined) throw new Error('a result worker did not return a whole page');
  return adoptReturnedBody(body);
}

/** Findings the other part of a split page did not have when it looked for known values in its own text. */
const learnedToPropagate = (findings: MirrorFindings | undefined) => findings !== undefined && (findings.propagated.order.length > 0 || findings.nameParts.length > 0);

/** Compiled JavaScript in production; from TypeScript (npm start, tests) through a starter that loads tsx. */
function workerUrl(): URL {
  return extname(fileURLToPath(import.meta.url)) === '.ts' ? new URL('./result-worker-tsx.mjs', import.meta.url) : new URL('./result-worker.js', import.meta.url);
}

/** Workers key mirrors and policies by these ids, so an id is never given to another object. */
let nextId = 1;
const ids = new WeakMap<object, number>();
const idOf = (vaultOrPolicy: object) => {
  let id = ids.get(vaultOrPolicy);
  if (id === undefined) ids.set(vaultOrPolicy, (id = nextId++));
  return id;
};

/**
 * A view of its own buffer: a structured clone copies a typed array's whole ArrayBuffer, and a
 * small Buffer shares Node's pool with other requests' bytes. A body the upstream client read into
 * a pooled buffer has it to itself, so it is transferred as it is; copied, the room behind it (an
 * earlier body's bytes) would be copied too.
 */
const ownBytes = (body: Buffer, transferred: boolean): Uint8Array =>
  (transferred && ownsItsBuffer(body)) || (body.byteOffset === 0 && body.byteLength === body.buffer.byteLength) ? body : new Uint8Array(body);

export function createResultWorkers(options: ResultWorkersOptions): ResultWorkers {
  const budget = options.mirrorEntryBudget ?? DEFAULT_MIRROR_ENTRY_BUDGET;
  const splitFromBytes = options.splitFromBytes ?? Infinity;
  const splitCounts = { split: 0, redone: 0, abandoned: 0 };
  const timeoutMs = options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const slots: Array<Slot | undefined> = new Array(options.workers).fill(undefined);
  let closed = false;
  /** No worker ever loaded its module and one failed to: the code cannot start here, so pages stay on the event loop. */
  let broken = false;
  let anyReady = false;
  /** Vaults whose sessions' vaults were dropped: no worker may mirror them again. */
  const forgotten = new WeakSet<PiiVault>();
  let jobIds = 1;

  const stop = (slot: Slot) => {
    options.log.error({ timeoutMs }, 'result worker did not answer in time; stopping it (the next job starts another)');
    slot.stopped = slot.dead = true;
    if (slots[slot.index] === slot) slots[slot.index] = undefined; // new jobs go elsewhere while it stops
    void slot.worker.terminate();
  };

  /** (Re)starts the clock for the job the worker is on, if any (the first one's includes loading the worker). */
  const clock = (slot: Slot) => {
    clearTimeout(slot.timer);
    slot.timer = slot.pending.size > 0 ? setTimeout(() => stop(slot), timeoutMs) : undefined;
  };

  const start = (index: number): Slot => {
    // No inherited flags: the parent's --import hooks (a profiler, a loader) are not the worker's business.
    // A young generation large enough for a page's parsed tree and its redacted copy (measured: less GC).
    const worker = new Worker(options.workerUrl ?? workerUrl(), { workerData: { mirrorEntryBudget: budget }, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    const slot: Slot = { worker, index, pending: new Map(), timer: undefined, cursors: new WeakMap(), ready: false, stopped: false, dead: false };
    const fail = (error: Error) => {
      slot.dead = true;
      if (slots[index] === slot) slots[index] = undefined;
      clearTimeout(slot.timer);
      for (const job of slot.pending.values()) job.reject(error);
      slot.pending.clear();
    };
    worker.on('message', (reply: JobReply | { ready: true }) => {
      if ('ready' in reply) {
        slot.ready = anyReady = true;
        return;
      }
      const job = slot.pending.get(reply.id);
      if (job === undefined) return;
      slot.pending.delete(reply.id);
      clock(slot);
      job.resolve(reply);
    });
    worker.on('error', (error) => {
      if (slot.ready) {
        options.log.error({ err: error }, 'result worker failed');
        return fail(new Error('result worker failed'));
      }
      if (!anyReady && !broken) {
        broken = true;
        options.log.error({ err: error }, 'result workers cannot start; large results are presented on the event loop');
      } else if (anyReady) options.log.error({ err: error }, 'result worker failed to start; its jobs are presented on the event loop');
      fail(new NotStarted('result worker did not start'));
    });
    worker.on('exit', (code) => {
      // A worker stopped for a timeout was logged when it was stopped.
      if (!closed && !slot.stopped && slot.pending.size > 0) options.log.error({ code }, 'result worker exited');
      fail(new Error('result worker exited'));
    });
    worker.unref(); // idle workers do not keep the process alive; a job in flight has its timer
    slots[index] = slot;
    return slot;
  };

  /** The worker with the fewest jobs in flight. */
  const pick = (): Slot => {
    let best: Slot | undefined;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] ?? start(i);
      if (best === undefined || slot.pending.size < best.pending.size) best = slot;
    }
    return best!;
  };

  const send = (slot: Slot, job: Job): Promise<JobReply> =>
    new Promise((resolve, reject) => {
      // A message to a worker that has exited is dropped without an error: it would never be answered.
      if (slot.dead) return reject(new Error('result worker exited'));
      // Copying a megabyte into the message cost the event loop 4–5 ms a page under load (bench/HISTORY.md,
      // item 20). A worker that has started answers every job, or fails it as an error (the page is not
      // needed then), and a resync brings the body back; one still starting may never load, and its jobs
      // are then presented here, so it gets a copy. Sent before the job is pending: a body that cannot
      // be sent (detached) fails this job, not the worker's clock.
      try {
        slot.worker.postMessage(job, slot.ready && job.body.buffer instanceof ArrayBuffer ? [job.body.buffer] : []);
      } catch (error) {
        return reject(error as Error);
      }
      slot.pending.set(job.id, { resolve, reject });
      if (slot.pending.size === 1) clock(slot);
    });

  /** Pages each owner has in the workers (PAGES_PER_WORKER a worker at most), and those waiting for a turn. */
  const turns = new Map<string, { inWorkers: number; waiting: Array<() => void> }>();
  /** `owner`'s turn: `wait` (absent when it is now) resolves when it may send a page; `done` when that page is. */
  const turnOf = (owner: string): { wait?: Promise<void>; done: () => void } => {
    let turn = turns.get(owner);
    if (turn === undefined) turns.set(owner, (turn = { inWorkers: 0, waiting: [] }));
    const own = turn;
    const done = () => {
      // A finished page hands its place straight to the next one waiting, so no newcomer slips in between.
      const next = own.waiting.shift();
      if (next !== undefined) return next();
      if (--own.inWorkers === 0) turns.delete(owner);
    };
    if (own.inWorkers < PAGES_PER_WORKER * slots.length) {
      own.inWorkers++;
      return { done };
    }
    return { wait: new Promise<void>((resolve) => own.waiting.push(resolve)), done };
  };

  /** Two workers with nothing to do, when there are. */
  const idlePair = (): [Slot, Slot] | undefined => {
    const idle = slots.filter((slot): slot is Slot => slot !== undefined && slot.ready && !slot.dead && slot.pending.size === 0);
    return idle.length >= 2 ? [idle[0]!, idle[1]!] : undefined;
  };

  const jobFor = (slot: Slot, input: SearchInput, resync: boolean, part?: Job['part']): Job => {
    const body = part === undefined ? ownBytes(input.body, slot.ready) : input.body;
    const job: Job = { id: jobIds++, type: input.type, body, policy: { id: idOf(input.policy), portable: portablePolicy(input.policy) } };
    if (part !== undefined) job.part = part;
    const { vault } = input;
    if (vault === undefined) return job;
    const from = resync ? START : (slot.cursors.get(vault) ?? START);
    const { delta, next } = deltaSince(vault, from);
    // Moved on now, not on the answer: the worker takes jobs in order, so the next job starts here.
    slot.cursors.set(vault, next);
    job.mirror = { id: idOf(vault), from, next, delta, ...(from === START ? { seed: mirrorSeed(vault)! } : {}) };
    return job;
  };

  /**
   * Why a page is left to the event loop after all, checked again when a waiting page's turn comes:
   * the pool closed or cannot start workers, or the vault was dropped (a whole copy sent now would
   * stay with no forget to come) or grew past its share of a worker's mirrors.
   */
  const declines = (vault: PiiVault | undefined): boolean =>
    slots.length === 0 || closed || broken || (vault !== undefined && (forgotten.has(vault) || vault.size > budget * MAX_MIRROR_SHARE));

  /** An answer buffer back to the worker that wrote it, for a later answer. */
  const giveBack = (slot: Slot, bytes: ArrayBuffer) => {
    if (!slot.dead) slot.worker.postMessage({ spare: bytes }, [bytes]);
  };

  /** The vault takes what the reply's mirror learned; the mirror's tokens it replaced, or null. */
  const adopt = (vault: PiiVault | undefined, reply: { findings: MirrorFindings | undefined }) =>
    vault !== undefined && reply.findings !== undefined ? adoptFindings(vault, reply.findings) : null;

  /**
   * A page presented in two parts by two idle workers at once (split-page.ts), spliced into one
   * answer: one page at a time waits about half as long. Each part's worker looks for the values known to
   * the session in its own text only; when one part learned a value to look for (a new name, an
   * e-mail), the other is presented again once the vault has it, so the answer is the one a whole
   * page would get. Undefined when the parts do not parse as a split page (the cut was inside a
   * record, or the page is not one) or a worker could not present its part: the caller presents the
   * page whole, which answers as it would have.
   */
  const presentSplit = async (input: SearchInput, cut: number, pair: [Slot, Slot]): Promise<PresentedPage | undefined> => {
    splitCounts.split++;
    const shared = sharedCopy(input.body);
    let parts: Awaited<ReturnType<typeof presentParts>>;
    try {
      parts = await presentParts(input, pair, shared, cut);
    } finally {
      giveBackShared(shared);
    }
    if (parts === undefined) {
      splitCounts.abandoned++;
      return undefined;
    }
    giveBackBody(input.body);
    const { replies, remaps } = parts;
    const [records, page] = replies;
    if (page.opened === undefined) throw new Error('the second part of a split page came back without where its records start');
    const [openS, openT] = page.opened;
    const structured = [
      Buffer.from(page.bytes, 0, openS),
      Buffer.from(records.bytes, 0, records.structuredBytes),
      COMMA,
      Buffer.from(page.bytes, openS, page.structuredBytes - openS),
    ];
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      replies.forEach((reply, k) => giveBack(pair[k]!, reply.bytes));
    };
    const [remapRecords, remapPage] = remaps;
    if (remapRecords === null && remapPage === null) {
      const text = [
        Buffer.from(page.bytes, page.structuredBytes, openT - page.structuredBytes),
        literalInside(records),
        COMMA,
        Buffer.from(page.bytes, openT, page.length - openT),
      ];
      return { structured, text, release };
    }
    // From the text content, not the structured JSON: there the tokens' guillemets are \u escapes.
    const rewrite = (text: string, remap: Map<string, string> | null) => (remap === null ? text : rewriteTokens(text, remap));
    const rewritten =
      rewrite(literalText(Buffer.from(page.bytes, page.structuredBytes + 1, openT - page.structuredBytes - 1)), remapPage) +
      rewrite(literalText(literalInside(records)), remapRecords) +
      ',' +
      rewrite(literalText(Buffer.from(page.bytes, openT, page.length - 1 - openT)), remapPage);
    release();
    return { structured: rewritten, text: JSON.stringify(rewritten) };
  };

  type Presented = Extract<JobReply, { ok: true }>;
  type Pair<T> = [first: T, second: T];

  /**
   * The two parts of a split page presented, the records first, and the vault's remaps of their
   * tokens; undefined when either could not be (what came back of the other goes back). A part that
   * looked for known values without what the other part learned goes again once the vault has it.
   */
  const presentParts = async (input: SearchInput, pair: Pair<Slot>, shared: Buffer, cut: number): Promise<{ replies: Pair<Presented>; remaps: Pair<Map<string, string> | null> } | undefined> => {
    const present = async (k: 0 | 1): Promise<Presented | undefined> => {
      const reply = await send(pair[k], jobFor(pair[k], { ...input, body: shared }, false, { which: k === 0 ? 'first' : 'second', cut }));
      return reply.ok ? reply : undefined;
    };
    const both = async (presenting: Pair<Promise<Presented | undefined> | Presented>): Promise<Pair<Presented> | undefined> => {
      const [a, b] = (await Promise.allSettled(presenting)).map((r) => (r.status === 'fulfilled' ? r.value : undefined));
      if (a !== undefined && b !== undefined) return [a, b];
      if (a !== undefined) giveBack(pair[0], a.bytes);
      if (b !== undefined) giveBack(pair[1], b.bytes);
      return undefined;
    };
    const first = await both([present(0), present(1)]);
    if (first === undefined) return undefined;
    const remaps: Pair<Map<string, string> | null> = [adopt(input.vault, first[0]), adopt(input.vault, first[1])];
    const again: Pair<boolean> = [learnedToPropagate(first[1].findings), learnedToPropagate(first[0].findings)];
    if (input.vault !== undefined) lastPageLearned.set(input.vault, again[0] || again[1]);
    if (!again[0] && !again[1]) return { replies: first, remaps };
    if (declines(input.vault)) {
      // Dropped meanwhile (a whole copy sent now would stay with no forget to come): see presentInTurn.
      giveBack(pair[0], first[0].bytes);
      giveBack(pair[1], first[1].bytes);
      return undefined;
    }
    splitCounts.redone++;
    if (again[0]) giveBack(pair[0], first[0].bytes);
    if (again[1]) giveBack(pair[1], first[1].bytes);
    const replies = await both([again[0] ? present(0) : first[0], again[1] ? present(1) : first[1]]);
    if (replies === undefined) return undefined;
    // What a part presented again learned, the vault had: only a bug could make it learn more.
    if ((again[0] && learnedToPropagate(replies[0].findings)) || (again[1] && learnedToPropagate(replies[1].findings))) {
      giveBack(pair[0], replies[0].bytes);
      giveBack(pair[1], replies[1].bytes);
      return undefined;
    }
    if (again[0]) remaps[0] = adopt(input.vault, replies[0]);
    if (again[1]) remaps[1] = adopt(input.vault, replies[1]);
    return { replies, remaps };
  };

  /**
   * Whether the session's last large page taught its vault values to look for in free text. Then
   * its next page is likely new people too, and presented whole: split, both parts would go twice,
   * which costs more than a whole page (bench/HISTORY.md). Unknown before a first page, which is new.
   */
  const lastPageLearned = new WeakMap<PiiVault, boolean>();
  /**
   * Pages being presented, waiting for a turn included. A page is split only when it is the only one:
   * with others about, the workers are soon busy with them anyway, and the two parts cost more CPU
   * than a whole page on two busy vCPUs (at 10 connections, 27.9 ms a call against 23.8).
   */
  let pagesAbout = 0;
  const splittable = (input: SearchInput) =>
    pagesAbout === 1 && input.body.byteLength >= splitFromBytes && (input.vault === undefined || lastPageLearned.get(input.vault) === false);

  const presentInTurn = async (input: SearchInput): Promise<PresentedPage | undefined> => {
    if (splittable(input)) {
      const pair = idlePair();
      const cut = pair === undefined ? -1 : splitPoint(input.body);
      if (cut >= 0) {
        const presented = await presentSplit(input, cut, pair!);
        if (presented !== undefined) return presented;
        if (declines(input.vault)) return undefined; // it may have been dropped meanwhile
      }
    }
    let reply: JobReply;
    let answeredBy: Slot;
    try {
      answeredBy = pick();
      reply = await send(answeredBy, jobFor(answeredBy, input, false));
      if (!reply.ok && reply.reason === 'resync') {
        input.body = returnedPage(reply.body);
        if (declines(input.vault)) return undefined;
        // Its worker may have been stopped meanwhile (the resync came with its last answers).
        if (answeredBy.dead) answeredBy = pick();
        reply = await send(answeredBy, jobFor(answeredBy, input, true));
      }
    } catch (error) {
      if (error instanceof NotStarted) return undefined;
      throw error;
    }
    if (!reply.ok) {
      if (reply.reason === 'invalid_page') throw new UpstreamUnavailableError({ status: 200 });
      throw new Error(`result worker could not present the page (${reply.reason})`);
    }
    // Back by transfer, so nothing here has another view of it.
    giveBackBody(returnedPage(reply.body));
    const remap = adopt(input.vault, reply);
    if (input.vault !== undefined) lastPageLearned.set(input.vault, learnedToPropagate(reply.findings));
    const { bytes, structuredBytes, length } = reply;
    const structured = Buffer.from(bytes, 0, structuredBytes);
    const worker = answeredBy;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      giveBack(worker, bytes);
    };
    if (remap === null) return { structured, text: Buffer.from(bytes, structuredBytes, length - structuredBytes), release };
    const rewritten = rewriteTokens(literalText(literalInside(reply)), remap);
    release();
    return { structured: rewritten, text: JSON.stringify(rewritten) };
  };

  return {
    takes: (body, vault) => body.byteLength >= options.minBytes && (vault === undefined || mirrorSeed(vault) !== undefined) && !declines(vault),

    async presentSearch(input) {
      if (declines(input.vault)) return undefined; // also: with no workers, a turn would never come
      const turn = turnOf(input.owner);
      pagesAbout++;
      try {
        if (turn.wait !== undefined) {
          await turn.wait;
          if (declines(input.vault)) return undefined;
        }
        return await presentInTurn(input);
      } finally {
        pagesAbout--;
        turn.done();
      }
    },

    splits: () => ({ ...splitCounts }),

    forget(vault) {
      forgotten.add(vault);
      const id = ids.get(vault);
      if (id === undefined) return;
      for (const slot of slots) {
        if (!slot?.cursors.has(vault)) continue;
        slot.cursors.delete(vault);
        slot.worker.postMessage({ forget: id });
      }
    },

    async close() {
      closed = true;
      await Promise.all(slots.map((slot) => slot?.worker.terminate()));
    },
  };
}
