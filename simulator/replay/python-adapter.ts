/**
 * The Python adapter (`adapters/python/sitecustomize.py`): gspread has no base-URL setting, so a Python backend
 * started by `--target-cmd` gets this folder first on PYTHONPATH and the mock's URL in SHEETSIM_SHEETS_URL; the
 * adapter then sends Google's API hosts to the mock and forwards each request's traceparent on its Sheets calls.
 */
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the adapter folder in this checkout. */
export const PYTHON_ADAPTER_DIR = fileURLToPath(new URL('../../adapters/python', import.meta.url));

/** The variables that turn the adapter on for a child process, keeping any PYTHONPATH it already had (after ours). */
export function pythonAdapterEnv(sheetsUrl: string, inheritedPythonPath: string | undefined): { PYTHONPATH: string; SHEETSIM_SHEETS_URL: string } {
  const rest = inheritedPythonPath ? `${delimiter}${inheritedPythonPath}` : '';
  return { PYTHONPATH: `${PYTHON_ADAPTER_DIR}${rest}`, SHEETSIM_SHEETS_URL: sheetsUrl };
}
