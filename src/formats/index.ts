/** The formats stage: presets, custom format strings and per-input detection. */
export { customPreset, DETECTABLE, findPreset, FORMAT_NAMES, PRESETS, type FormatPreset, type ParserOptions } from './presets.js';
export { detectFormat, FormatNotDetectedError, type CandidateScore, type Detection } from './detect.js';
export { TrustedProxies } from './client.js';
