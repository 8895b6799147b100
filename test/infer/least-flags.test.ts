import { describe, expect, it } from 'vitest';
import { toFlags, toPermissionSet, type KindGrant, type LeastPrivilege } from '../../src/infer/least.js';

const grant = (kind: KindGrant['kind'], scope: KindGrant['scope']): KindGrant => ({ kind, scope, needs: [] });

describe('toFlags: the least-privilege flags as each runtime reads them', () => {
  it('Node: one file-system flag per path, `=*` for all (a bare flag would take the next word as its path), other kinds bare booleans', () => {
    const lp: LeastPrivilege = { grants: [grant('read', 'all'), grant('write', ['./out', './logs']), grant('run', ['git']), grant('net', ['api.example.com'])], unsure: [] };
    expect(toFlags(lp, 'node')).toEqual(['--permission', '--allow-fs-read=*', '--allow-fs-write=./out', '--allow-fs-write=./logs', '--allow-child-process', '--allow-net']);
  });

  it('Deno: one flag per kind with a comma list, bare for all', () => {
    const lp: LeastPrivilege = { grants: [grant('read', ['./a', './b']), grant('env', 'all')], unsure: [] };
    expect(toFlags(lp, 'deno')).toEqual(['--allow-read=./a,./b', '--allow-env']);
    expect(toPermissionSet(lp)).toEqual({ read: ['./a', './b'], env: true });
  });
});
