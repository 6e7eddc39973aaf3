/** The process entry of the CLI: `bin/sheetsim.js` imports the compiled copy of this file (dist/). */
const argv = process.argv.slice(2);
// A run on the embedded target: start its process first, so it loads its modules while this one loads its own
// (main.ts and the command's modules are imported only after the spawn). Other commands do not load this module.
const prespawn = argv[0] === 'run' ? await import('../replay/embedded-prespawn.ts') : null;
if (prespawn?.runWantsEmbedded(argv)) prespawn.prespawnEmbedded();
const { main } = await import('./main.ts');
process.exitCode = await main(argv);
// A run that ended before it started its target (bad flag, bad trace): let the waiting child go.
prespawn?.releasePrespawned();
