import type { AssetRequest, GeneratedAsset } from '@tiercache/core';

export const KEY_SPACE: number;
export function requestFor(i: number): AssetRequest;
export function indexOfPrompt(prompt: string): number;
export function payloadFor(i: number): Uint8Array;
export function assetFor(i: number): GeneratedAsset;
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean;
