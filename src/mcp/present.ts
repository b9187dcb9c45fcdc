/**
 * The one way out for everything the model reads: results and failures alike pass the PII filter
 * here, unless the session chose to share personal data. Tool failures are results with
 * `isError: true` and a hint the assistant can act on, never thrown exceptions.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';
import { redact, redactText, type PiiVault, type RedactionPolicy } from '../pii/index.js';

export interface Presenter {
  result(value: Record<string, unknown>, policy: RedactionPolicy): CallToolResult;
  failure(message: string, details?: Record<string, unknown>): CallToolResult;
}

/**
 * The JSON text of each presented result's structuredContent (it is also the text content): the
 * fast path splices it into the response instead of serializing the same value a second time.
 */
const structuredJson = new WeakMap<CallToolResult, string>();
export const structuredJsonOf = (result: CallToolResult): string | undefined => structuredJson.get(result);

/** `vault` is absent exactly when the person chose to share personal data. */
export function createPresenter({ vault }: { vault: PiiVault | undefined }): Presenter {
  const piiRedaction = vault ? 'on' : 'off';
  const clean = (value: unknown, policy: RedactionPolicy) => (vault ? redact(value, vault, policy) : value);
  const cleanText = (text: string) => (vault ? redactText(text, vault) : text);

  return {
    result(value, policy) {
      const structured = { ...(clean(value, policy) as Record<string, unknown>), piiRedaction };
      const text = JSON.stringify(structured);
      const presented: CallToolResult = { content: [{ type: 'text', text }], structuredContent: structured };
      structuredJson.set(presented, text);
      return presented;
    },
    failure(message, details = {}) {
      const structured = { error: cleanText(message), ...details, piiRedaction };
      return { isError: true, content: [{ type: 'text', text: structured.error }], structuredContent: structured };
    },
  };
}
