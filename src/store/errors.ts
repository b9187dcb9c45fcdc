/**
 * Local error of a shared Store: the backend could not be reached or did not answer in time.
 * The message is fixed and safe (never a key, a value or the connection URL, which may carry a
 * password); the driver's error is the `cause`, for logs only. The HTTP boundary maps it to a
 * 503 / `temporarily_unavailable`; callers fail closed, never fall back to "allow".
 */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';

  constructor(message = 'The store is unavailable.', options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreUnavailableError';
  }
}
