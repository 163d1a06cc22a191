/**
 * Everything that needs the AWS SDK at run time, in one module. esbuild.mjs
 * bundles it on its own as dist/sdk.js, which the extension requires on first
 * use through ./lazySdk.ts, so that activation, the status bar and the model
 * picker's first answer never load the SDK. Other modules reach these only
 * through `sdk()`; at run time nothing in the activation bundle imports the SDK
 * (`import type` costs nothing), which test/unit/lazyStart.test.ts checks.
 *
 * Both bundles hold their own copies of the pure modules these use (errors,
 * request building): what crosses between them is plain data, functions and
 * errors recognised by name, never by `instanceof`.
 */
export { ClientCache, createHttpHandler } from './client';
export { sendChat } from './send';
export { runDiscovery } from './controlClient';
export { callerIdentity } from './identity';
export { loadTrustStore } from './proxy';
export { signInSso } from '../auth/ssoSignIn';
