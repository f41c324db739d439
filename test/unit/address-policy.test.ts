import { describe, expect, it } from 'vitest';
import { embeddedIPv4, isBlockedAddress } from '@countersign/server/outbound';
import { CallbackGuard, hostOf } from '@countersign/server/outbound';

describe('callback address policy', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '100.100.100.200', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::', '::1', 'fe80::1', 'fd00:ec2::254',
    'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::1',
    'not-an-ip',
  ])('blocks %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it('reads IPv4 addresses embedded in IPv6 forms', () => {
    expect(embeddedIPv4('::ffff:192.168.0.1')).toBe('192.168.0.1');
    expect(embeddedIPv4('::ffff:c0a8:1')).toBe('192.168.0.1');
    expect(embeddedIPv4('64:ff9b::7f00:1')).toBe('127.0.0.1');
    expect(embeddedIPv4('2002:0a00:0001::')).toBe('10.0.0.1');
    expect(embeddedIPv4('2606:4700::1')).toBeNull();
  });

  it('normalises decimal, octal and hex spellings through the URL parser', () => {
    expect(hostOf('http://2130706433/cb')).toBe('127.0.0.1');
    expect(hostOf('http://0177.0.0.1/cb')).toBe('127.0.0.1');
    expect(hostOf('http://0x7f.1/cb')).toBe('127.0.0.1');
    expect(hostOf('http://[::ffff:127.0.0.1]/cb')).toBe('::ffff:7f00:1');
  });
});

describe('callback guard at intake', () => {
  const table: Record<string, string[]> = { 'public.example': ['93.184.216.34'], 'sneaky.example': ['93.184.216.34', '127.0.0.1'] };
  const guard = new CallbackGuard(false, async (host) => {
    const found = table[host];
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return found;
  });

  it.each([
    'http://127.0.0.1/cb', 'http://[::1]/cb', 'http://10.0.0.8/cb', 'http://169.254.169.254/latest/meta-data', 'http://100.64.1.1/',
    'http://0.0.0.0/', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://localhost:8080/',
    'http://app.localhost/', 'http://metadata.google.internal/', 'https://sneaky.example/cb',
  ])('refuses %s', async (url) => {
    expect(await guard.intakeProblem(url)).not.toBeNull();
  });

  it('accepts a public host, and a host that does not resolve yet (checked again at connect time)', async () => {
    expect(await guard.intakeProblem('https://public.example/cb')).toBeNull();
    expect(await guard.intakeProblem('https://unknown.example/cb')).toBeNull();
  });

  it('allows everything when private callbacks are allowed', async () => {
    expect(await new CallbackGuard(true).intakeProblem('http://127.0.0.1/cb')).toBeNull();
  });
});
