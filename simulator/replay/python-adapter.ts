/** Where sheetsim's Python adapter (adapters/python/sitecustomize.py) lives, and the environment that turns it on. */
import { delimiter } from 'node:path';
import { packagePath } from '../package-root.ts';

/** Absolute path of the folder to put first on PYTHONPATH. */
export const PYTHON_ADAPTER_DIR: string = packagePath('adapters', 'python');

/** The variable the adapter reads: the mock's base URL (unset = the adapter does nothing). */
export const SHEETS_URL_ENV = 'SHEETSIM_SHEETS_URL';

/**
 * The variables that make an unchanged Python backend (gspread / google-auth over requests, FastAPI or Starlette)
 * talk to the mock at `sheetsUrl`: the adapter first on PYTHONPATH, ahead of whatever `inheritedPythonPath` held.
 */
export function pythonAdapterEnv(sheetsUrl: string, inheritedPythonPath?: string): { PYTHONPATH: string; SHEETSIM_SHEETS_URL: string } {
  const rest = inheritedPythonPath?.split(delimiter).filter((p) => p !== '' && p !== PYTHON_ADAPTER_DIR) ?? [];
  return { PYTHONPATH: [PYTHON_ADAPTER_DIR, ...rest].join(delimiter), SHEETSIM_SHEETS_URL: sheetsUrl.replace(/\/+$/, '') };
}
