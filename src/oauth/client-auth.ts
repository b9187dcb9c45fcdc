/** Public clients may still send their id in HTTP Basic (RFC 6749 §2.3.1) with an empty secret. */
export function basicClientId(header: string | undefined): string | undefined {
  if (header === undefined || !/^Basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, separator).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
