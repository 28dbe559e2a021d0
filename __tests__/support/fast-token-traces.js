// cdktf and constructs capture a full stack trace for every token and construct they create
// (Error.captureStackTrace on a plain object, never an Error, with no frame limit). Under jest,
// source-map-support maps every frame of each of those traces through the inline source maps of
// node_modules, which was about 40% of a stack test file's time. Those traces only feed cdktf's
// own diagnostics: format them without mapping. Every other stack trace (a failing test's) is
// still mapped to the TypeScript source.
"use strict";
const mapped = Error.prepareStackTrace;
Error.prepareStackTrace = function prepareStackTrace(error, frames) {
  if (!(error instanceof Error) || mapped === undefined) {
    return [String(error), ...frames.map((frame) => `    at ${frame}`)].join("\n");
  }
  return mapped(error, frames);
};
