// The result worker, for tests that need a job to take a known time: a job of type "sleep-<ms>"
// waits that long before the real worker presents it, and one of type "hang" never finishes.
import { parentPort } from 'node:worker_threads';

// The real worker's message listener is wrapped, so nothing here runs before it has loaded.
const on = parentPort.on.bind(parentPort);
parentPort.on = (event, listener) =>
  on(event, event !== 'message' ? listener : (message) => {
    const type = typeof message?.type === 'string' ? message.type : '';
    if (type === 'hang') for (;;);
    const sleep = /^sleep-(\d+)$/.exec(type);
    if (sleep) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(sleep[1]));
    listener(message);
  });
await import('../../src/mcp/result-worker-tsx.mjs');
