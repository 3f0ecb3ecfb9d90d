/**
 * A 52-bit hash of a string (two 32-bit FNV-1a lanes), exact in a double. Form tables key on
 * it instead of the form itself, which would double their memory; a collision only costs a
 * comparison, since every candidate's form is recomputed before it answers.
 */
export function formHash(text: string): number {
  let a = 0x811c9dc5 | 0;
  let b = 0x9747b28c | 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x100000 + ((b >>> 12) & 0xfffff);
}
