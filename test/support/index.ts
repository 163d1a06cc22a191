/** Everything in test/support, for `import { ... } from '../support'`. */
export * from './bedrockServer';
export * from './eventStream';
export * from './recordings';
export * from './awsEnv';
export * from './clients';
export { verifyAuth, sha256Hex, Sha256, type ReceivedRequest, type KnownSecret } from './sigv4Verify';
