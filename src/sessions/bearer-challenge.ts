/** WWW-Authenticate challenges of the protected resource (RFC 6750 §3, RFC 9728 §5.1). */
export function bearerChallenge(options: {
  resourceMetadataUrl: string;
  scope: string;
  error?: 'invalid_token' | 'insufficient_scope' | 'invalid_request';
  description?: string;
}): string {
  const parts: string[] = [];
  if (options.error) parts.push(`error="${options.error}"`);
  if (options.description) parts.push(`error_description="${options.description.replace(/["\\]/g, '')}"`);
  parts.push(`resource_metadata="${options.resourceMetadataUrl}"`);
  parts.push(`scope="${options.scope}"`);
  return `Bearer ${parts.join(', ')}`;
}
