/**
 * Get-or-add on a Map that drops its oldest entry beyond `max`: for values kept by a key whose
 * number nobody bounds (accounts, field lists, policies sent to a worker).
 */
export function getOrAdd<K, V>(map: Map<K, V>, key: K, max: number, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= max) map.delete(map.keys().next().value!);
    value = make();
    map.set(key, value);
  }
  return value;
}
