import { errorsFor } from '@tiercache/core/kit';

/** This package's error factories; every message starts with the package name. */
export const diskErrors = errorsFor('@tiercache/disk');
