// The contract's one table of methods: adding a method to StudioApi without its row in apiParameters, or a row
// for a method StudioApi does not have, fails `npm run typecheck` (the @ts-expect-error lines below stop being
// errors otherwise); the method list and a refusal's field names come from the table.
import { describe, expect, it } from 'vitest';
import { apiParameters, parseApiCall, studioMethods, type MethodTable } from '../../src-main/shared/schemas';

const { replay: _left, ...withoutReplay } = apiParameters;
// @ts-expect-error a table without one of StudioApi's methods is not the contract's table
const incomplete: MethodTable = withoutReplay;
// @ts-expect-error nor is one with a method StudioApi does not have
const extra: MethodTable = { ...apiParameters, launchRockets: () => ({}) };

describe('the method table', () => {
  it('is where the method list and the parameter names come from', () => {
    expect(studioMethods).toEqual(Object.keys(apiParameters));
    expect(new Set(studioMethods).size).toBe(studioMethods.length);
    expect([incomplete, extra]).toHaveLength(2);
    expect(() => parseApiCall('retry', ['r1', { version: 'latest', config: () => 1 }])).toThrow(/^retry: options\.config: /);
    expect(() => parseApiCall('fork', ['r1', -1, {}])).toThrow(/^fork: seq: /);
  });
});
