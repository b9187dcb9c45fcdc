import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const url = new URL('./w2.ts', import.meta.url);
const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
console.log(api);
const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
await new Promise<void>((resolve) => {
  const w = new Worker(code, { eval: true });
  w.on('message', (m) => { console.log('ok', m); w.terminate(); resolve(); });
  w.on('error', (e) => { console.log('err', e.message.slice(0, 200)); resolve(); });
});
