import { errorsFor } from '@tiercache/core/kit';

/** This package's error factories: every message starts with `@tiercache/memory: `. */
export const memoryErrors = errorsFor('@tiercache/memory');
