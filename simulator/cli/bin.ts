/** The process entry of the CLI: `bin/sheetsim.js` imports the compiled copy of this file (dist/). */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
