#!/usr/bin/env node
// Entry point: runs the compiled CLI in dist/, which `npm run build` writes (npm runs it as `prepare` on
// `npm ci`/`npm install` in a clone; a published package ships it). Commands are loaded only when they run.
try {
  await import('../dist/simulator/cli/bin.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('/dist/simulator/cli/bin.js')) {
    process.stderr.write("sheetsim: the compiled CLI (dist/) is missing: run 'npm run build' in the sheetsim folder\n");
    process.exitCode = 2;
  } else {
    throw err;
  }
}
