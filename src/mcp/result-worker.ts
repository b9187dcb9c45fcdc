/**
 * A result worker's thread (see result-workers.ts): parses a large search page, checks its shape,
 * redacts it with a mirror of the session's vault and serializes it, so the event loop only moves
 * bytes. Keeps mirrors of recently used vaults within an entry budget (least recently used out
 * first) and drops one when told its session's vault is gone; a job for a mirror it no longer holds
 * (or holds at another point, or that contradicts the vault) is answered `resync`.
 * A split page's part comes in two steps (result-workers.ts, presentSplit): `split` parses the
 * page and redacts this worker's half of its records except for propagation, and answers what the
 * other half must look for; `finish` takes what the other half found, propagates, and answers
 * this half's JSON.
 * Does no I/O and logs nothing: failures go back as reasons.
 */
import { parentPort, workerData } from 'node:worker_threads';
// Modules, not the folders' index.ts: a worker loads only what presenting a page needs (no HTTP client).
import { policyFromPortable, type PortablePolicy } from '../pii/redaction-policy.js';
import { VaultMirror, type MirrorCursor, type MirrorLearning } from '../pii/vault-mirror.js';
import { parseSearchPage } from '../upstream/schemas.js';
import type { SearchPage } from '../upstream/types.js';
import { presentInSteps, presentStructured, searchResultValue } from './present.js';
import type { FinishPart, Job, JobReply } from './result-workers.js';

const budget: number = (workerData as { mirrorEntryBudget: number }).mirrorEntryBudget;
/** In least-recently-used order. */
const mirrors = new Map<number, { mirror: VaultMirror; cursor: MirrorCursor }>();
const policies = new Map<number, ReturnType<typeof policyFromPortable>>();
const MAX_POLICIES = 256;

const sameCursor = (a: MirrorCursor, b: MirrorCursor) => a.entries === b.entries && a.log === b.log && a.parts === b.parts;

function policyOf(id: number, portable: PortablePolicy) {
  let policy = policies.get(id);
  if (policy === undefined) {
    if (policies.size >= MAX_POLICIES) policies.delete(policies.keys().next().value!);
    policy = policyFromPortable(portable);
    policies.set(id, policy);
  }
  return policy;
}

function trim(keep: number): void {
  let total = 0;
  for (const { mirror } of mirrors.values()) total += mirror.size;
  for (const [id, { mirror }] of mirrors) {
    if (total <= budget) return;
    if (id === keep) continue;
    total -= mirror.size;
    mirrors.delete(id);
  }
}

function mirrorFor(job: Job): VaultMirror | 'resync' | undefined {
  const m = job.mirror;
  if (m === undefined) return undefined;
  let held = mirrors.get(m.id);
  if (m.seed !== undefined) {
    held = { mirror: new VaultMirror(m.seed), cursor: m.from };
  } else if (held === undefined || !sameCursor(held.cursor, m.from)) {
    return 'resync';
  }
  if (!held.mirror.apply(m.delta)) {
    mirrors.delete(m.id);
    return 'resync';
  }
  held.cursor = m.next;
  mirrors.delete(m.id);
  mirrors.set(m.id, held);
  trim(m.id);
  return held.mirror;
}

function run(job: Job): JobReply {
  const mirror = mirrorFor(job);
  if (mirror === 'resync') return { id: job.id, ok: false, reason: 'resync' };
  let page: SearchPage;
  try {
    page = parseSearchPage(job.body);
  } catch {
    return { id: job.id, ok: false, reason: 'invalid_page' };
  }
  const value = searchResultValue(job.type, page as unknown as Record<string, unknown>);
  const policy = policyOf(job.policy.id, job.policy.portable);
  const { value: json, findings } =
    mirror === undefined
      ? { value: presentStructured(value, undefined, policy).json, findings: undefined }
      : mirror.learn((vault) => presentStructured(value, vault, policy).json);
  // Strings, not UTF-8 bytes: cloning a one-byte string is a copy, encoding it here cost ≈ 3.5 ms a megabyte.
  return { id: job.id, ok: true, structured: json, text: JSON.stringify(json), findings };
}

