/**
 * The version of the contracts in `@tiercache/core/contracts` (`BlobTier`, `EntryIndex`,
 * `Matcher`). A part that declares `contractVersion` is refused by a cache built for another
 * version, so that a tier written for a future contract fails at construction, not mid-request.
 */
export const CONTRACT_VERSION: 1 = 1;

/** The contract version a part was written for. */
export type ContractVersion = 1;
