import type { GeneratedAsset } from '@tiercache/core';
import { canonicalJson } from '@tiercache/core/kit';
import { invalidRequest, isPlainObject, mediaErrors } from './invalid.js';
import type { GeneratedMedia } from './media-types.js';

const EXTENSION = /^[a-z0-9]{1,16}$/;

/**
 * Checks what a generator resolved to before anything is written or cached. Empty output is
 * refused with `E_EMPTY_CONTENT`, in both enabled and disabled modes, so a broken engine
 * shows up the same way whether or not the cache is on.
 */
export function checkMedia(kind: string, media: unknown): GeneratedMedia {
  const field = (name: string) => `the ${kind} generator's ${name}`;
  if (typeof media !== 'object' || media === null) {
    invalidRequest(`the ${kind} generator's result`, media, '{ bytes, mediaType, extension }');
  }
  const { bytes, mediaType, extension, metadata, generationCost } = media as Record<string, unknown>;
  if (!(bytes instanceof Uint8Array)) invalidRequest(field('bytes'), bytes, 'a Uint8Array');
  if (bytes.length === 0) {
    throw mediaErrors.emptyContent(
      `the ${kind} generator returned empty output; it is not cached or delivered`,
      { context: { field: field('bytes') } },
    );
  }
  if (typeof mediaType !== 'string' || !mediaType.includes('/')) {
    invalidRequest(field('mediaType'), mediaType, 'a media type such as audio/wav');
  }
  if (typeof extension !== 'string' || !EXTENSION.test(extension)) {
    invalidRequest(field('extension'), extension, '1-16 lowercase letters or digits, without a dot');
  }
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) invalidRequest(field('metadata'), metadata, 'a plain JSON object');
    try {
      canonicalJson(metadata);
    } catch (error) {
      invalidRequest(field('metadata'), metadata, 'plain JSON', error);
    }
  }
  if (
    generationCost !== undefined &&
    !(typeof generationCost === 'number' && Number.isFinite(generationCost) && generationCost >= 0)
  ) {
    invalidRequest(field('generationCost'), generationCost, 'a non-negative number of USD');
  }
  return media as GeneratedMedia;
}

/** The generator's output as core stores it; the generator's own cost wins over the list price. */
export function toAsset(media: GeneratedMedia, listPrice: number | undefined): GeneratedAsset {
  const generationCost = media.generationCost ?? listPrice;
  return {
    bytes: media.bytes,
    mediaType: media.mediaType,
    extension: media.extension,
    ...(media.metadata === undefined ? {} : { metadata: media.metadata }),
    ...(generationCost === undefined ? {} : { generationCost }),
  };
}
