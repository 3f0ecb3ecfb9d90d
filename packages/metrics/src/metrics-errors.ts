import { errorsFor } from '@tiercache/core/kit';

/** This package's error factories: every message starts with `@tiercache/metrics: `. */
export const metricsErrors = errorsFor('@tiercache/metrics');
