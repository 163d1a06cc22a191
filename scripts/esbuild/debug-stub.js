// Bundled in place of the `debug` package (used only by https-proxy-agent for
// DEBUG=https-proxy-agent tracing): ~10 KB of minified code the extension never
// turns on. Same shape: debug(namespace) returns a logger that does nothing.
'use strict';
function createDebug() {
  const log = () => {};
  log.enabled = false;
  log.extend = createDebug;
  return log;
}
createDebug.enable = () => {};
createDebug.disable = () => '';
createDebug.enabled = () => false;
module.exports = createDebug;
module.exports.default = createDebug;
