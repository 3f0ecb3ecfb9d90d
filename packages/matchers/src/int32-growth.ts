/**
 * `array`, or a copy at least `needed` long when it is shorter. Capacity at least doubles so a
 * run of appends copies each element a constant number of times on average.
 */
export function grown(array: Int32Array<ArrayBuffer>, needed = array.length + 1): Int32Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const next = new Int32Array(Math.max(needed, array.length * 2, 4));
  next.set(array);
  return next;
}
