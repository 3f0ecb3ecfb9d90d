// A real (tiny) WAV encoder for tests: 16-bit mono PCM, one short sine tone per character,
// so different texts give different, playable audio.
const SAMPLE_RATE = 8000;
const SAMPLES_PER_CHARACTER = 80;

export function encodeWav(text: string): Uint8Array {
  const characters = [...text];
  const samples = characters.length * SAMPLES_PER_CHARACTER;
  const buffer = new ArrayBuffer(44 + samples * 2);
  const view = new DataView(buffer);
  const ascii = (offset: number, value: string) => {
    for (let i = 0; i < value.length; i++) view.setUint8(offset + i, value.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, SAMPLE_RATE, true);
  view.setUint32(28, SAMPLE_RATE * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  characters.forEach((character, c) => {
    const frequency = 200 + ((character.codePointAt(0) ?? 0) % 64) * 20;
    for (let s = 0; s < SAMPLES_PER_CHARACTER; s++) {
      const sample = Math.round(Math.sin((2 * Math.PI * frequency * s) / SAMPLE_RATE) * 12_000);
      view.setInt16(44 + (c * SAMPLES_PER_CHARACTER + s) * 2, sample, true);
    }
  });
  return new Uint8Array(buffer);
}
