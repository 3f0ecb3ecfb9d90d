import { errorsFor } from '@tiercache/core/kit';

/** This package's error factories: every message starts with `@tiercache/disk: `. */
export const diskErrors = errorsFor('@tiercache/disk');
