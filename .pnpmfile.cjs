// pnpm hooks for this workspace. Only packing is customized: nothing here changes how
// dependencies resolve, so the lockfile does not depend on this file.
'use strict';

/**
 * The manifest that goes into a published tarball. Development dependencies are for building
 * this repository (some are private workspace packages, such as `@tiercache/tsconfig`, that
 * exist on no registry); a consumer never installs them, so they are left out.
 */
function beforePacking(manifest) {
  delete manifest.devDependencies;
  return manifest;
}

module.exports = { hooks: { beforePacking } };
