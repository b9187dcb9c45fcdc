// Starts result-worker.ts where Gatehouse runs from TypeScript (npm start, tests): Node 20 does not
// apply tsx's loader to a worker's entry module, so the worker registers it before importing.
// Compiled builds start dist/mcp/result-worker.js directly and never load this file.
import { register } from 'tsx/esm/api';

register();
await import('./result-worker.ts');
