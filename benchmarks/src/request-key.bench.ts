import { hash } from 'node:crypto';
import { deriveKey } from '@tiercache/core';
import { compare } from './harness.js';

// Realistic requests: a TTS line with a nested voice config and an image prompt with a
// house style, alternating so neither path is favoured by branch prediction.
const requests = [
  {
    type: 'tts',
    prompt: 'Every morning is a new chance to become who you want to be.',
    params: { engine: 'espeak-ng', voice: { name: 'en-us', speed: 165, pitch: 50 }, format: 'wav' },
  },
  {
    type: 'image',
    prompt: 'a calm lake at sunrise, golden light, mist over the water, cinematic, 4k',
    params: {
      model: 'flux-schnell',
      width: 1024,
      height: 1024,
      steps: 4,
      negative_prompt: 'text, watermark',
    },
  },
];
// The baseline hashes the very bytes deriveKey hashes for the key (the partition hash is
// remembered per params set), so the ratio is the price of validation, normalization,
// canonical JSON and the partition lookup.
const preformed = requests.map((r) => `${deriveKey(r).paramsHash}\u0000${r.prompt}`);

export async function benchRequestKey(): Promise<void> {
  let i = 0;
  let j = 0;
  let k = 0;
  const rows = await compare(
    'Request key derivation (deriveKey) vs a bare SHA-256 of the same bytes',
    [
      {
        name: "crypto.hash('sha256') of preformed key material",
        run: () => hash('sha256', preformed[j++ & 1]!),
      },
      {
        name: 'deriveKey(request), params object reused (a pipeline passing one voice config)',
        run: () => deriveKey(requests[i++ & 1]!),
      },
      {
        name: 'deriveKey(request), params object built for every call',
        run: () => {
          const request = requests[k++ & 1]!;
          return deriveKey({ ...request, params: { ...request.params } });
        },
      },
    ],
    { batch: 2000, samples: 100 },
  );
  console.log(
    `\nderiveKey runs at ${rows[1]!.speedVsBaseline.toFixed(2)}× (reused params) and ${rows[2]!.speedVsBaseline.toFixed(2)}× (fresh params) the speed of a bare hash (target ≥ 0.5×)`,
  );
}
