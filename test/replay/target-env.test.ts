import { describe, expect, it } from 'vitest';
import { FASTAPI_GSPREAD_MAPPING, expandTargetEnv, parseTargetEnv } from '../../simulator/replay/target-env.ts';

const values = {
  sheets_url: 'http://127.0.0.1:4100',
  spreadsheet_id: 'zeues-seed-42',
  audit_spreadsheet_id: 'zeues-seed-42-audit',
  credentials_path: '/tmp/x/service-account.json',
  credentials_json: '{"type": "service_account", "token_uri": "http://127.0.0.1:4100/token"}\n',
  port: '41234',
};

describe('--target-env NAME=TEMPLATE', () => {
  it("expands the founding users' mapping: sheet ids and the key file's JSON content", () => {
    const env = expandTargetEnv(parseTargetEnv(FASTAPI_GSPREAD_MAPPING), values);
    expect(env).toEqual({
      GOOGLE_SHEET_ID: 'zeues-seed-42',
      GOOGLE_AUDIT_SHEET_ID: 'zeues-seed-42-audit',
      GOOGLE_APPLICATION_CREDENTIALS_JSON: values.credentials_json,
    });
    expect(JSON.parse(env.GOOGLE_APPLICATION_CREDENTIALS_JSON!).token_uri).toBe('http://127.0.0.1:4100/token');
  });

  it('mixes text and placeholders, keeps = in the value, and reads {{ }} as literal braces', () => {
    const env = expandTargetEnv(parseTargetEnv([
      'API=http://x/?u={sheets_url}&p={port}',
      'EMPTY=',
      'EQ=a=b',
      'BRACES={{not a placeholder}} {spreadsheet_id}',
      'KEYFILE={credentials_path}',
    ]), values);
    expect(env).toEqual({
      API: 'http://x/?u=http://127.0.0.1:4100&p=41234',
      EMPTY: '',
      EQ: 'a=b',
      BRACES: '{not a placeholder} zeues-seed-42',
      KEYFILE: '/tmp/x/service-account.json',
    });
  });

  it('refuses bad entries naming the entry and what was expected', () => {
    expect(() => parseTargetEnv(['GOOGLE_SHEET_ID'])).toThrow(/'GOOGLE_SHEET_ID': expected NAME=TEMPLATE/);
    expect(() => parseTargetEnv(['=x'])).toThrow(/expected NAME=TEMPLATE/);
    expect(() => parseTargetEnv(['1X=y'])).toThrow(/'1X' is not an environment variable name/);
    expect(() => parseTargetEnv(['A={sheet_id}'])).toThrow(/unknown placeholder \{sheet_id\}; known: \{sheets_url\}/);
    expect(() => parseTargetEnv(['A={port'])).toThrow(/unclosed '\{' at position 1/);
    expect(() => parseTargetEnv(['A=x}'])).toThrow(/unmatched '\}' at position 2/);
    expect(() => parseTargetEnv(['A=1', 'A=2'])).toThrow(/--target-env A is given twice/);
  });
});
