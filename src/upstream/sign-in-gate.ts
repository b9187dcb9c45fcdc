/**
 * At most `concurrent` password checks in flight at the upstream; the rest wait in line, first come
 * first served (at most `maxWaiting` of them, each at most `maxWaitMs`). A password check is slow on
 * purpose (argon2 and the like take tens of milliseconds of a core each); on a small box that also
 * runs the upstream, as the embedded default does, unbounded sign-ins take every core from tool
 * calls. Past the line, SignInBusyError: the sign-in page asks the person to try again shortly.
 */
import { UpstreamError } from './errors.js';
import type { Upstream } from './types.js';

export class SignInBusyError extends UpstreamError {
  constructor() {
    super('unavailable', 'Too many sign-ins are in progress.');
    this.name = 'SignInBusyError';
  }
}

export interface SignInGateOptions {
  concurrent: number;
  maxWaiting?: number;
  maxWaitMs?: number;
}

export function gateSignIns(upstream: Upstream, { concurrent, maxWaiting = 64, maxWaitMs = 10_000 }: SignInGateOptions): Upstream {
  if (!Number.isInteger(concurrent) || concurrent < 1) throw new RangeError('concurrent must be a positive integer');
  let active = 0;
  const line: Array<() => void> = [];

  const enter = () =>
    new Promise<void>((resolve, reject) => {
      if (active < concurrent) {
        active++;
        return resolve();
      }
      if (line.length >= maxWaiting) return reject(new SignInBusyError());
      const timer = setTimeout(() => {
        line.splice(line.indexOf(admit), 1);
        reject(new SignInBusyError());
      }, maxWaitMs);
      const admit = () => {
        clearTimeout(timer);
        resolve();
      };
      line.push(admit);
    });
  // The slot passes straight to the next in line, so `active` never drops below what is running.
  const leave = () => {
    const next = line.shift();
    if (next) next();
    else active--;
  };

  // Everything else is the upstream's own (delegated through the prototype, so class-based upstreams work too).
  const gated: Upstream = Object.create(upstream) as Upstream;
  gated.signIn = async (email, password) => {
    await enter();
    try {
      return await upstream.signIn(email, password);
    } finally {
      leave();
    }
  };
  return gated;
}
