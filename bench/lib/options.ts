/** A bench script's `--name=value` option, or `fallback`; the value is everything after the first `=` (a V8 flag may hold one). */
export const option = (name: string, fallback: string): string =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
