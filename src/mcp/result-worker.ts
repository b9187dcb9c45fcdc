/**
 * A result worker's thread (see result-workers.ts): parses a large search page, checks its shape,
 * redacts it with a mirror of the session's vault and serializes it, so the event loop only moves
 * bytes. Keeps mirrors of recently used vaults within an entry budget (least recently used out
 * first) and drops one when told its session's vault is gone; a job for a mirror it no longer holds
 * (or holds at another point, or that contradicts the vault) is answered `resync`.
 * Does no I/O and logs nothing: failures go back as reasons.
 */
import { parentPort, workerData } from 'node:worker_threads';
// Modules, not the folders' index.ts: a worker loads only what presenting a page needs (no HTTP client).
import { policyFromPortable, type PortablePolicy } from '../pii/redaction-policy.js';
import { VaultMirror, type MirrorCursor } from '../pii/vault-mirror.js';
import { parseObjectBytesOnce } from '../upstream/parse-json-bytes.js';
import { isRecord, parseSearchPage, searchPageOf } from '../upstream/schemas.js';
import type { SearchPage } from '../upstream/types.js';
import { getOrAdd } from '../bounded-map.js';
import { SpareBuffers } from '../spare-buffers.js';
import { answerBytes, answerBytesOpenAt, elementBytes, type AnswerBytes } from './answer-bytes.js';
import { partText } from './split-page.js';
import { searchResultValue, structuredOf } from './present.js';
import type { Job, JobReply } from './result-workers.js';

const budget: number = (workerData as { mirrorEntryBudget: number }).mirrorEntryBudget;
/** In least-recently-used order. */
const mirrors = new Map<number, { mirror: VaultMirror; cursor: MirrorCursor }>();
const policies = new Map<number, ReturnType<typeof policyFromPortable>>();
const MAX_POLICIES = 256;
/** Answer buffers the event loop gave back: ≈ 6 answers of a 1 MB page; a larger answer's buffer is left to the collector. */
const spares = new SpareBuffers(16 * 1024 * 1024);

const sameCursor = (a: MirrorCursor, b: MirrorCursor) => a.entries === b.entries && a.log === b.log && a.parts === b.parts;

function policyOf(id: number, portable: PortablePolicy) {
  return getOrAdd(policies, id, MAX_POLICIES, () => policyFromPortable(portable));
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

/**
 * The value a job presents, or undefined when its body is not what the job says. A part of a split
 * page is an object with nothing but `records` (the first part) or a whole page whose records are
 * the rest (the second), each parsed refusing a key twice (see split-page.ts).
 */
function valueOf(job: Job): Record<string, unknown> | undefined {
  let page: SearchPage;
  try {
    if (job.part?.which === 'first') {
      const value = parseObjectBytesOnce(partText(job.body, job.part));
      const records = value?.records;
      if (value === undefined || Object.keys(value).length !== 1 || !Array.isArray(records) || !records.every(isRecord)) return undefined;
      return { records };
    }
    if (job.part?.which === 'second') {
      const value = parseObjectBytesOnce(partText(job.body, job.part));
      if (value === undefined) return undefined;
      page = searchPageOf(value);
    } else {
      page = parseSearchPage(job.body);
    }
  } catch {
    return undefined;
  }
  return searchResultValue(job.type, page as unknown as Record<string, unknown>);
}

function run(job: Job): JobReply {
  const mirror = mirrorFor(job);
  // A part's page is shared with the other part's worker, not transferred: nothing to give back.
  const body = job.part === undefined ? job.body : undefined;
  if (mirror === 'resync') return { id: job.id, ok: false, reason: 'resync', body };
  const value = valueOf(job);
  if (value === undefined) return { id: job.id, ok: false, reason: 'invalid_page' };
  const policy = policyOf(job.policy.id, job.policy.portable);
  const { value: structured, findings } =
    mirror === undefined ? { value: structuredOf(value, undefined, policy), findings: undefined } : mirror.learn((vault) => structuredOf(value, vault, policy));
  // Bytes in one transferred buffer, not strings: cloning a megabyte string to the event loop
  // took it 8–18 ms (bench/HISTORY.md, item 17); a transfer moves the buffer in 0.2 ms, and the
  // response is written from it as it is.
  let answer: AnswerBytes;
  let opened: [number, number] | undefined;
  if (job.part?.which === 'first') answer = elementBytes(structured.records as unknown[], spares);
  else if (job.part?.which === 'second') ({ opened, ...answer } = answerBytesOpenAt(structured, spares, 'records'));
  else answer = answerBytes(structured, spares);
  const { buffer, structuredBytes, length } = answer;
  return { id: job.id, ok: true, bytes: buffer, structuredBytes, length, findings, body, ...(opened === undefined ? {} : { opened }) };
}

parentPort!.on('message', (message: Job | { forget: number } | { spare: ArrayBuffer }) => {
  if ('forget' in message) return void mirrors.delete(message.forget);
  if ('spare' in message) return spares.give(message.spare);
  const job = message;
  let reply: JobReply;
  try {
    reply = run(job);
  } catch {
    // The mirror may hold what this job learned and will never report: start it again next time.
    if (job.mirror !== undefined) mirrors.delete(job.mirror.id);
    // No message: an error about a page can quote its personal data.
    reply = { id: job.id, ok: false, reason: 'failed' };
  }
  const body = reply.ok || reply.reason === 'resync' ? reply.body : undefined;
  const transfer = [...(reply.ok ? [reply.bytes] : []), ...(body === undefined ? [] : [body.buffer as ArrayBuffer])];
  parentPort!.postMessage(reply, transfer);
});

parentPort!.postMessage({ ready: true });
