import { customPreset, findPreset, type FormatPreset, type ParserOptions, TrustedProxies } from '../formats/index.js';
import { FormatStringError } from '../formats/format-string.js';
import { ConfigError, type PipelineConfig } from './config.js';

/** The parser options and the fixed preset (null for auto) a pipeline asks for; a bad setting is a ConfigError. */
export function resolveFormat(config: PipelineConfig): { options: ParserOptions; preset: FormatPreset | null } {
  let proxies: TrustedProxies | null = null;
  try {
    if (config.trusted_proxies.length > 0) proxies = new TrustedProxies(config.trusted_proxies);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const fields = config.json_fields === undefined ? undefined : Object.fromEntries(
    Object.entries(config.json_fields).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
  );
  const options: ParserOptions = { proxies, jsonFields: fields === undefined ? undefined : { ...fields, durationUnit: config.json_duration_unit } };
  if (config.format === 'auto') return { options, preset: null };
  if (config.format === 'custom') {
    if (config.log_format === undefined) throw new ConfigError('format custom needs a log_format string (or --log-format)');
    try {
      const preset = customPreset(config.log_format);
      preset.create(options);
      return { options, preset };
    } catch (err) {
      if (err instanceof FormatStringError) throw new ConfigError(`log_format: ${err.message}`);
      throw err;
    }
  }
  return { options, preset: findPreset(config.format)! };
}
