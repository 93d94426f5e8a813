import { readFileSync } from 'node:fs';

/** The node flags of the CLI's first line (`#!/usr/bin/env -S node …`): scripts run it as its command does. */
export function cliNodeFlags(cli) {
  const first = readFileSync(cli, 'utf8').split('\n')[0];
  return (/^#!\/usr\/bin\/env -S node(.*)$/.exec(first)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
}