/** Split pages' parts between their two steps, by the first step's job id. */
const parts = new Map<number, { mirrorId: number | undefined; learning: MirrorLearning | undefined; finish(): Record<string, unknown>; first: boolean }>();
/** The pool sends each part's second step (or an abort) right after the other part's first: more waiting means a bug, not load. */
const MAX_PARTS = 8;
const RECORDS = '"records":[';

function dropPart(id: number): void {
  const part = parts.get(id);
  if (part === undefined) return;
  parts.delete(id);
  // Its mirror learned the first step's findings, which nobody will adopt: start it again next time.
  if (part.mirrorId !== undefined) mirrors.delete(part.mirrorId);
}

function startPart(job: Job & { split: { first: boolean } }): JobReply {
  const mirror = mirrorFor(job);
  if (mirror === 'resync') return { id: job.id, ok: false, reason: 'resync' };
  let page: SearchPage;
  try {
    page = parseSearchPage(job.body);
  } catch {
    return { id: job.id, ok: false, reason: 'invalid_page' };
  }
  const middle = Math.ceil(page.records.length / 2);
  const half = job.split.first ? page.records.slice(0, middle) : page.records.slice(middle);
  const value = searchResultValue(job.type, { ...page, records: half } as unknown as Record<string, unknown>);
  const learning = mirror?.begin();
  const { finish } = presentInSteps(value, learning?.vault, policyOf(job.policy.id, job.policy.portable));
  if (parts.size >= MAX_PARTS) dropPart(parts.keys().next().value!);
  parts.set(job.id, { mirrorId: job.mirror?.id, learning, finish, first: job.split.first });
  return { id: job.id, ok: true, records: half.length, found: learning?.forPeer() };
}

function finishPart(message: FinishPart): JobReply {
  const part = parts.get(message.finish);
  if (part === undefined) return { id: message.id, ok: false, reason: 'failed' };
  parts.delete(message.finish);
  if (part.learning !== undefined && message.peer !== undefined && !part.learning.takePeer(message.peer)) {
    if (part.mirrorId !== undefined) mirrors.delete(part.mirrorId);
    return { id: message.id, ok: false, reason: 'resync' };
  }
  const structured = part.finish();
  const records = structured.records;
  // The frame around the records, whose only `"records":[` is the key (quotes inside strings are escaped).
  const frame = JSON.stringify({ ...structured, records: [] });
  const at = frame.indexOf(RECORDS) + RECORDS.length;
  if (!Array.isArray(records) || at < RECORDS.length) throw new Error('no records to split');
  const inner = JSON.stringify(records).slice(1, -1);
  const json = part.first ? frame.slice(0, at) + inner : inner + frame.slice(at);
  return { id: message.id, ok: true, structured: json, text: JSON.stringify(json).slice(1, -1), findings: part.learning?.findings() };
}

parentPort!.on('message', (message: Job | FinishPart | { abort: number } | { forget: number }) => {
  if ('forget' in message) return void mirrors.delete(message.forget);
  if ('abort' in message) return void dropPart(message.abort);
  const mirrorId = 'finish' in message ? parts.get(message.finish)?.mirrorId : message.mirror?.id;
  let reply: JobReply;
  try {
    reply = 'finish' in message ? finishPart(message) : message.split !== undefined ? startPart(message as Job & { split: { first: boolean } }) : run(message);
  } catch {
    // The mirror may hold what this job learned and will never report: start it again next time.
    if ('finish' in message) parts.delete(message.finish);
    if (mirrorId !== undefined) mirrors.delete(mirrorId);
    // No message: an error about a page can quote its personal data.
    reply = { id: message.id, ok: false, reason: 'failed' };
  }
  parentPort!.postMessage(reply);
});

parentPort!.postMessage({ ready: true });
