/** The sheetsim version, read once from package.json. Its own module so that no command imports the CLI's entry. */
import { readFileSync } from 'node:fs';
import { packagePath } from './package-root.ts';

const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };

/** The sheetsim version, as recorded in reports and printed by `sheetsim --version`. */
export const SHEETSIM_VERSION: string = pkg.version;
