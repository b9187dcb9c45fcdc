/**
 * A page presented by result workers, as tests read it. Bytes from a worker must be ASCII (every
 * other character a `\u` escape, answer-bytes.ts); the structured JSON is given back as
 * `JSON.stringify` writes the value it holds, so it compares with the event loop's text and with the
 * text content, which must hold that same JSON text.
 */
import { expect } from 'vitest';
import type { PresentedPage, SerializedText } from '../../src/mcp/result-workers.js';

function decoded(serialized: SerializedText, what: string): string {
  if (typeof serialized === 'string') return serialized;
  const bytes = Buffer.isBuffer(serialized) ? serialized : Buffer.concat(serialized);
  expect(bytes.every((byte) => byte < 0x80), `${what}: every byte ASCII`).toBe(true);
  return bytes.toString('latin1');
}

/** The structured content's JSON text and the text content's literal, the one checked against the other. */
export function presentedTexts(presented: PresentedPage): { structured: string; text: string } {
  const structured = JSON.stringify(JSON.parse(decoded(presented.structured, 'the structured content')));
  const text = decoded(presented.text, 'the text content');
  expect(JSON.parse(text), 'the text content holds the structured JSON').toBe(structured);
  return { structured, text };
}
