/**
 * Every string and object key in a JSON value, at any depth (512 levels, as redaction allows);
 * entries under a key of `leaveOut` are left out, key and value.
 */
export function stringsOf(value: unknown, leaveOut?: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const visit = (v: unknown, depth: number) => {
    if (typeof v === 'string') found.push(v);
    else if (v !== null && typeof v === 'object' && depth <= 512) {
      if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
      else
        for (const [k, x] of Object.entries(v)) {
          if (leaveOut?.has(k)) continue;
          found.push(k);
          visit(x, depth + 1);
        }
    }
  };
  visit(value, 0);
  return found;
}
