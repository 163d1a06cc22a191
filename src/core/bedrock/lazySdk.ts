import type * as SdkModule from './sdk';

/** What ./sdk.ts exports: the AWS SDK's clients and everything that drives them. */
export type Sdk = typeof SdkModule;

let loaded: Sdk | undefined;

/**
 * The AWS SDK half of the extension, loaded on first use: the first chat
 * request, model discovery, sign-in or Show Connection Details. In the
 * extension bundle esbuild.mjs turns this require into `require('./sdk.js')`,
 * the second bundle beside dist/extension.js; compiled by tsc (tests) it is
 * the module itself.
 */
export function sdk(): Sdk {
  return (loaded ??= require('./sdk') as Sdk);
}

/** Whether the SDK has been loaded (loading it costs tens of milliseconds, once). */
export function sdkLoaded(): boolean {
  return loaded !== undefined;
}
