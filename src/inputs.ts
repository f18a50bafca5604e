// The only place that reads Action inputs. Every input declared in action.yml is read here and handed,
// as raw text, to buildSettings (src/settings.ts), which validates it — the CLI shares that code.
import * as core from '@actions/core';
import { INPUT_NAMES } from './input-names.js';
import { buildSettings, type RawInputs, type Settings } from './settings.js';

export function readActionInputs(): Settings {
  const raw: RawInputs = {};
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name);
  // Mask secrets that arrive as inputs even before they are parsed.
  for (const name of ['github-token', 'target-url', 'source-url', 'dry-run-database'] as const) {
    const value = raw[name];
    if (value && (name === 'github-token' || value.includes('://'))) core.setSecret(value);
  }
  return buildSettings(raw, { origin: 'action' });
}
