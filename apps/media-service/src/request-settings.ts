import { MediaServiceError } from './errors.js';

export const DEFAULT_VOICE = { voice: 'en-us', speed: 165, pitch: 50 } as const;
export const DEFAULT_IMAGE = { width: 640, height: 360, steps: 4 };

/** Rejects voice settings espeak-ng would misread or refuse, naming the bad value. */
export function checkVoice(settings: { voice: string; speed: number; pitch: number }): void {
  const { voice, speed, pitch } = settings;
  // The voice goes to a command line: a name only, so it can never read as an option.
  if (!/^[A-Za-z0-9][A-Za-z0-9_+-]{0,63}$/.test(voice))
    throw new MediaServiceError('E_USAGE', `voice ${JSON.stringify(voice)} is not an eSpeak NG voice name`);
  if (!Number.isInteger(speed) || speed < 80 || speed > 450)
    throw new MediaServiceError(
      'E_USAGE',
      `speed ${speed} is not a whole number of words per minute from 80 to 450`,
    );
  if (!Number.isInteger(pitch) || pitch < 0 || pitch > 99)
    throw new MediaServiceError('E_USAGE', `pitch ${pitch} is not a whole number from 0 to 99`);
}
